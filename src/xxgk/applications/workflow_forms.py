"""Forms of the part-2 steps on the case page. They only collect input; the rules live in
:mod:`xxgk.applications.workflow` (whose Chinese messages are shown back)."""

from __future__ import annotations

from typing import Any

from django import forms

from xxgk.appeals.models import AppealKind, AppealResult
from xxgk.applications.models import (
    AnswerTypeChoice,
    ConsultationKind,
    FeeBasis,
    Opinion,
    ServiceMethod,
)
from xxgk.applications.workflow import PROCEDURAL_OUTCOMES


def _date(label: str, required: bool = True) -> forms.DateField:
    return forms.DateField(
        label=label,
        required=required,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )


def _text(label: str, required: bool = False, rows: int = 3) -> forms.CharField:
    return forms.CharField(
        label=label, required=required, widget=forms.Textarea(attrs={"rows": rows})
    )


def _lines(value: str) -> list[str]:
    return [line.strip() for line in value.splitlines() if line.strip()]


class CorrectionForm(forms.Form):
    items = _text("需要补正的事项（每行一项，一次性告知）", required=True)
    period_days = forms.IntegerField(
        label="补正期限（工作日）", min_value=1, max_value=60, required=False,
        help_text="不填则用本机关的默认期限。",
    )  # fmt: skip
    on = _date("告知日期")
    received_on = _date("申请人收到告知日期（不填则为告知日期）", required=False)

    def kwargs(self) -> dict[str, Any]:
        d = self.cleaned_data
        return {
            "items": _lines(d["items"]),
            "period_days": d["period_days"],
            "on": d["on"],
            "received_on": d["received_on"],
        }


class DayForm(forms.Form):
    on = _date("日期")

    def kwargs(self) -> dict[str, Any]:
        return {"on": self.cleaned_data["on"]}


class ConsultationForm(forms.Form):
    kind = forms.ChoiceField(label="征求意见的对象", choices=ConsultationKind.choices)
    party_name = forms.CharField(label="被征求意见方", max_length=100)
    party_address = forms.CharField(label="地址", max_length=200, required=False)
    party_contact = forms.CharField(label="联系方式", max_length=100, required=False)
    matter = _text("征求意见的信息及可能影响其权益的理由", required=True)
    sent_on = _date("发出日期")
    party_received_on = _date("对方收到日期", required=False)

    def kwargs(self) -> dict[str, Any]:
        return dict(self.cleaned_data)


class ConsultationReplyForm(forms.Form):
    consultation = forms.IntegerField(widget=forms.HiddenInput)
    opinion = forms.ChoiceField(label="意见", choices=Opinion.choices)
    replied_on = _date("收到意见日期（逾期未提出意见的，填登记日期）")
    reply_text = _text("意见及理由")


class ExtensionForm(forms.Form):
    days = forms.IntegerField(label="延长工作日数", min_value=1, max_value=20)
    reason = _text("延期理由", required=True)
    on = _date("负责人同意日期")

    def kwargs(self) -> dict[str, Any]:
        return dict(self.cleaned_data)


class FeeForm(forms.Form):
    basis = forms.ChoiceField(label="收费方式", choices=FeeBasis.choices)
    units = forms.IntegerField(label="件数或页数", min_value=1)
    on = _date("通知日期")
    received_on = _date("申请人收到通知日期", required=False)

    def kwargs(self) -> dict[str, Any]:
        return dict(self.cleaned_data)


class FeePaidForm(forms.Form):
    paid_on = _date("缴费日期")

    def kwargs(self) -> dict[str, Any]:
        return dict(self.cleaned_data)


class DecisionForm(forms.Form):
    answer_type = forms.ChoiceField(label="答复类型", choices=[])
    legal_basis = _text("法律依据（每行一条；不填则用该类型要求的条款）", rows=2)
    provided_information = _text("提供的信息或获取方式、途径")
    withheld_reasons = _text("不予公开（不予提供）的理由")
    responsible_agency = forms.CharField(
        label="负责公开的行政机关及联系方式（非本机关信息）", max_length=200, required=False
    )
    duplicate_of = forms.TypedChoiceField(
        label="原申请（重复申请）", coerce=int, required=False, empty_value=None, choices=[]
    )

    def __init__(self, *args: Any, duplicates: list[Any] = (), **kwargs: Any) -> None:  # type: ignore[assignment]
        super().__init__(*args, **kwargs)
        self.fields["answer_type"].choices = [  # type: ignore[attr-defined]
            ("", "请选择"),
            *[(v, label) for v, label in AnswerTypeChoice.choices if v not in PROCEDURAL_OUTCOMES],
        ]
        self.fields["duplicate_of"].choices = [  # type: ignore[attr-defined]
            ("", "—"),
            *[(d.pk, f"{d.number}（{d.closed_on}）") for d in duplicates],
        ]
        self.duplicates = {d.pk: d for d in duplicates}

    def kwargs(self) -> dict[str, Any]:
        d = dict(self.cleaned_data)
        d["legal_basis"] = _lines(d["legal_basis"]) or None
        d["duplicate_of"] = self.duplicates.get(d["duplicate_of"]) if d["duplicate_of"] else None
        return d


