"""The hostile corpus through the real command line: every damaged, forged or odd file gets its exit
code and a one-line message naming the file (and sheet and cell where they apply), never a
traceback, never a hang, with memory bounded, and the input file is left byte for byte as it was."""

from __future__ import annotations

import hashlib
import os
import re
import resource
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from hostile.corpus import CASE_BY_NAME, CASES, build_case, example_workbook

from compiler.cli import build_parser
from compiler.grid import scan_sheet

MEMORY_CAP = 1536 * 1024 * 1024  # address space, bytes: a bomb must be refused well inside it
TIMEOUT = 120  # seconds: far beyond any case's time (about a second), so only a hang reaches it


def _commands() -> set[str]:
    sub = next(a for a in build_parser()._actions if a.dest == "command")
    return set(sub.choices)


def _run(*args: str, cap: int | None = None) -> subprocess.CompletedProcess:
    def limit() -> None:
        if cap:
            resource.setrlimit(resource.RLIMIT_AS, (cap, cap))

    env = {k: v for k, v in os.environ.items() if k != "MIFKIT_DEBUG"}
    return subprocess.run([sys.executable, "-m", "compiler.cli", *args], capture_output=True, text=True,
                          timeout=TIMEOUT, preexec_fn=limit, env=env)


def _digest(path: Path) -> str | None:
    return hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else None


COMMANDS = ("lines", "validate", "periods", "compile")


def _arguments(command: str, path: Path) -> list[str]:
    if command == "compile":
        return [command, str(path), "--period", "latest", "-o", str(_report_of(path))]
    return [command, str(path)]


def _report_of(path: Path) -> Path:
    """Where `compile` is told to write: another folder, so the inputs' folder stays as it was."""
    return path.parent.parent / f"{path.parent.name}-reports" / f"{path.stem}.docx"


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("hostile")
    example = example_workbook(folder / "example.xlsx")
    files = {case.name: build_case(case, example, folder) for case in CASES}
    files["example"] = example
    return files


@pytest.fixture(scope="module")
def runs(corpus) -> dict[tuple[str, str], tuple[subprocess.CompletedProcess, bool]]:
    """Every case through every command, two processes at a time; and whether its input was left as it was."""
    folder = corpus["example"].parent
    before = {name: _digest(path) for name, path in corpus.items()}
    listing = sorted(p.name for p in folder.iterdir())
    _report_of(corpus["example"]).parent.mkdir(exist_ok=True)
    wanted = {name: case for name, case in CASE_BY_NAME.items()}
    jobs = [(name, command) for name in corpus for command in COMMANDS if command in _commands()
            and (name == "example" or wanted[name].expect(command) is not None)]
    with ThreadPoolExecutor(max_workers=max(2, min(4, os.cpu_count() or 2))) as pool:
        done = dict(zip(jobs, pool.map(lambda job: _run(*_arguments(job[1], corpus[job[0]])), jobs), strict=True))
    assert sorted(p.name for p in folder.iterdir()) == listing, "a file was left beside the inputs"
    return {job: (result, _digest(corpus[job[0]]) == before[job[0]]) for job, result in done.items()}


PAIRS = [pytest.param(case, command, id=f"{case.name}-{command}",
                      marks=[pytest.mark.xfail(strict=True, reason=case.known_bug)]
                      if case.known_bug and command == "validate" else [])
         for case in CASES for command in COMMANDS if case.expect(command) is not None]


@pytest.mark.parametrize("case, command", PAIRS)
def test_hostile_file_gets_its_exit_code_and_message(corpus, runs, case, command):
    if command not in _commands():
        pytest.skip(f"`mifkit {command}` is not in this build yet")
    expect = case.expect(command)
    path = corpus[case.name]
    result, unchanged = runs[(case.name, command)]

    said = result.stderr if command == "lines" else result.stdout + result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    assert "internal error" not in result.stderr
    assert result.returncode == expect.exit, said
    assert re.search(expect.message.format(name=re.escape(case.name)), said), said
    if expect.exit == 2:
        assert result.stderr.count("\n") == 1 and str(path) in result.stderr, "one line naming the file"
    assert unchanged, "the input file was changed"
    if expect.exit == 2:
        assert not _report_of(path).exists(), "a refused file still produced a report"
    if case.same_lines:
        example, _ = runs[("example", command)]
        assert result.stdout.replace(str(path), "FILE") == example.stdout.replace(str(corpus["example"]), "FILE")


