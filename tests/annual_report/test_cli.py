"""``xxgk report parse | check | render | audit`` through ``xxgk.cli.main``."""

from __future__ import annotations

import csv
import io
import json
import os
from pathlib import Path

import pytest

from tests.annual_report.golden import load_golden
from tests.annual_report.samples import CORE_SAMPLES, SEED
from xxgk.cli import main

SHANGHAI = CORE_SAMPLES["shanghai-gov-office-2019"]


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    status = main(["report", *argv])
    out, err = capsys.readouterr()
    return status, out, err


def test_parse_csv_to_stdout_matches_the_golden_file(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, err = run(capsys, "parse", str(SEED), "--format", "csv")
    assert status == 0, err
    rows = list(csv.DictReader(io.StringIO(out)))
    got = {(r["section"], r["table"], r["row"], r["column"]): r["value"] for r in rows}
    assert got == load_golden("seed-000_37d7ff8d3b3e8faf")


def test_parse_json_to_a_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out_file = tmp_path / "seed.json"
    status, out, _ = run(capsys, "parse", str(SEED), "-o", str(out_file))
    assert status == 0 and out == ""
    data = json.loads(out_file.read_text(encoding="utf-8"))
    assert data["schema"] == "xxgk-annual-report" and data["schema_version"] == 1
    assert data["year"] == 2020 and data["format_version"] == "2019"
    money = next(c for c in data["cells"] if c["column"] == ["采购总金额"])
    assert money["value"] == "166.3700"


def test_parse_several_files_adds_a_file_column(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(capsys, "parse", str(SEED), str(SHANGHAI), "--format", "csv")
    assert status == 0
    header = out.splitlines()[0]
    assert header == "file,section,table,row,column,value"
    assert {line.split(",")[0] for line in out.splitlines()[1:]} == {str(SEED), str(SHANGHAI)}


def test_check_exit_status(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(capsys, "check", str(SEED))
    assert status == 0
    assert "C11" in out and "错误 0 项" in out
    status, out, _ = run(capsys, "check", str(SHANGHAI))
    assert status == 1
    assert "[error C2]" in out


def test_check_json(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(capsys, "check", str(SEED), "--json")
    assert status == 0
    [result] = json.loads(out)
    assert result["ok"] is True and result["agency"].endswith("东湖街道办事处")
    assert {f["check"] for f in result["findings"] if f["severity"] == "warning"} == {"C11"}


def test_check_with_previous(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    text = SEED.read_text(encoding="utf-8").replace(
        "2020年政府信息公开工作年度报告", "2019年政府信息公开工作年度报告"
    )
    text = text.replace("\t四、结转下年度继续办理\n\t0", "\t四、结转下年度继续办理\n\t1")
    previous = tmp_path / "prev.txt"
    previous.write_text(text, encoding="utf-8")
    status, out, _ = run(capsys, "check", str(SEED), "--previous", str(previous))
    assert status == 1 and "[error C4]" in out


def test_render_round_trip_through_json(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    report_json = tmp_path / "r.json"
    assert run(capsys, "parse", str(SHANGHAI), "-o", str(report_json))[0] == 0
    out_csv = tmp_path / "r.csv"
    status, _, err = run(capsys, "render", str(report_json), "--to", "csv", "-o", str(out_csv))
    assert status == 0, err
    rows = list(csv.DictReader(out_csv.open(encoding="utf-8")))
    got = {(r["section"], r["table"], r["row"], r["column"]): r["value"] for r in rows}
    assert got == load_golden("shanghai-gov-office-2019")


BAD_INPUTS = {
    "empty.txt": b"",
    "junk.bin": bytes(range(256)) * 40,
    "no-tables.html": "<html><body><p>关于做好2024年工作的通知</p></body></html>".encode(),
    "budget.txt": "某某局2023年部门预算\n一、收入支出决算总表\n\t项目\n\t金额\n".encode(),
    "truncated.pdf": b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog",
    "bad.json": b'{"schema": "xxgk-annual-report", "schema_version": 1, "cells": [{"row": 5}]}',
}


@pytest.mark.parametrize("name", sorted(BAD_INPUTS))
def test_bad_input_is_exit_2_with_a_clear_message(
    name: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / name
    path.write_bytes(BAD_INPUTS[name])
    for command in ("parse", "check"):
        status, _, err = run(capsys, command, str(path))
        assert status == 2
        assert "Traceback" not in err
        assert err.startswith(f"xxgk report: {path}: ")
        assert len(err.strip().splitlines()) == 1


def test_a_200_mb_file_is_refused_before_reading(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    big = tmp_path / "big.txt"
    with big.open("wb") as handle:  # sparse: no disk used, never read
        handle.truncate(200 * 1024 * 1024)
    status, _, err = run(capsys, "check", str(big))
    assert status == 2 and "文件过大" in err and "50 MB" in err


def test_missing_file(capsys: pytest.CaptureFixture[str]) -> None:
    status, _, err = run(capsys, "parse", "/nonexistent/report.txt")
    assert status == 2 and "无法打开文件" in err


def test_audit_carries_on_past_bad_files(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "seed.txt").write_bytes(SEED.read_bytes())
    (folder / "shanghai.js").write_bytes(SHANGHAI.read_bytes())
    (folder / "junk.bin").write_bytes(os.urandom(2000))
    (folder / "empty.txt").write_bytes(b"")
    out = tmp_path / "out"
    status, stdout, err = run(capsys, "audit", str(folder), "-o", str(out), "-j", "2")
    assert status == 1  # Shanghai has errors, two files are unreadable
    assert "4/4" in err and "Traceback" not in err  # the progress bar
    cells = list(csv.DictReader((out / "cells.csv").open(encoding="utf-8")))
    assert {c["file"] for c in cells} == {"seed.txt", "shanghai.js"}
    assert len([c for c in cells if c["file"] == "seed.txt"]) == len(
        load_golden("seed-000_37d7ff8d3b3e8faf")
    )
    findings = list(csv.DictReader((out / "findings.csv").open(encoding="utf-8")))
    unreadable = {f["file"] for f in findings if f["check"] == "READ.unreadable"}
    assert unreadable == {"junk.bin", "empty.txt"}
    assert any(f["file"] == "shanghai.js" and f["check"] == "C2" for f in findings)
    summary = (out / "summary.html").read_text(encoding="utf-8")
    assert summary.count("<svg") == 2 and "上海市人民政府办公厅" in summary
    assert "2 个无法读取" in stdout


def test_audit_of_an_empty_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status, _, err = run(capsys, "audit", str(tmp_path), "-o", str(tmp_path / "o"), "-q")
    assert status == 2 and "文件夹中没有文件" in err


def test_the_engine_and_its_cli_never_load_django() -> None:
    import subprocess
    import sys

    code = (
        "import sys, xxgk.annual_report, xxgk.annual_report.cli, xxgk.annual_report.audit;"
        "from xxgk.annual_report import read, check;"
        f"check(read({str(SEED)!r}));"
        "assert not [m for m in sys.modules if m == 'django' or m.startswith('django.')], 'django'"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr


def test_render_to_an_unwritable_place(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    report_json = tmp_path / "r.json"
    assert run(capsys, "parse", str(SEED), "-o", str(report_json))[0] == 0
    status, _, err = run(
        capsys, "render", str(report_json), "--to", "csv", "-o", str(tmp_path / "no" / "x.csv")
    )
    assert status == 2 and "无法写入" in err and "Traceback" not in err


@pytest.mark.parametrize(
    "argv",
    [("check", str(SEED), "--all"), ("parse", str(SEED), "--format", "csv")],
)
def test_a_reader_that_goes_away_gets_no_traceback(argv: tuple[str, ...]) -> None:
    """``xxgk report check … | head -1`` / ``parse … | head -c 0``: quiet, no BrokenPipeError."""
    import subprocess
    import sys

    proc = subprocess.Popen(
        [sys.executable, "-m", "xxgk.cli", "report", *argv],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.close()  # like `head -c 0`: the pipe is closed before anything is written
    err = proc.stderr.read().decode("utf-8", "replace")
    status = proc.wait(timeout=120)
    assert "Traceback" not in err and "BrokenPipe" not in err, err
    assert status == 141


def test_unknown_agency_and_year_are_said_in_words(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = SEED.read_text(encoding="utf-8")
    title = "北京市朝阳区人民政府东湖街道办事处2020年政府信息公开工作年度报告"
    assert title in text
    edited = tmp_path / "untitled.txt"
    edited.write_text(text.replace(title, "政府信息公开工作报告"), encoding="utf-8")
    _, out, _ = run(capsys, "check", str(edited))
    first = out.splitlines()[0]
    assert "机关名称未识别" in first and "年度未识别" in first and "?" not in first


def test_cli_errors_are_one_language(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status, _, err = run(capsys, "audit", str(SEED), "-o", str(tmp_path / "out"))
    assert status == 2 and err.strip() == f"xxgk report: {SEED}: 不是文件夹"
    empty = tmp_path / "empty"
    empty.mkdir()
    status, _, err = run(capsys, "audit", str(empty), "-o", str(tmp_path / "out"))
    assert status == 2 and err.strip() == f"xxgk report: {empty}: 文件夹中没有文件"
