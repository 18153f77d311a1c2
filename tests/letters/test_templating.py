"""Plain tests: agency templates are text with known placeholders; nothing is executed."""

from __future__ import annotations

from xxgk.letters.templating import FIELDS, render_text, template_errors


def test_known_placeholders_are_replaced():
    assert render_text("{{申请人}}：你好{{ 受理编号 }}", {"申请人": "张三", "受理编号": "GK1"}) == (
        "张三：你好GK1"
    )


def test_unknown_placeholders_and_code_are_refused():
    errors = template_errors("{{申请人.__class__}} {{ request.user }} {% load x %}{{x|safe}}")
    assert any("未知的字段" in e for e in errors)
    assert len([e for e in errors if "未知的字段" in e]) == 3


def test_stray_braces_are_refused():
    assert any("不成对" in e for e in template_errors("{{申请人}} {{申请人"))


def test_values_are_not_re_read_as_templates():
    """An applicant typing '{{机关名称}}' into the description gets it printed verbatim."""
    out = render_text("“{{申请内容}}”", {"申请内容": "{{机关名称}}", "机关名称": "X"})
    assert out == "“{{机关名称}}”"


def test_every_field_is_accepted():
    assert template_errors("".join(f"{{{{{name}}}}}" for name in FIELDS)) == []
