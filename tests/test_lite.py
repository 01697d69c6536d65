"""mifkit in xlwings Lite (Excel 365 and Excel on the web), as far as it can be tried without Excel.

xlwings Lite runs Python 3.14 in the browser (Pyodide): packages come from Pyodide's own builds
or as pure-Python wheels from PyPI, there are no processes and no threads, and the officer sees
only the files under /data.  These tests hold mifkit's add-in to that:

- the bundle of `mifkit addin --lite` installs (its wheel, with pip) and, imported as xlwings Lite
  imports main.py, shows the buttons and runs them through xlwings' own script caller, starting
  no process or thread and writing nothing outside /data (tests/lite_session.py);
- every package mifkit needs is built into Pyodide (tests/data/pyodide_packages.txt, taken from
  Pyodide's package list) in a version mifkit accepts, or is a pure-Python wheel;
- every module the buttons import is one of those packages, or a standard module Pyodide has.
"""

from __future__ import annotations

import importlib.metadata as md
import json
import os
import re
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from addin_harness import actions, open_book
from packaging.requirements import Requirement

from addin import commands, scripts
from addin.lite_bundle import wheel_name
from compiler.cli import main as mifkit

HERE = Path(__file__).parent
PYODIDE_LIST = HERE / "data" / "pyodide_packages.txt"
# How packaging markers read in xlwings Lite (Pyodide 314: Python 3.14 on Emscripten).
PYODIDE_ENVIRONMENT = {"sys_platform": "emscripten", "platform_system": "Emscripten", "os_name": "posix",
                       "python_version": "3.14", "python_full_version": "3.14.2", "implementation_name": "cpython",
                       "platform_python_implementation": "CPython", "platform_machine": "wasm32", "extra": ""}


