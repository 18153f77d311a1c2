"""Forms of the applications area: the public online application and staff registration.

The forms only collect and shape input; validation rules live in
:mod:`xxgk.applications.operations` (shared with the API), whose Chinese messages are put back
on the fields.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from xxgk.applications.models import (
    ApplicantKind,
    AttachmentKind,
    ChannelChoice,
    DeliveryMethod,
    IdType,
    MediumChoice,
)
from xxgk.applications.operations import ApplicantData, Upload

PERSON_ID_TYPES = [c for c in IdType.choices if c[0] != IdType.CREDIT_CODE]


class ApplicantFields(forms.Form):
    kind = forms.ChoiceField(label="申请人类型", choices=ApplicantKind.choices)
    name = forms.CharField(label="姓名或名称", max_length=100, required=False)
    id_type = forms.ChoiceField(
        label="证件类型", choices=IdType.choices, initial=IdType.RESIDENT_ID
    )
    id_number = forms.CharField(
        label="证件号码",
        max_length=40,
        required=False,
        help_text="自然人填写身份证件号码；法人或者其他组织填写统一社会信用代码。",
    )
    legal_representative = forms.CharField(
        label="法定代表人或负责人（组织填写）", max_length=50, required=False
    )
    contact_name = forms.CharField(label="联系人（组织填写）", max_length=50, required=False)
    phone = forms.CharField(label="联系电话", max_length=30, required=False)
    email = forms.CharField(label="电子邮箱", max_length=254, required=False)
    address = forms.CharField(label="通信地址", max_length=200, required=False)
    postcode = forms.CharField(label="邮政编码", max_length=6, required=False)

    def applicant_data(self) -> ApplicantData:
        d = self.cleaned_data
        return ApplicantData(
            kind=d["kind"],
            name=d.get("name", ""),
            id_type=d["id_type"],
            id_number=d.get("id_number", ""),
            phone=d.get("phone", ""),
            email=d.get("email", ""),
            address=d.get("address", ""),
            postcode=d.get("postcode", ""),
            legal_representative=d.get("legal_representative", ""),
            contact_name=d.get("contact_name", ""),
        )

    def put_errors(self, exc: ValidationError) -> None:
        """Show an operation's messages on the fields they name (else on the form)."""
        if hasattr(exc, "error_dict"):
            for field, errors in exc.error_dict.items():
                for error in errors:
                    for message in error.messages:
                        visible = field in self.fields and not self.fields[field].widget.is_hidden
                        self.add_error(field if visible else None, message)
        else:
            for message in exc.messages:
                self.add_error(None, message)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"}))
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        if isinstance(data, (list, tuple)):
            return [d for d in data if d]
        return [data] if data else []


def uploads_from(files: list[Any], kind: str) -> list[Upload]:
    return [Upload(name=f.name, stream=f, size=f.size, kind=kind) for f in files]


class PublicApplicationForm(ApplicantFields):
    """网上申请 (条例第二十九条): every required content item, attachments, a honeypot."""

    description = forms.CharField(
        label="所需政府信息的名称、文号或者其他特征性描述",
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=5000,
        required=False,
    )
    purpose = forms.CharField(
        label="其他说明（选填）",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        required=False,
    )
    medium = forms.ChoiceField(
        label="信息的提供形式", choices=MediumChoice.choices, widget=forms.RadioSelect
    )
    delivery = forms.ChoiceField(
        label="获取信息的方式", choices=DeliveryMethod.choices, widget=forms.RadioSelect
    )
    attachments = MultipleFileField(
        label="身份证明等材料（选填，PDF/JPEG/PNG，单个不超过10MB，最多5个）", required=False
    )
    send_email = forms.BooleanField(label="把受理编号和查询码发送到我的电子邮箱", required=False)
    token = forms.CharField(widget=forms.HiddenInput)
    # Honeypot: hidden from people by CSS and aria-hidden; a bot that fills it is refused.
    website = forms.CharField(
        label="网址（请勿填写）",
        required=False,
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )


class RegisterForm(ApplicantFields):
    """Staff registration from any channel (条例第二十九条、第三十一条)."""

    channel = forms.ChoiceField(label="申请渠道", choices=ChannelChoice.choices)
    description = forms.CharField(
        label="所需政府信息的名称、文号或者其他特征性描述",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=5000,
        required=False,
    )
    oral_record = forms.CharField(
        label="口头申请笔录（口头提出时由工作人员代为填写）",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=5000,
        required=False,
    )
    purpose = forms.CharField(
        label="备注", widget=forms.Textarea(attrs={"rows": 2}), max_length=2000, required=False
    )
    medium = forms.ChoiceField(
        label="信息的提供形式", choices=[("", "（未写明）"), *MediumChoice.choices], required=False
    )
    delivery = forms.ChoiceField(
        label="获取信息的方式",
        choices=[("", "（未写明）"), *DeliveryMethod.choices],
        required=False,
    )
    submitted_on = forms.DateField(
        label="提交日期（当面、口头）",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    arrived_on = forms.DateField(
        label="收到日期（信函、传真、电子邮件）",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    signed_on = forms.DateField(
        label="签收日期（需签收的邮件）",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    confirmed_on = forms.DateField(
        label="与申请人确认日期（平常信函、传真、电子邮件、网上申请）",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    confirmation_method = forms.CharField(label="确认方式", max_length=40, required=False)
    attachment_kind = forms.ChoiceField(
        label="扫描材料类型", choices=AttachmentKind.choices, initial=AttachmentKind.SCAN
    )
    attachments = MultipleFileField(label="扫描件（PDF/JPEG/PNG）", required=False)


class ConfirmForm(forms.Form):
    confirmed_on = forms.DateField(
        label="确认日期", widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    method = forms.CharField(label="确认方式", max_length=40, initial="电话")
    note = forms.CharField(label="说明", max_length=200, required=False)


class AssignForm(forms.Form):
    handler = forms.TypedChoiceField(label="承办人", coerce=int, choices=[])
    note = forms.CharField(label="说明", max_length=200, required=False)

    def __init__(self, *args: Any, handlers: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["handler"].choices = [(u.pk, u.display_name) for u in handlers]  # type: ignore[attr-defined]


class AttachmentForm(forms.Form):
    kind = forms.ChoiceField(label="材料类型", choices=AttachmentKind.choices)
    attachments = MultipleFileField(label="文件（PDF/JPEG/PNG）")


class StatusForm(forms.Form):
    number = forms.CharField(label="受理编号", max_length=32)
    code = forms.CharField(label="查询码", max_length=32)
