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
from xml.sax.saxutils import escape

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


# Word documents go to PDF through a small Basic macro rather than --convert-to, because --convert-to
# prints a table of contents as it was saved (in a freshly compiled report: empty), while the macro
# updates every index (the table of contents, with its page numbers) before exporting.  The macro lives
# in the call's own profile; `ooSetupInstCompleted` keeps LibreOffice from replacing it with the default
# macro library on the profile's first start.
_MACRO = """Sub ToPdf(folder As String, names As String)
  Dim load(0) As New com.sun.star.beans.PropertyValue
  load(0).Name = "Hidden" : load(0).Value = True
  Dim store(0) As New com.sun.star.beans.PropertyValue
  store(0).Name = "FilterName" : store(0).Value = "writer_pdf_Export"
  Dim stems() As String
  stems = Split(names, "|")
  For n = 0 To UBound(stems)
    doc = StarDesktop.loadComponentFromURL(ConvertToURL(folder & "/" & stems(n) & ".docx"), "_blank", 0, load())
    indexes = doc.getDocumentIndexes()
    For i = 0 To indexes.getCount() - 1
      indexes.getByIndex(i).update()
    Next i
    doc.storeToURL(ConvertToURL(folder & "/" & stems(n) & ".pdf"), store())
    doc.close(True)
  Next n
End Sub
"""

_DOCTYPE = ('<?xml version="1.0" encoding="UTF-8"?>\n'
            '<!DOCTYPE {root} PUBLIC "-//OpenOffice.org//DTD OfficeDocument 1.0//EN" "{dtd}">\n')
_LIBRARIES = ('<library:libraries xmlns:library="http://openoffice.org/2000/library" '
              'xmlns:xlink="http://www.w3.org/1999/xlink">\n'
              ' <library:library library:name="Standard" library:link="false"/>\n</library:libraries>\n')
_LIBRARY = ('<library:library xmlns:library="http://openoffice.org/2000/library" library:name="Standard" '
            'library:readonly="false" library:passwordprotected="false">{elements}</library:library>\n')
_SETUP_DONE = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema"
 xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Setup/Office"><prop oor:name="ooSetupInstCompleted" oor:op="fuse">
<value>true</value></prop></item>
</oor:items>
"""


def _profile_with_macro(profile: Path) -> None:
    """A LibreOffice profile whose Standard library holds the ToPdf macro."""
    basic = profile / "user" / "basic"
    (basic / "Standard").mkdir(parents=True)
    (profile / "user" / "registrymodifications.xcu").write_text(_SETUP_DONE, encoding="utf-8")
    for name in ("script.xlc", "dialog.xlc"):
        (basic / name).write_text(_DOCTYPE.format(root="library:libraries", dtd="libraries.dtd") + _LIBRARIES,
                                  encoding="utf-8")
    (basic / "Standard" / "script.xlb").write_text(
        _DOCTYPE.format(root="library:library", dtd="library.dtd")
        + _LIBRARY.format(elements='<library:element library:name="Module1"/>'), encoding="utf-8")
    (basic / "Standard" / "dialog.xlb").write_text(
        _DOCTYPE.format(root="library:library", dtd="library.dtd") + _LIBRARY.format(elements=""), encoding="utf-8")
    (basic / "Standard" / "Module1.xba").write_text(
        _DOCTYPE.format(root="script:module", dtd="module.dtd")
        + '<script:module xmlns:script="http://openoffice.org/2000/script" script:name="Module1" '
          f'script:language="StarBasic">{escape(_MACRO, {chr(34): "&quot;"})}</script:module>\n', encoding="utf-8")


def documents_to_pdf(sources: list[Path], outdir: Path, timeout: float = 180) -> list[Path]:
    """Word documents to PDF with their tables of contents updated; returns the PDFs (in `outdir`)."""
    soffice = soffice_path()
    if soffice is None:
        raise MifkitError("LibreOffice (soffice) is not installed; it is needed for this step")
    outdir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="mifkit-lo-") as work:
        profile, folder = Path(work) / "profile", Path(work) / "docs"
        _profile_with_macro(profile)
        folder.mkdir()
        # Plain names in a folder of our own: nothing of the user's path has to survive Basic quoting.
        stems = [f"doc{n}" for n in range(len(sources))]
        for stem, source in zip(stems, sources, strict=True):
            shutil.copyfile(source, folder / f"{stem}.docx")
        macro = f'macro:///Standard.Module1.ToPdf("{folder}","{"|".join(stems)}")'
        command = [soffice, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore", macro]
        try:
            done = subprocess.run(command, capture_output=True, text=True, timeout=timeout, check=False)
        except subprocess.TimeoutExpired:
            raise MifkitError(f"LibreOffice did not finish converting within {timeout:.0f} s") from None
        written = []
        for stem, source in zip(stems, sources, strict=True):
            made = folder / f"{stem}.pdf"
            if not made.exists():
                detail = (done.stderr or done.stdout).strip().splitlines()[-1:] or ["no output"]
                raise MifkitError(f"LibreOffice could not convert {Path(source).name} to PDF: {detail[0]}")
            target = outdir / (Path(source).stem + ".pdf")
            shutil.move(made, target)
            written.append(target)
    return written
