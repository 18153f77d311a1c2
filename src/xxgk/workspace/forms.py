"""Forms of the staff workspace."""

from __future__ import annotations

from typing import Any

from django import forms

from xxgk.accounts.roles import Role
from xxgk.agencies.models import MANDATORY_CHANNELS, Agency, Channel


class AgencyDetailsForm(forms.ModelForm):  # type: ignore[type-arg]
    """The 政府信息公开工作机构 block (条例第十二条)."""

    channels = forms.MultipleChoiceField(
        label="申请接收渠道",
        choices=Channel.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text="当面提交和邮政寄送为基本渠道，始终接收（国办公开办函〔2017〕19号）。其他渠道一经在指南中公布即须接收。",
    )

    class Meta:
        model = Agency
        fields = [
            "short_name",
            "office_name",
            "office_address",
            "office_postcode",
            "office_hours",
            "office_phone",
            "office_fax",
            "office_email",
            "office_website",
            "channels",
        ]

    def clean_channels(self) -> list[str]:
        return sorted(set(self.cleaned_data["channels"]) | set(MANDATORY_CHANNELS))


class NewAgencyForm(forms.ModelForm):  # type: ignore[type-arg]
    """A subordinate agency: its name, kind and portal address."""

    class Meta:
        model = Agency
        fields = ["name", "short_name", "kind", "slug"]


ROLE_CHOICES = [(r.value, r.label) for r in Role]


class RolesForm(forms.Form):
    roles = forms.MultipleChoiceField(
        label="角色", choices=ROLE_CHOICES, widget=forms.CheckboxSelectMultiple, required=False
    )


class NewStaffForm(forms.Form):
    username = forms.RegexField(
        label="用户名",
        regex=r"^[A-Za-z0-9_.@+-]{2,150}$",
        max_length=150,
        error_messages={"invalid": "用户名只能使用字母、数字和 _ . @ + -，至少2个字符。"},
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    full_name = forms.CharField(label="姓名", max_length=50)
    roles = forms.MultipleChoiceField(
        label="角色", choices=ROLE_CHOICES, widget=forms.CheckboxSelectMultiple
    )

    def clean_username(self) -> Any:
        from xxgk.accounts.models import User

        name = self.cleaned_data["username"]
        if User.objects.filter(username__iexact=name).exists():
            raise forms.ValidationError("该用户名已被使用。")
        return name


class TokenForm(forms.Form):
    name = forms.CharField(label="令牌名称", max_length=60, help_text="如：台账导入脚本")


class AuditFilterForm(forms.Form):
    """Filter the audit log by action (chosen by its Chinese name, or a whole area) and by
    who acted. ``action`` holds a code (``auth.login``) or an area prefix (``auth.``)."""

    action = forms.CharField(
        label="操作", required=False, max_length=64, widget=forms.Select(choices=[])
    )
    actor = forms.CharField(label="操作人", required=False, max_length=150)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        from xxgk.audit.labels import action_choices, action_label

        super().__init__(*args, **kwargs)
        choices: list[tuple[str, Any]] = [("", "全部操作"), *action_choices()]
        current = (self.data.get("action") or "").strip() if self.is_bound else ""
        known = {value for _, group in choices[1:] for value, _ in group}
        if current and current not in known:  # an unnamed code from a link: keep it selectable
            choices.append((current, action_label(current)))
        self.fields["action"].widget.choices = choices
