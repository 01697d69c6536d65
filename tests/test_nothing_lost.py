"""Nothing is ever lost: no command writes to its input, and an output is complete or absent.

A failure in the middle of writing (a full disk, a crash) must leave the file that was there before,
or nothing, and no temporary file beside it.  The writer is made to fail half-way, after it has
written part of its file, which is when a careless program leaves a truncated workbook behind.
"""

from __future__ import annotations

import errno
import hashlib
import os
import zipfile
from pathlib import Path

import pytest
from hostile.corpus import CASE_BY_NAME

from compiler import cli
from compiler.outputs import atomic_output
from compiler.problems import OutputError


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _listing(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def _options(command: str) -> set[str]:
    parser = cli.build_parser()
    sub = next(a for a in parser._actions if a.dest == "command")
    chosen = sub.choices.get(command)
    return {s for a in chosen._actions for s in a.option_strings} if chosen else set()


@pytest.fixture
def disk_full_half_way(monkeypatch):
    """The workbook writer writes some bytes, then the disk is full."""
    import workbook_templates.build

    def failing(spec, path, mode="formulas"):
        Path(path).write_bytes(b"PK\x03\x04 half a workbook")
        raise OSError(errno.ENOSPC, "No space left on device", str(path))

    monkeypatch.setattr(workbook_templates.build, "write_budget", failing)


def test_new_budget_failing_half_way_leaves_nothing(tmp_path, disk_full_half_way, capsys):
    target = tmp_path / "budget.xlsx"
    assert cli.main(["new", "budget", str(target)]) == 2
    assert "No space left on device" in capsys.readouterr().err
    assert _listing(tmp_path) == [], "a half-written file or a temporary file was left"


def test_new_budget_failing_half_way_keeps_the_file_it_was_to_replace(tmp_path, disk_full_half_way, capsys):
    target = tmp_path / "budget.xlsx"
    target.write_bytes(b"the officer's earlier workbook")
    assert cli.main(["new", "budget", str(target), "--force"]) == 2
    assert target.read_bytes() == b"the officer's earlier workbook"
    assert _listing(tmp_path) == ["budget.xlsx"]


def test_atomic_output_refuses_an_input_by_any_name(tmp_path):
    source = tmp_path / "budget.xlsx"
    source.write_bytes(b"input")
    (tmp_path / "link.xlsx").symlink_to(source)
    os.link(source, tmp_path / "hard.xlsx")
    for name in ("budget.xlsx", "link.xlsx", "hard.xlsx", "./budget.xlsx"):
        with pytest.raises(OutputError, match="never writes to its inputs"), \
                atomic_output(tmp_path / name, force=True, inputs=(source,)):
            pass
    assert source.read_bytes() == b"input"


def test_atomic_output_removes_its_temporary_file_on_any_failure(tmp_path):
    target = tmp_path / "report.docx"
    with pytest.raises(KeyboardInterrupt), atomic_output(target) as tmp:
        tmp.write_bytes(b"partial")
        raise KeyboardInterrupt
    assert _listing(tmp_path) == []


def test_lines_writes_nothing_beside_its_input(example_copy):
    before, listing = _digest(example_copy), _listing(example_copy.parent)
    assert cli.main(["lines", str(example_copy)]) == 0
    assert _digest(example_copy) == before and _listing(example_copy.parent) == listing


@pytest.fixture
def annotate():
    if "--annotate" not in _options("validate"):
        pytest.skip("`mifkit validate --annotate` is not in this build yet")


def test_validate_refuses_to_annotate_over_its_input(example_copy, annotate, capsys):
    before = _digest(example_copy)
    assert cli.main(["validate", str(example_copy), "--annotate", str(example_copy)]) == 2
    assert "never writes to its inputs" in capsys.readouterr().err
    assert _digest(example_copy) == before


def test_validate_annotate_failing_half_way_leaves_nothing(example_copy, annotate, monkeypatch, capsys):
    import compiler.annotate

    def failing(self, target):
        Path(target).write_bytes(b"PK\x03\x04 half a workbook")
        raise OSError(errno.ENOSPC, "No space left on device", str(target))

    monkeypatch.setattr(compiler.annotate.Package, "save", failing)
    listing = _listing(example_copy.parent)
    assert cli.main(["validate", str(example_copy), "--annotate", str(example_copy.parent / "out.xlsx")]) == 2
    assert _listing(example_copy.parent) == listing


def test_annotated_copy_of_an_xlsm_keeps_its_macros(built, tmp_path, annotate):
    source = tmp_path / "budget.xlsm"
    CASE_BY_NAME["xlsm_with_macros"].build(built / "example.xlsx", source)
    out = tmp_path / "annotated.xlsm"
    before = _digest(source)
    assert cli.main(["validate", str(source), "--annotate", str(out)]) in (0, 1)
    with zipfile.ZipFile(source) as original, zipfile.ZipFile(out) as annotated:
        assert annotated.read("xl/vbaProject.bin") == original.read("xl/vbaProject.bin")
        assert b"macroEnabled" in annotated.read("[Content_Types].xml")
    assert _digest(source) == before

