"""What xlwings Lite needs to run mifkit's buttons, written by `mifkit addin FOLDER --lite`.

xlwings Lite (Excel 365 and Excel on the web) runs Python in the browser (Pyodide): the code is
pasted into its main.py tab and the packages are listed in its requirements.txt tab, which it
installs from PyPI and Pyodide's own builds.  mifkit is not on PyPI, so it goes in as a wheel that
the browser downloads from an address of the officer's (any host that allows it, a GitHub
repository for example).  Three files:

- `main.py`: imports the add-in's scripts (`addin.scripts`); xlwings Lite shows each one as a button;
- `requirements.txt`: the wheel's address, under the xlwings line xlwings Lite writes itself;
- the wheel, `mifkit-VERSION-py3-none-any.whl`, made from the installed mifkit (no build tools
  needed: a wheel is a zip of the packages with their metadata), for the officer to put online.
"""

from __future__ import annotations

import base64
import hashlib
import importlib.metadata
import importlib.util
import zipfile
from pathlib import Path

from compiler.outputs import atomic_output
from compiler.problems import MifkitError

DISTRIBUTION = "mifkit"
PACKAGES = ("addin", "compiler", "workbook_templates", "report_templates")
SKIPPED_SUFFIXES = (".pyc", ".pyo")
URL_PLACEHOLDER = "https://YOUR-HOST/"

MAIN_PY = '''"""mifkit: checks the budget workbook at its cells and compiles its progress report.

Each script below is a button: validate_workbook (validar in Spanish) marks every problem at its
cell; check_funding_split checks only the funding rules; clear_marks (quitar_marcas) puts the
workbook back as it was; compile_report writes the Word report into xlwings Lite's files (menu ›
Files › Import/Export), from the saved workbook you put there.
"""

from addin.scripts import *  # noqa: F401,F403  (mifkit's add-in: every script of it becomes a button)
'''

REQUIREMENTS = """# Keep the xlwings line that xlwings Lite wrote above this one, and add:
mifkit @ {url}
"""


def wheel_name(version: str) -> str:
    return f"{DISTRIBUTION}-{version}-py3-none-any.whl"


def wheel_url(address: str | None, version: str) -> str:
    """The wheel's address: `address` is the .whl itself or the folder it is in (a placeholder if none)."""
    address = address or URL_PLACEHOLDER
    if address.endswith(".whl"):
        return address
    return address.rstrip("/") + "/" + wheel_name(version)


def package_files() -> list[tuple[str, Path]]:
    """(path inside the wheel, file on disk) of every file of mifkit's packages, wherever installed."""
    files = []
    for package in PACKAGES:
        spec = importlib.util.find_spec(package)
        if spec is None or not spec.submodule_search_locations:
            raise MifkitError(f"the {package} package of mifkit was not found; reinstall mifkit")
        root = Path(next(iter(spec.submodule_search_locations)))
        for path in sorted(root.rglob("*")):
            if path.is_file() and path.suffix not in SKIPPED_SUFFIXES and "__pycache__" not in path.parts:
                files.append((f"{package}/{path.relative_to(root).as_posix()}", path))
    return files


def _record_line(name: str, data: bytes) -> str:
    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
    return f"{name},sha256={digest},{len(data)}"


def write_wheel(target: Path) -> None:
    """A pure-Python wheel of the installed mifkit: its packages, METADATA (with its dependencies), WHEEL, RECORD."""
    dist = importlib.metadata.distribution(DISTRIBUTION)
    info = f"{DISTRIBUTION}-{dist.version}.dist-info"
    parts = [(name, path.read_bytes()) for name, path in package_files()]
    metadata = dist.read_text("METADATA") or dist.read_text("PKG-INFO")  # PKG-INFO: a source checkout's egg-info
    parts.append((f"{info}/METADATA", metadata.encode("utf-8")))
    parts.append((f"{info}/WHEEL", b"Wheel-Version: 1.0\nGenerator: mifkit\nRoot-Is-Purelib: true\n"
                                   b"Tag: py3-none-any\n"))
    entry_points = dist.read_text("entry_points.txt")
    if entry_points:
        parts.append((f"{info}/entry_points.txt", entry_points.encode("utf-8")))
    record = [_record_line(name, data) for name, data in parts] + [f"{info}/RECORD,,"]
    parts.append((f"{info}/RECORD", ("\n".join(record) + "\n").encode("utf-8")))
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as wheel:
        for name, data in parts:
            wheel.writestr(zipfile.ZipInfo(name, date_time=(2020, 1, 1, 0, 0, 0)), data, zipfile.ZIP_DEFLATED)


def write_lite_bundle(folder: str | Path, address: str | None = None, force: bool = False) -> list[Path]:
    """main.py, requirements.txt and the wheel, in `folder`; returns the files written."""
    folder = Path(folder)
    if not folder.is_dir():
        raise MifkitError(f"{folder}: no such folder")
    version = importlib.metadata.version(DISTRIBUTION)
    written = [folder / "main.py", folder / "requirements.txt", folder / wheel_name(version)]
    with atomic_output(written[0], force=force) as tmp:
        tmp.write_text(MAIN_PY, encoding="utf-8")
    with atomic_output(written[1], force=force) as tmp:
        tmp.write_text(REQUIREMENTS.format(url=wheel_url(address, version)), encoding="utf-8")
    with atomic_output(written[2], force=force) as tmp:
        write_wheel(tmp)
    return written
