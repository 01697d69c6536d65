"""LibreOffice headless: an independent spreadsheet engine (recalculation) and the PDF converter.

Each call gets its own LibreOffice profile, because two soffice processes sharing one fail, and the
profile forces a full recalculation on load: left to itself LibreOffice keeps the cached values of
.xlsx files, which would hide exactly the differences the recalculation is for.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from compiler.problems import MifkitError

_PROFILE_SETTINGS = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema"
 xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load">
 <prop oor:name="OOXMLRecalcMode" oor:op="fuse"><value>0</value></prop></item>
<item oor:path="/org.openoffice.Office.Calc/Formula/Load">
 <prop oor:name="ODFRecalcMode" oor:op="fuse"><value>0</value></prop></item>
</oor:items>
"""


def soffice_path() -> str | None:
    """The soffice executable, or None when LibreOffice is not installed.

    On Windows its installer does not put soffice on PATH: it is looked for where it installs it.
    """
    found = shutil.which("soffice") or shutil.which("libreoffice")
    if found or sys.platform != "win32":
        return found
    for folder in (os.environ.get("PROGRAMFILES"), os.environ.get("PROGRAMFILES(X86)")):
        candidate = Path(folder or "C:/Program Files") / "LibreOffice" / "program" / "soffice.exe"
        if candidate.is_file():
            return str(candidate)
    return None


def convert(sources: list[Path], target: str, outdir: Path, timeout: float = 180) -> list[Path]:
    """Convert files with LibreOffice (`target`: "pdf", "xlsx"...); returns the written paths.

    Several files go in one call, which saves LibreOffice's start-up time for each.
    """
    soffice = soffice_path()
    if soffice is None and target == "pdf":
        raise MifkitError("no PDF was made: LibreOffice is not installed (Debian or Ubuntu: sudo apt-get install "
                          "libreoffice-writer-nogui; Windows: libreoffice.org). The Word file is written: Word saves "
                          "it as PDF too (File › Save As › PDF)")
    if soffice is None:
        raise MifkitError("LibreOffice (soffice) is not installed; it is needed for this step")
    outdir.mkdir(parents=True, exist_ok=True)
    filters = {"xlsx": 'xlsx:Calc MS Excel 2007 XML', "pdf": "pdf"}
    with tempfile.TemporaryDirectory(prefix="mifkit-lo-") as profile:
        user = Path(profile) / "user"
        user.mkdir()
        (user / "registrymodifications.xcu").write_text(_PROFILE_SETTINGS, encoding="utf-8")
        command = [soffice, f"-env:UserInstallation={Path(profile).as_uri()}", "--headless", "--norestore",
                   "--convert-to", filters.get(target, target), "--outdir", str(outdir), *map(str, sources)]
        try:
            done = subprocess.run(command, capture_output=True, text=True, timeout=timeout, check=False)
        except subprocess.TimeoutExpired:
            raise MifkitError(f"LibreOffice did not finish converting within {timeout:.0f} s") from None
    suffix = "." + target.split(":")[0]
    written = [outdir / (Path(s).stem + suffix) for s in sources]
    missing = [p for p in written if not p.exists()]
    if done.returncode != 0 or missing:
        detail = (done.stderr or done.stdout).strip().splitlines()[-1:] or ["no output"]
        raise MifkitError(f"LibreOffice could not convert {missing[0].stem if missing else sources[0]}: {detail[0]}")
    return written
