"""mifkit under Python 3.14 in WebAssembly (Pyodide 314, the Python of xlwings Lite), run by node.

`make pyodide` sets it up in .pyodide (the `pyodide` package from the npm registry, and from PyPI
the wheels that run there: python-calamine's and xlwings' builds for Pyodide, the pure-Python
ones) and runs these tests; elsewhere they are skipped.  Pyodide's own builds of numpy, pandas,
matplotlib and lxml come only from Pyodide's download site, which a machine limited to the package
registries cannot reach, so what needs them is not run here (tests/pyodide/in_pyodide.py says what
is).  mifkit is installed from the wheel of `mifkit addin --lite`, as in xlwings Lite.
"""

from __future__ import annotations

import importlib.metadata as md
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from addin.lite_bundle import wheel_name
from compiler.cli import main as mifkit

ROOT = Path(__file__).parent.parent
PYODIDE = Path(os.environ.get("MIFKIT_PYODIDE", ROOT / ".pyodide"))
RUNTIME = PYODIDE / "node_modules" / "pyodide"
sys.path.insert(0, str(Path(__file__).parent / "pyodide"))
import in_pyodide  # noqa: E402

pytestmark = pytest.mark.skipif(
    not (RUNTIME / "pyodide.mjs").is_file() or shutil.which("node") is None,
    reason="Pyodide is not set up here (`make pyodide` sets it up with npm and runs these tests)")


@pytest.fixture(scope="module")
def in_pyodide_result(built, tmp_path_factory) -> dict:
    folder = tmp_path_factory.mktemp("pyodide")
    assert mifkit(["addin", str(folder), "--lite"]) == 0
    wheels = [folder / wheel_name(md.version("mifkit")), *sorted((PYODIDE / "wheels").glob("*.whl"))]
    result = folder / "result.json"
    subprocess.run(["node", str(ROOT / "tests" / "pyodide" / "run.mjs"), str(RUNTIME), str(result), str(built),
                    *map(str, wheels)], check=True, timeout=600)
    return json.loads(result.read_text())


def test_it_is_python_3_14_in_webassembly(in_pyodide_result):
    assert in_pyodide_result["python"].startswith("3.14.") and in_pyodide_result["platform"] == "emscripten"


def test_every_module_of_mifkit_compiles_under_python_3_14_without_warnings(in_pyodide_result):
    assert in_pyodide_result["compile_problems"] == []


def test_what_needs_no_numpy_imports_and_the_rest_stops_only_for_pyodides_own_builds(in_pyodide_result):
    imports = in_pyodide_result["imports"]
    assert all(imports[m] == "ok" for m in in_pyodide.WITHOUT_NUMPY), imports
    unavailable = tuple(f"No module named '{m}'" for m in ("numpy", "pandas", "matplotlib", "lxml", "PIL"))
    assert all(imports[m] == "ok" or imports[m].endswith(unavailable) for m in in_pyodide.NEED_NUMPY), imports


def test_the_file_reader_reads_the_workbooks_there_exactly_as_here(in_pyodide_result, built):
    """The reader Compile report uses in xlwings Lite: python-calamine's WebAssembly build and the XML scan."""
    here = in_pyodide.digest(built)
    assert set(here) == {"example.xlsx", "example_formulas.xlsx", "template.xlsx"}
    assert in_pyodide_result["digest"] == here