def norm(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def pyodide_list() -> tuple[dict[str, str], dict[str, str], set[str]]:
    """(Pyodide's built-in packages: name -> version, wheels from PyPI: name -> file, standard modules it lacks)."""
    built, wheels, missing = {}, {}, set()
    for line in PYODIDE_LIST.read_text(encoding="utf-8").splitlines():
        fields = line.split("#", 1)[0].split()
        if len(fields) == 3 and fields[0] == "package":
            built[norm(fields[1])] = fields[2]
        elif len(fields) == 3 and fields[0] == "pypi-wheel":
            wheels[norm(fields[1])] = fields[2]
        elif len(fields) == 2 and fields[0] == "stdlib-missing":
            missing.add(fields[1])
    return built, wheels, missing


def needed() -> dict[str, list[Requirement]]:
    """Every distribution micropip installs for mifkit in Pyodide (its dependencies, theirs, ...),
    with the requirements that ask for it; read from the installed packages' metadata."""
    asked: dict[str, list[Requirement]] = {}
    todo = ["mifkit"]
    while todo:
        name = todo.pop()
        for text in md.distribution(name).requires or []:
            requirement = Requirement(text)
            if requirement.marker and not requirement.marker.evaluate(PYODIDE_ENVIRONMENT):
                continue  # an extra (tests), or for another platform
            key = norm(requirement.name)
            if key not in asked:
                todo.append(key)
            asked.setdefault(key, []).append(requirement)
    return asked


def is_pure_wheel(name: str) -> bool:
    """The wheel pip installed here is pure Python (py3-none-any): it installs in Pyodide as it is."""
    wheel = md.distribution(name).read_text("WHEEL") or ""
    return "Root-Is-Purelib: true" in wheel and any(line.endswith("-none-any") for line in wheel.splitlines()
                                                     if line.startswith("Tag:"))


def test_the_pyodide_list_says_where_it_comes_from_and_is_whole():
    header = PYODIDE_LIST.read_text(encoding="utf-8").split("\n\n", 1)[0]
    assert "pyodide-lock.json" in header and "314.0.7" in header and "Python 3.14.2" in header
    assert re.search(r"taken on \d{4}-\d{2}-\d{2}", header)
    built, wheels, missing = pyodide_list()
    assert len(built) > 300 and {"numpy", "pandas", "python-calamine", "matplotlib", "lxml"} <= set(built)
    assert "subprocess" not in missing and {"pwd", "tkinter", "_multiprocessing"} <= missing


def test_every_package_mifkit_needs_is_built_into_pyodide_or_a_pure_wheel():
    built, wheels, _ = pyodide_list()
    asked = needed()
    assert {"pandas", "python-calamine", "docxtpl", "openpyxl", "numpy"} <= set(asked)  # the walk went deep
    problems = []
    for name, requirements in sorted(asked.items()):
        if name in built:
            refused = [str(r) for r in requirements if not r.specifier.contains(built[name], prereleases=True)]
            if refused:
                problems.append(f"{name}: Pyodide has {built[name]}, but {', '.join(refused)} is asked")
        elif name not in wheels and not is_pure_wheel(name):
            problems.append(f"{name}: neither built into Pyodide nor a pure-Python wheel")
    assert not problems, problems


def test_the_buttons_import_only_those_packages_and_standard_modules_pyodide_has(tmp_path):
    """A fresh process imports what the buttons import (Compile report included), as xlwings Lite would.

    xlwings itself is xlwings Lite's own (it runs there by definition): what it imports is left out."""
    code = textwrap.dedent("""
        import json, sys
        import xlwings
        before = set(sys.modules)
        import addin.scripts, addin.commands, compiler.report, compiler.report.charts, compiler.report.render
        print(json.dumps(sorted({m.split(".")[0] for m in set(sys.modules) - before})))
    """)
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                          cwd=HERE.parent, env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"})
    imported = set(json.loads(done.stdout))
    built, wheels, missing = pyodide_list()
    asked = set(needed()) | {"mifkit"}
    by_module = md.packages_distributions()
    ours = {"addin", "compiler", "workbook_templates", "report_templates"}
    problems = []
    for module in sorted(imported - ours):
        if module in sys.stdlib_module_names or module in sys.builtin_module_names:
            if module in missing:
                problems.append(f"{module}: a standard module Pyodide does not have")
        elif module in by_module and not {norm(d) for d in by_module[module]} & asked:
            problems.append(f"{module} (from {by_module[module]}): not among mifkit's dependencies")
    assert not problems, problems


@pytest.fixture
def lite_site(tmp_path) -> Path:
    """mifkit as xlwings Lite gets it: the bundle's main.py, and the bundle's wheel installed by pip."""
    bundle = tmp_path / "bundle"
    bundle.mkdir()
    assert mifkit(["addin", str(bundle), "--lite", "--url", "https://example.org/mifkit/"]) == 0
    site = tmp_path / "site"
    wheel = bundle / wheel_name(md.version("mifkit"))
    subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--no-index", "--target",
                    str(site), str(wheel)], check=True, capture_output=True)
    shutil.copy(bundle / "main.py", site / "main.py")
    return site


def test_the_bundle_is_what_the_officer_pastes_and_hosts(tmp_path):
    bundle = tmp_path / "bundle"
    bundle.mkdir()
    assert mifkit(["addin", str(bundle), "--lite", "--url", "https://example.org/mifkit/"]) == 0
    wheel = wheel_name(md.version("mifkit"))
    assert sorted(p.name for p in bundle.iterdir()) == sorted(["main.py", "requirements.txt", wheel])
    requirements = [line for line in (bundle / "requirements.txt").read_text().splitlines()
                    if not line.startswith("#")]
    assert requirements == [f"mifkit @ https://example.org/mifkit/{wheel}"]
    assert "from addin.scripts import *" in (bundle / "main.py").read_text()
    # written again only with --force; the address may also be the wheel's own
    assert mifkit(["addin", str(bundle), "--lite"]) == 2
    assert mifkit(["addin", str(bundle), "--lite", "--force", "--url", f"https://h.example/x/{wheel}"]) == 0
    assert f"mifkit @ https://h.example/x/{wheel}" in (bundle / "requirements.txt").read_text()


