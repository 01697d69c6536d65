"""What mifkit can run in Pyodide (Python 3.14 in WebAssembly, as in xlwings Lite) on a machine that
cannot download Pyodide's own builds of numpy and pandas: run there by tests/pyodide/run.mjs, and the
same `digest` under the desktop Python by tests/test_pyodide.py, which compares the two.

- every module of mifkit compiles under Python 3.14, its warnings (invalid escapes, `return` in
  `finally`, ...) taken as errors;
- the modules that need neither numpy nor pandas import: the file reader (python-calamine's build for
  Pyodide, and the guard scan of the sheet XML), the formula evaluator, periods, numbers, the add-in's
  reader of the open workbook;
- the budget workbooks (built on the desktop: building needs pandas) are read there by mifkit's file
  reader, as Compile report reads them in xlwings Lite: `digest` sums up what it read (every value and
  formula of every sheet), for the desktop to compare;
- what stops the rest: the first import that fails, by module.
"""

from __future__ import annotations

import hashlib
import importlib
import json
import sys
import warnings
from pathlib import Path

PACKAGES = ("addin", "compiler", "workbook_templates", "report_templates")
WITHOUT_NUMPY = ("compiler.problems", "compiler.outputs", "compiler.findings", "compiler.formula", "compiler.grid",
                 "compiler.numbers", "compiler.periods", "addin.live", "workbook_templates.layout",
                 "workbook_templates.spec")
NEED_NUMPY = ("compiler.read_budget", "compiler.validate", "addin.scripts", "compiler.report")


def compile_all(root: Path) -> list[str]:
    """Every module of mifkit compiled with this Python, warnings as errors; the problems found."""
    problems = []
    for package in PACKAGES:
        for path in sorted((root / package).rglob("*.py")):
            with warnings.catch_warnings():
                warnings.simplefilter("error")
                try:
                    compile(path.read_text(encoding="utf-8"), str(path), "exec")
                except (SyntaxError, Warning) as exc:
                    problems.append(f"{path.relative_to(root)}: {type(exc).__name__}: {exc}")
    return problems


def digest(folder: Path) -> dict[str, str]:
    """Each budget workbook in `folder` read by mifkit's file reader: a hash of every sheet's values and formulas."""
    from compiler.grid import read_grids
    from workbook_templates import layout

    sums = {}
    for path in sorted(folder.glob("*.xlsx")):
        grids = read_grids(path, layout.READ_SHEETS)
        cells = {sheet: [grid.values, sorted((f"{r},{c}", f) for (r, c), f in (grid.formulas or {}).items())]
                 for sheet, grid in sorted(grids.items())}
        sums[path.name] = hashlib.sha256(json.dumps(cells, default=repr, sort_keys=True).encode()).hexdigest()
    return sums


def first_failure(module: str) -> str:
    try:
        importlib.import_module(module)
    except Exception as exc:  # what stops it here: reported, not raised
        return f"{type(exc).__name__}: {exc}"
    return ""


def main(root: str, workbooks: str) -> dict:
    sys.path.insert(0, root)
    result = {"python": sys.version.split()[0], "platform": sys.platform,
              "compile_problems": compile_all(Path(root))}
    result["imports"] = {m: first_failure(m) or "ok" for m in WITHOUT_NUMPY + NEED_NUMPY}
    result["digest"] = digest(Path(workbooks))
    return result
