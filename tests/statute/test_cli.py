"""xxgk calendar / deadline / fee, tested through ``xxgk.cli.main``."""

from __future__ import annotations

import io
import json
import sys
from datetime import date
from pathlib import Path

import pytest

from tests.conftest import SHARED
from tests.statute import oracle
from xxgk.cli import main
from xxgk.statute.calendar import calendar_dir

NOTICES = SHARED / "docs" / "holiday-notices"


@pytest.fixture
def data(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh data folder per test, so loaded years never leak between tests."""
    monkeypatch.setenv("XXGK_DATA_DIR", str(tmp_path))
    return tmp_path


def _json(capsys: pytest.CaptureFixture[str], argv: list[str]) -> dict[str, object]:
    assert main(argv) == 0
    return dict(json.loads(capsys.readouterr().out))


# ----- deadline -----------------------------------------------------------------------------


def test_deadline_json_for_the_regulation_example(
    data: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = _json(capsys, ["deadline", "--received", "2025-09-26", "--json"])
    assert out["received_on"] == "2025-09-26"
    assert out["correction_notice_due"] == "2025-10-13"
    assert out["answer_due"] == "2025-10-30"
    assert "extended_due" not in out
    assert out["flags"] == []


def test_deadline_with_correction_pause_and_extension(
    data: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = ["deadline", "--received", "2025-03-03", "--correction-received", "2025-03-10"]
    argv += ["--pause", "2025-03-17", "2025-03-21", "--extension", "10", "--json"]
    out = _json(capsys, argv)
    base = oracle.add_workdays(oracle.add_workdays(date(2025, 3, 10), 20), 4)
    assert out["answer_due"] == base.isoformat()
    assert out["extended_due"] == oracle.add_workdays(base, 10).isoformat()
    assert out["correction_notice_due"] == "2025-03-12"


def test_deadline_explain_names_holidays(data: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["deadline", "--received", "2020-01-20", "--explain"]) == 0
    out = capsys.readouterr().out
    assert "2020-02-25" in out
    assert "春节放假，共10天" in out


def test_deadline_in_a_year_without_data_exits_2(
    data: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["deadline", "--received", "2026-12-15"]) == 2
    assert "2027年节假日安排尚未导入" in capsys.readouterr().err


def test_deadline_weekday_fallback_is_flagged(
    data: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = _json(capsys, ["deadline", "--received", "2026-12-15", "--weekday-fallback", "--json"])
    assert out["flags"] == ["weekday_fallback"]
    assert out["answer_due"] == "2027-01-12"


def test_extension_over_20_exits_2(data: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["deadline", "--received", "2025-09-26", "--extension", "21"]) == 2
    assert "20" in capsys.readouterr().err


def test_bad_pause_exits_2(data: Path, capsys: pytest.CaptureFixture[str]) -> None:
    argv = ["deadline", "--received", "2025-09-26", "--pause", "2025-10-20", "2025-10-10"]
    assert main(argv) == 2
    assert "早于开始日" in capsys.readouterr().err


def test_bad_date_exits_2(data: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        main(["deadline", "--received", "2025-02-30"])
    assert info.value.code == 2
    assert "YYYY-MM-DD" in capsys.readouterr().err


# ----- fee ----------------------------------------------------------------------------------


def test_fee_items_json(capsys: pytest.CaptureFixture[str]) -> None:
    assert _json(capsys, ["fee", "--items", "45", "--json"])["fee_yuan"] == 5500


def test_fee_pages_json(capsys: pytest.CaptureFixture[str]) -> None:
    assert _json(capsys, ["fee", "--pages", "150", "--json"])["fee_yuan"] == 1700


def test_fee_text_and_bad_input(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["fee", "--items", "45", "--explain"]) == 0
    assert "5500 元" in capsys.readouterr().out
    assert main(["fee", "--pages", "0"]) == 2
    with pytest.raises(SystemExit) as info:
        main(["fee", "--items", "3", "--pages", "4"])
    assert info.value.code == 2


# ----- calendar -----------------------------------------------------------------------------


def test_load_dry_run_shows_each_day_and_saves_nothing(
    data: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["calendar", "load", str(NOTICES / "2017.txt"), "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert "2017-01-02 星期一 放假 元旦" in out
    assert "2017-09-30 星期六 上班（调休） 中秋节、国庆节" in out
    assert "逐日一致" in out
    assert not calendar_dir(data).exists()


def test_load_without_yes_is_refused_when_not_interactive(
    data: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["calendar", "load", str(NOTICES / "2026.txt")]) == 2
    assert "--yes" in capsys.readouterr().err
    assert not calendar_dir(data).exists()


def test_load_yes_saves_and_show_reads_it_back(
    data: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["calendar", "load", str(NOTICES / "2026.txt"), "--yes"]) == 0
    assert (calendar_dir(data) / "2026.json").is_file()
    capsys.readouterr()
    shown = _json(capsys, ["calendar", "show", "2026", "--json"])
    assert shown["source"] == "国务院办公厅关于2026年部分节假日安排的通知"
    assert "2026-02-28" in dict(shown["workdays"])  # type: ignore[arg-type]


def test_refused_notice_exits_2_and_saves_nothing(
    data: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad.txt"
    bad.write_text((NOTICES / "2026.txt").read_text(encoding="utf-8").replace("共9天", "共10天"))
    assert main(["calendar", "load", str(bad), "--yes"]) == 2
    err = capsys.readouterr().err
    assert "写明共10天" in err and "第" in err
    assert not calendar_dir(data).exists()


def test_structured_2027_file_makes_2027_computable(
    data: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["deadline", "--received", "2026-12-15"]) == 2
    capsys.readouterr()
    structured = tmp_path / "2027.json"
    structured.write_text(
        json.dumps(
            {
                "year": 2027,
                "holidays": {"2027-01-01": "元旦", "2027-01-02": "元旦", "2027-01-03": "元旦"},
                "workdays": {},
            }
        ),
        encoding="utf-8",
    )
    assert main(["calendar", "load", str(structured), "--yes"]) == 0
    capsys.readouterr()
    out = _json(capsys, ["deadline", "--received", "2026-12-15", "--json"])
    assert out["flags"] == []
    assert out["answer_due"] == "2027-01-13"  # one day later than the Monday–Friday guess


def test_show_missing_year_exits_2(data: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["calendar", "show", "2027"]) == 2
    assert "2027年节假日安排尚未导入" in capsys.readouterr().err


def test_show_package_year_text(data: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["calendar", "show", "2025"]) == 0
    out = capsys.readouterr().out
    assert "chinese-calendar" in out
    assert "2025-10-11 星期六 上班（调休） 国庆节" in out


def test_load_missing_or_invalid_file_exits_2(
    data: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["calendar", "load", str(tmp_path / "nope.txt"), "--yes"]) == 2
    broken = tmp_path / "broken.json"
    broken.write_text('{"year": 2027,', encoding="utf-8")
    assert main(["calendar", "load", str(broken), "--yes"]) == 2
    assert "not valid JSON" in capsys.readouterr().err


def test_load_repairs_a_corrupt_stored_year(data: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = calendar_dir(data)
    folder.mkdir(parents=True)
    (folder / "2026.json").write_text("{broken", encoding="utf-8")
    assert main(["deadline", "--received", "2026-03-02"]) == 2
    assert "2026.json" in capsys.readouterr().err
    assert main(["calendar", "load", str(NOTICES / "2026.txt"), "--yes"]) == 0
    assert "现有数据无法读取" in capsys.readouterr().out
    assert main(["deadline", "--received", "2026-03-02"]) == 0


def test_load_notice_ending_in_a_line_of_spaces(
    data: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Regression: ``…2025年11月4日\\n　　`` ended in a traceback."""
    pasted = tmp_path / "pasted.txt"
    text = (NOTICES / "2026.txt").read_text(encoding="utf-8").rstrip("\n") + "\n　　"
    pasted.write_text(text, encoding="utf-8")
    assert main(["calendar", "load", str(pasted), "--dry-run"]) == 0
    assert "逐日一致" in capsys.readouterr().out


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.mark.parametrize(("typed", "saved"), [("", False), ("n\n", False), ("y\n", True)])
def test_load_prompt_on_a_terminal(
    data: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    typed: str,
    saved: bool,
) -> None:
    """Ctrl-D (end of input) at 保存？[y/N] is "no", not an EOFError traceback."""
    monkeypatch.setattr(sys, "stdin", _Terminal(typed))
    status = main(["calendar", "load", str(NOTICES / "2026.txt")])
    assert status == (0 if saved else 1)
    assert (calendar_dir(data) / "2026.json").is_file() is saved
    if not saved:
        assert "未保存" in capsys.readouterr().err


def test_load_2024_notice_shows_the_advisory_and_matches(
    data: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    notice = Path(__file__).parent / "data" / "2024.txt"
    assert main(["calendar", "load", str(notice), "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert "倡导性内容（不改变放假安排）：鼓励各单位" in out
    assert "2024-02-09" not in out.split("逐日")[1]


def test_show_names_the_year_end_days_of_the_next_notice(
    data: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["calendar", "show", "2018"]) == 0
    out = capsys.readouterr().out
    head, _, tail = out.partition("由2019年的安排规定")
    assert "2018-12-31" not in head
    assert "2018-12-29 星期六 上班（调休） 元旦" in tail
    assert "2018-12-31 星期一 放假 元旦" in tail


@pytest.mark.parametrize(
    "extra",
    [
        ["--received", "0001-01-01"],
        ["--received", "2025-01-02", "--pause", "2025-01-03", "9999-12-31"],
        ["--received", "2025-01-02", "--correction-received", "2101-01-04"],
        ["--received", "2025-01-02", "--fee-period", "2025-01-03", "9999-12-31"],
    ],
)
def test_date_outside_the_supported_range_is_a_plain_error(
    data: Path, capsys: pytest.CaptureFixture[str], extra: list[str]
) -> None:
    assert main(["deadline", *extra]) == 2
    err = capsys.readouterr().err
    assert "date out of supported range (1990–2100)" in err
    assert "尚未导入" not in err


def test_fee_paid_before_the_fee_notice_exits_2(
    data: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for extra in ([], ["--fee-pauses"]):
        argv = ["deadline", "--received", "2025-03-03", "--fee-period", "2025-03-10", "2025-03-05"]
        assert main([*argv, *extra]) == 2
        assert "缴费日2025-03-05早于收费通知日2025-03-10" in capsys.readouterr().err


def test_missing_year_message_says_how_to_fix_it(
    data: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["deadline", "--received", "2026-12-15"]) == 2
    err = capsys.readouterr().err
    assert "xxgk: 2027年节假日安排尚未导入" in err
    assert "xxgk calendar load <通知>" in err
    assert "--weekday-fallback" in err


def test_load_preview_shows_unread_lines_in_full(
    data: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = (NOTICES / "2025.txt").read_text(encoding="utf-8")
    principles = next(x for x in text.splitlines() if x.startswith("经党中央"))
    assert len(principles) > 60
    assert main(["calendar", "load", str(NOTICES / "2025.txt"), "--dry-run"]) == 0
    assert principles in capsys.readouterr().out


def test_load_json_holds_items_unread_lines_and_comparison(
    data: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = (NOTICES / "2026.txt").read_text(encoding="utf-8")
    moved = tmp_path / "2026-moved.txt"  # 国庆 workday moved from 10-10 (Sat) to 10-11 (Sun)
    moved.write_text(text.replace("10月10日（周六）上班", "10月11日（周日）上班"), encoding="utf-8")
    out = _json(capsys, ["calendar", "load", str(moved), "--dry-run", "--json"])
    assert out["year"] == 2026 and "2026-10-11" in dict(out["workdays"])  # type: ignore[arg-type]
    items = out["items"]
    assert isinstance(items, list) and len(items) == 7
    ignored = [row["text"] for row in out["ignored_lines"]]  # type: ignore[attr-defined]
    assert any(t.startswith("经国务院批准") for t in ignored)
    comparison = out["comparison"]
    assert isinstance(comparison, dict)
    assert comparison["status"] == "different"
    assert {"date": "2026-10-11", "what": "上班"} in comparison["only_new"]
    assert comparison["workday_changes"] == [
        {"date": "2026-10-10", "before": "工作日", "after": "休息日"},
        {"date": "2026-10-11", "before": "休息日", "after": "工作日"},
    ]
    same = _json(capsys, ["calendar", "load", str(NOTICES / "2026.txt"), "--dry-run", "--json"])
    assert same["comparison"]["status"] == "same"  # type: ignore[index]
    assert same["comparison"]["workday_changes"] == []  # type: ignore[index]


def test_load_text_lists_the_workday_changes(
    data: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = (NOTICES / "2026.txt").read_text(encoding="utf-8")
    moved = tmp_path / "2026-moved.txt"
    moved.write_text(text.replace("10月10日（周六）上班", "10月11日（周日）上班"), encoding="utf-8")
    assert main(["calendar", "load", str(moved), "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert "保存后工作日变化（2天）" in out
    assert "2026-10-10 星期六 工作日 → 休息日" in out