class CommentForm(forms.Form):
    comment = _text("意见", rows=2)

    def kwargs(self) -> dict[str, Any]:
        return dict(self.cleaned_data)


class ApproveForm(forms.Form):
    approve = forms.TypedChoiceField(
        label="结论", choices=[("1", "同意"), ("0", "退回承办人")], coerce=lambda v: v == "1"
    )
    comment = _text("意见（退回时必填）", rows=2)

    def kwargs(self) -> dict[str, Any]:
        return dict(self.cleaned_data)


class SignForm(ApproveForm):
    on = _date("签发日期")


class DeliveryForm(forms.Form):
    method = forms.ChoiceField(
        label="送达方式",
        choices=[c for c in ServiceMethod.choices if c[0] != ServiceMethod.ON_THE_SPOT],
    )
    posted_on = _date("交邮日期（邮寄）", required=False)
    served_on = _date("送达日期", required=False)
    tracking_number = forms.CharField(label="邮件号（邮寄）", max_length=40, required=False)
    note = forms.CharField(label="说明", max_length=200, required=False)

    def kwargs(self) -> dict[str, Any]:
        return dict(self.cleaned_data)


class WithdrawForm(forms.Form):
    reason = _text("撤回理由", rows=2)
    on = _date("撤回日期")

    def kwargs(self) -> dict[str, Any]:
        return dict(self.cleaned_data)


class AppealForm(forms.Form):
    kind = forms.ChoiceField(label="类型", choices=AppealKind.choices)
    filed_on = _date("申请或起诉日期")
    body = forms.CharField(label="复议机关或人民法院", max_length=100)
    reference = forms.CharField(label="案号", max_length=60, required=False)
    earlier = forms.TypedChoiceField(
        label="所依据的复议（复议后起诉）", coerce=int, required=False, empty_value=None, choices=[]
    )

    def __init__(self, *args: Any, reviews: list[Any] = (), **kwargs: Any) -> None:  # type: ignore[assignment]
        super().__init__(*args, **kwargs)
        self.fields["earlier"].choices = [  # type: ignore[attr-defined]
            ("", "—"),
            *[(r.pk, f"{r.body} {r.filed_on}") for r in reviews],
        ]


class AppealResultForm(forms.Form):
    appeal = forms.IntegerField(widget=forms.HiddenInput)
    result = forms.ChoiceField(
        label="结果", choices=[c for c in AppealResult.choices if c[0] != AppealResult.PENDING]
    )
    decided_on = _date("审结日期")
    note = _text("说明", rows=2)


class CorrectReplyForm(forms.Form):
    """A recorded correction of a sent reply: give only what changes."""

    reason = _text("更正理由", required=True, rows=2)
    answer_type = forms.ChoiceField(label="答复类型（变更时选择）", choices=[], required=False)
    legal_basis = _text("法律依据（变更时填写，每行一条）", rows=2)
    provided_information = _text("提供的信息（变更时填写）", rows=2)
    withheld_reasons = _text("理由（变更时填写）", rows=2)
    responsible_agency = forms.CharField(
        label="负责公开的行政机关（变更时填写）", max_length=200, required=False
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["answer_type"].choices = [  # type: ignore[attr-defined]
            ("", "不变"),
            *[(v, label) for v, label in AnswerTypeChoice.choices if v not in PROCEDURAL_OUTCOMES],
        ]

    def kwargs(self) -> dict[str, Any]:
        d = self.cleaned_data
        changes: dict[str, Any] = {}
        for field in (
            "answer_type",
            "provided_information",
            "withheld_reasons",
            "responsible_agency",
        ):
            if d[field].strip():
                changes[field] = d[field].strip()
        if _lines(d["legal_basis"]):
            changes["legal_basis"] = _lines(d["legal_basis"])
        return {"reason": d["reason"], "changes": changes}


class SettingsForm(forms.Form):
    review = forms.BooleanField(
        label="答复须经审核人（保密审查）审核后再由负责人签发", required=False
    )
    correction_days = forms.IntegerField(label="默认补正期限（工作日）", min_value=1, max_value=60)
    max_correction_rounds = forms.IntegerField(
        label="每件申请最多补正次数", min_value=1, max_value=3
    )


class LockYearForm(forms.Form):
    year = forms.IntegerField(label="锁定年度（年度报告已公布）", min_value=2008, max_value=2100)


class ServedForm(forms.Form):
    served_on = _date("送达日期（妥投或回证日期）")

    def kwargs(self) -> dict[str, Any]:
        return dict(self.cleaned_data)


class DeferForm(forms.Form):
    until = _date("延迟答复期限")
    reason = _text("理由（申请数量、频次明显超过合理范围，理由合理但无法按期答复）", required=True)
    on = _date("决定日期")

    def kwargs(self) -> dict[str, Any]:
        return dict(self.cleaned_data)
