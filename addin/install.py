"""The ribbon add-ins for desktop Excel on Windows, written by `mifkit addin FOLDER`.

xlwings ships a ribbon add-in template (quickstart_addin_ribbon.xlam) whose one ribbon callback,
`RibbonMyAddin.RunMain`, runs `RunPython "import NAME; NAME.main()"`, NAME being the add-in's own
file name; the callback is not told which button was clicked.  Its VBA is compiled and cannot be
edited without Excel, so mifkit does not touch it: it writes one copy per button
(`mifkit_validate.xlam`, `mifkit_funding.xlam`, `mifkit_clear.xlam`, `mifkit_report.xlam`),
changing only their ribbon (a plain XML part) so that all four put their button on one shared
"mifkit" tab, and next to each a two-line Python module of the same name whose `main` is the
button's script in `addin.scripts`.  Taking the template
from the installed xlwings keeps its VBA and the xlwings Python package at the same version, which
RunPython requires.

On Windows the add-ins are also told which Python to start (the one running `mifkit addin`, where
mifkit is installed): its path goes next to "Interpreter_Win" on the template's configuration
sheet, which is switched on by renaming it "myaddin.conf" (the name xlwings' VBA looks for), so
the add-ins do not depend on PATH.
"""

from __future__ import annotations

import importlib.util
import sys
import zipfile
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

from compiler.outputs import atomic_output
from compiler.problems import MifkitError

TEMPLATE = "quickstart_addin_ribbon.xlam"
RIBBON_PART = "customUI/customUI.xml"
CONFIG_PART = "xl/worksheets/sheet1.xml"  # the template's "_myaddin.conf" sheet
WORKBOOK_PART = "xl/workbook.xml"
# xlwings' VBA reads settings from a sheet named "myaddin.conf"; the leading "_" switches it off.
CONFIG_SHEET_OFF, CONFIG_SHEET_ON = 'name="_myaddin.conf"', 'name="myaddin.conf"'
ON_ACTION = "RibbonMyAddin.RunMain"       # the template's VBA callback
TAB_NAMESPACE = "urn:mifkit:ribbon"       # a qualified tab id lets two add-ins share one tab
# Row 1 of the template's configuration sheet: the label "Interpreter_Win", value empty.
INTERPRETER_ROW = '<row r="1" spans="1:1" ht="15.75"><c r="A1" s="1" t="s"><v>6</v></c></row>'


@dataclass(frozen=True)
class Button:
    module: str      # the add-in's file name, and the Python module its button imports
    function: str    # the script of addin.scripts that the button runs
    label: str
    tip: str
    image: str       # a built-in Office icon (imageMso)


BUTTONS = (
    Button("mifkit_validate", "validate_workbook", "Validate / Validar",
           "Check the budget with every rule and mark each problem at its cell. / "
           "Revisa el presupuesto con todas las reglas y marca cada problema en su celda.", "MacroPlay"),
    Button("mifkit_funding", "check_funding_split", "Check funding split / Revisar financiamiento",
           "Only the funding and policy rules: MIF and counterpart shares, in kind, funding sources. / "
           "Solo las reglas de financiamiento: porcentajes FOMIN y contrapartida, especie, fuentes.",
           "PercentStyle"),
    Button("mifkit_clear", "clear_marks", "Clear marks / Quitar marcas",
           "Put back the cells' colours and notes and remove the Findings sheet. / "
           "Devuelve los colores y notas de las celdas y quita la hoja Findings.", "Delete"),
    Button("mifkit_report", "compile_report", "Compile report / Compilar informe",
           "Write the latest semiannual report (Word) next to the saved workbook. / "
           "Escribe el último informe semestral (Word) junto al libro guardado.", "ExportWord"),
)


def xlwings_template() -> Path:
    """The ribbon add-in template of the installed xlwings (found without importing xlwings)."""
    spec = importlib.util.find_spec("xlwings")
    path = Path(spec.origin).parent / TEMPLATE if spec and spec.origin else None
    if path is None or not path.is_file():
        raise MifkitError(f"xlwings' add-in template ({TEMPLATE}) was not found; reinstall mifkit with pip")
    return path


