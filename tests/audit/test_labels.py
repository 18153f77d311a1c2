"""Chinese names for audit actions and readable details."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from xxgk.audit import labels

SRC = Path(__file__).resolve().parents[2] / "src" / "xxgk"


def recorded_actions() -> dict[str, str]:
    """Every action name written as a literal in an ``audit.record``/``_event`` call."""
    found: dict[str, str] = {}
    for path in SRC.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            name = getattr(node.func, "attr", None) or getattr(node.func, "id", None)
            if name == "record" and len(node.args) >= 2:
                candidates = [node.args[1]]
            elif name == "_event" and len(node.args) >= 3:  # applications' timeline events
                candidates = [node.args[2]]
            else:
                continue
            for arg in candidates:
                for const in ast.walk(arg):
                    if isinstance(const, ast.Constant) and isinstance(const.value, str):
                        code = const.value if name == "record" else f"application.{const.value}"
                        if "." in code.strip(".") and " " not in code:
                            found[code] = str(path.relative_to(SRC))
    return found


def test_every_action_recorded_in_the_code_has_a_chinese_name():
    """A new action needs a name: xxgk.audit.labels.register_actions (see its docstring)."""
    found = recorded_actions()
    assert len(found) > 40  # the scan works
    unnamed = {code: where for code, where in found.items() if labels.action_label(code) == code}
    assert unnamed == {}


def test_an_unnamed_action_shows_its_code_and_areas_can_register_names():
    assert labels.action_label("custom.thing") == "custom.thing"
    labels.register_actions("custom", "自定义", {"custom.thing": "某事"})
    try:
        assert labels.action_label("custom.thing") == "某事"
        assert labels.area_label("custom.thing") == "自定义"
        assert labels.actions_with_label("某") == ["custom.thing"]
        groups = dict(labels.action_choices())
        assert groups["自定义"] == [("custom.", "全部（自定义）"), ("custom.thing", "某事")]
    finally:
        labels._ACTIONS.pop("custom.thing")
        labels._AREAS.pop("custom")
    with pytest.raises(ValueError):
        labels.register_actions("custom", "自定义", {"other.thing": "别的"})


def test_details_in_words():
    assert labels.detail_items({"minutes": 15}) == [("分钟数", "15")]
    assert labels.detail_items({"old": ["handler"], "new": ["reviewer", "admin"]}) == [
        ("原值", "承办人"),
        ("新值", "审核人（保密审查）、管理员"),
    ]
    changes = {"changes": {"office_phone": {"old": "", "new": "010-2"}}}
    assert labels.detail_items(changes) == [("修改内容", "咨询电话：（空） → 010-2")]
    assert labels.detail_items({"late": True, "zzz": None}) == [("逾期", "是"), ("zzz", "（空）")]
    assert labels.detail_items({}) == []
