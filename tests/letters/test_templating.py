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


def test_a_value_s_own_final_punctuation_is_not_doubled():
    """Where the template adds its own punctuation after a field, the value's trailing
    sentence punctuation is dropped: never “。。” nor “（…。）”."""
    template = "理由如下：{{不予公开理由}}。（{{提供的信息}}）。负责机关：{{负责机关}}"
    out = render_text(
        template,
        {"不予公开理由": "属于过程性信息。", "提供的信息": "见附件；", "负责机关": "某局。"},
    )
    assert out == "理由如下：属于过程性信息。（见附件）。负责机关：某局。"
    assert render_text("“{{申请内容}}”。", {"申请内容": "审批文件。 "}) == "“审批文件”。"
    assert render_text("{{申请内容}}。", {"申请内容": "等等……"}) == "等等……。"


def test_built_in_templates_never_double_punctuation():
    from xxgk.letters.defaults import builtin_template
    from xxgk.statute.taxonomies import AnswerType

    values = {name: f"{name}内容。" for name in FIELDS}
    for answer in AnswerType:
        text = render_text(builtin_template("reply", answer.value).body, values)
        assert "。。" not in text and "。）" not in text and "。”" not in text, answer