@pytest.mark.parametrize("command", COMMANDS)
@pytest.mark.parametrize("case", [c for c in CASES if c.bomb], ids=[c.name for c in CASES if c.bomb])
def test_bombs_are_refused_within_a_memory_cap(corpus, case, command):
    """Under a 1.5 GB address-space limit (the CLI itself needs about 0.6 GB of it for Python, pandas
    and calamine), each bomb is refused with its message: not a MemoryError, not a kill."""
    if command not in _commands():
        pytest.skip(f"`mifkit {command}` is not in this build yet")
    path = corpus[case.name]
    started = time.monotonic()
    _report_of(path).parent.mkdir(exist_ok=True)
    result = _run(*_arguments(command, path), cap=MEMORY_CAP)
    assert time.monotonic() - started < 30
    assert result.returncode == 2, result.stderr
    assert re.search(case.lines.message.format(name=re.escape(case.name)), result.stderr), result.stderr
    assert "MemoryError" not in result.stderr and "memory allocation" not in result.stderr
    assert not _report_of(path).exists()


@pytest.mark.parametrize("name", ["cell_at_xfd", "empty_value_at_xfd", "forged_string_count"])
def test_calamine_alone_would_abort_on_these_files(corpus, name):
    """Why the guards exist: the fast reader by itself aborts the whole process on these files."""
    code = ("import sys, python_calamine\n"
            "book = python_calamine.CalamineWorkbook.from_path(sys.argv[1])\n"
            "for name in book.sheet_names: book.get_sheet_by_name(name).to_python()\n")

    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (MEMORY_CAP, MEMORY_CAP))

    result = subprocess.run([sys.executable, "-c", code, str(corpus[name])], capture_output=True, text=True,
                            timeout=TIMEOUT, preexec_fn=limit)
    assert result.returncode != 0
    assert "memory allocation" in result.stderr


@pytest.mark.parametrize("xml", [
    b"<c " * 1_000_000,                                   # start tags that never close
    b'<c r="A1"><f>' * 300_000,                           # cells and formulas that never close
    b'<row r="1"' * 300_000,
    b"<" * 3_000_000,
    b'<sheetData><c r="A1">' + b"<f " * 1_000_000,
    b'<sheetData><row><c><v>' + b"1" * 3_000_000,
    b'<dimension ref="' + b"A" * 3_000_000,
], ids=["open-c", "open-cell-formula", "open-row", "lt", "open-f", "long-value", "long-ref"])
def test_sheet_scan_is_linear_on_crafted_xml(xml):
    """No pattern of the scan can backtrack: a few megabytes of crafted XML take a few seconds at most (the
    process's own CPU time, so that other work on the machine does not count; a backtracking pattern would
    take minutes)."""
    started = time.process_time()
    scan_sheet(xml)
    assert time.process_time() - started < 3


def test_scan_reads_cells_without_addresses():
    xml = (b'<worksheet><sheetData><row><c t="e"><v>#REF!</v></c><c><f>1+1</f></c></row>'
           b'<row r="5"><c/><c><v>2</v></c></row></sheetData><mergeCells><mergeCell ref="A5:B5"/></mergeCells>'
           b"</worksheet>")
    scan = scan_sheet(xml)
    assert (scan.max_row, scan.max_col) == (5, 2)
    assert str(scan.errors[(1, 1)]) == "#REF!"
    assert scan.formulas == {(1, 2): "1+1"} and scan.uncached == {(1, 2)}
    assert scan.merged == ["A5:B5"] and scan.problem is None


def test_part_count_is_read_from_zip64_end_records_too(tmp_path):
    """Past 65,535 parts a zip keeps its count in a ZIP64 record: the guard must find it there."""
    import zipfile

    from compiler.grid import _declared_entries

    with zipfile.ZipFile(tmp_path / "many.zip", "w") as z:
        for i in range(70_000):
            z.writestr(f"p{i}", b"")
    assert _declared_entries(tmp_path / "many.zip") == 70_000