def ribbon_xml(button: Button) -> str:
    """A ribbon with one group on the shared mifkit tab, its button calling the template's callback."""
    return (
        '<customUI xmlns="http://schemas.microsoft.com/office/2006/01/customui" '
        f'xmlns:m="{TAB_NAMESPACE}">\n'
        '  <ribbon>\n    <tabs>\n'
        '      <tab idQ="m:mifkitTab" label="mifkit">\n'
        f'        <group id="{button.module}Group" label={quoteattr(button.label.split(" / ")[0])}>\n'
        f'          <button id="{button.module}Button" label={quoteattr(button.label)} size="large" '
        f'onAction="{ON_ACTION}" imageMso="{button.image}" screentip={quoteattr(button.label)} '
        f'supertip={quoteattr(button.tip)} />\n'
        '        </group>\n      </tab>\n    </tabs>\n  </ribbon>\n</customUI>\n'
    )


def module_text(button: Button) -> str:
    return (f'"""mifkit\'s {button.label.split(" / ")[0]} button: {button.module}.xlam runs main() '
            f'(written by `mifkit addin`)."""\n\n'
            f"from addin.scripts import {button.function} as main  # noqa: F401\n")


def with_interpreter(config_xml: str, interpreter: str) -> str:
    """The configuration sheet with the Python interpreter filled in next to "Interpreter_Win"."""
    if INTERPRETER_ROW not in config_xml:
        raise MifkitError(f"this xlwings version's {TEMPLATE} has another layout; "
                          "set the interpreter in the add-in's _myaddin.conf sheet by hand")
    cell = f'<c r="B1" t="inlineStr"><is><t>{escape(interpreter)}</t></is></c>'
    row = INTERPRETER_ROW.replace('spans="1:1"', 'spans="1:2"').replace("</c></row>", f"</c>{cell}</row>")
    return config_xml.replace(INTERPRETER_ROW, row)


def with_config_sheet_on(workbook_xml: str) -> str:
    """The workbook part with the configuration sheet switched on, so the interpreter setting counts."""
    if CONFIG_SHEET_OFF not in workbook_xml:
        raise MifkitError(f"this xlwings version's {TEMPLATE} has another layout; "
                          "set the interpreter in the add-in's configuration sheet by hand")
    return workbook_xml.replace(CONFIG_SHEET_OFF, CONFIG_SHEET_ON)


def write_xlam(template: Path, target: Path, ribbon: str, interpreter: str | None) -> None:
    """Copy the template part by part, replacing the ribbon (and the interpreter setting)."""
    with zipfile.ZipFile(template) as source, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as out:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == RIBBON_PART:
                data = ribbon.encode("utf-8")
            elif info.filename == CONFIG_PART and interpreter:
                data = with_interpreter(data.decode("utf-8"), interpreter).encode("utf-8")
            elif info.filename == WORKBOOK_PART and interpreter:
                data = with_config_sheet_on(data.decode("utf-8")).encode("utf-8")
            out.writestr(info, data)


def windows_interpreter() -> str | None:
    """pythonw.exe of the running Python on Windows (no console window); None elsewhere."""
    if sys.platform != "win32":
        return None
    pythonw = Path(sys.executable).with_name("pythonw.exe")
    return str(pythonw if pythonw.exists() else Path(sys.executable))


def write_addins(folder: str | Path, force: bool = False, interpreter: str | None = None) -> list[Path]:
    """Write every button's .xlam and .py into `folder`; returns the files written."""
    folder = Path(folder)
    if not folder.is_dir():
        raise MifkitError(f"{folder}: no such folder")
    template = xlwings_template()
    written = []
    for button in BUTTONS:
        with atomic_output(folder / f"{button.module}.xlam", force=force) as tmp:
            write_xlam(template, tmp, ribbon_xml(button), interpreter)
        with atomic_output(folder / f"{button.module}.py", force=force) as tmp:
            tmp.write_text(module_text(button), encoding="utf-8")
        written += [folder / f"{button.module}.xlam", folder / f"{button.module}.py"]
    return written