def test_in_xlwings_lite_the_buttons_run_without_processes_threads_or_files_outside_data(lite_site, built,
                                                                                          tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    shutil.copy(built / "example.xlsx", data / "budget.xlsx")
    result_file = tmp_path / "result.json"
    # A session in xlwings Lite starts with an empty home folder (in memory): matplotlib has no font list yet.
    matplotlib_home = tmp_path / "home" / "matplotlib"
    subprocess.run([sys.executable, str(HERE / "lite_session.py"), str(lite_site), str(data), "budget.xlsx",
                    str(result_file)], check=True, cwd=tmp_path,
                   env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1", "PYTHONPATH": "",
                        "MPLCONFIGDIR": str(matplotlib_home)})
    result = json.loads(result_file.read_text())
    assert Path(result["mifkit_from"]) == lite_site  # the wheel's mifkit ran, not this checkout
    assert result["buttons"] == ["check_funding_split", "clear_marks", "compile_report", "quitar_marcas",
                                 "validar", "validate_workbook"]
    assert (result["writes_outside_data"], result["processes"], result["threads"]) == ([], [], [])
    validate = result["validate_workbook"]
    assert validate["actions"].count("addNote") >= 9 and "setRangeColor" in validate["actions"]
    assert validate["alert"] == ""  # the findings are in the workbook; nothing to say in a dialog
    assert result["clear_marks"]["alert"] == "mifkit: there are no marks to remove."  # a fresh book: none
    report = data / "budget_report_en.docx"
    assert report.stat().st_size > 10_000
    message = result["compile_report"]["alert"]
    assert "budget_report_en.docx in xlwings Lite's files" in message and "budget_logframe.xlsx" in message
    assert "DRAFT" in message and "in xlwings Lite's files again" in message and str(data) not in message
    assert sorted(p.name for p in data.iterdir()) == ["budget.xlsx", "budget_report_en.docx"]


def test_compile_report_in_xlwings_lite_takes_the_logframe_among_its_files(built, tmp_path, monkeypatch):
    monkeypatch.setattr(commands, "IN_BROWSER", True)
    monkeypatch.setattr(commands, "LITE_FILES", tmp_path)
    shutil.copy(built / "example.xlsx", tmp_path / "budget.xlsx")
    assert mifkit(["new", "logframe", str(tmp_path / "budget_logframe.xlsx"), "--example", "tc-03-02-01-0"]) == 0
    outcome = scripts.compile_report(open_book(tmp_path / "budget.xlsx", name="budget.xlsx"))
    assert outcome.ok and "from budget.xlsx and budget_logframe.xlsx" in outcome.message
    assert (tmp_path / "budget_report_en.docx").stat().st_size > 10_000


def test_validate_with_the_logframe_beside_the_budget_marks_the_budget(built, tmp_path, monkeypatch):
    monkeypatch.setattr(commands, "IN_BROWSER", True)
    monkeypatch.setattr(commands, "LITE_FILES", tmp_path)
    shutil.copy(built / "example.xlsx", tmp_path / "budget.xlsx")
    assert mifkit(["new", "logframe", str(tmp_path / "budget_logframe.xlsx"), "--example", "tc-03-02-01-0"]) == 0
    live = open_book(tmp_path / "budget.xlsx", name="budget.xlsx")
    outcome = scripts.validate_workbook(live)
    assert outcome.ok and outcome.message == ""  # the logframe among Lite's files was found and read
    assert any(f.code.startswith("LF") for f in outcome.report.findings)  # its findings are listed
    assert "Logframe" not in {a["args"][1] for a in actions(live) if a["func"] == "addSheet"}


def test_compile_report_in_xlwings_lite_asks_for_the_saved_workbook_among_its_files(built, tmp_path, monkeypatch):
    monkeypatch.setattr(commands, "IN_BROWSER", True)
    monkeypatch.setattr(commands, "LITE_FILES", tmp_path)
    live = open_book(built / "example.xlsx", name="budget.xlsx")
    outcome = scripts.compile_report(live)
    assert not outcome.ok and "Import/Export" in outcome.message and "budget.xlsx" in outcome.message
    assert "budget_logframe.xlsx" in outcome.message
    assert [a["func"] for a in actions(live)] == ["alert"] and list(tmp_path.iterdir()) == []
    # Excel on the web may name the book without its extension: its .xlsx among the files is the one
    shutil.copy(built / "example.xlsx", tmp_path / "budget.xlsx")
    outcome = scripts.compile_report(open_book(built / "example.xlsx", name="budget"))
    assert outcome.ok, outcome.message
    assert (tmp_path / "budget_report_en.docx").is_file() and not (tmp_path / "budget_report_en.pdf").exists()
