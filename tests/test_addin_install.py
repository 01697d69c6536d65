"""`mifkit addin FOLDER`: the ribbon add-ins for desktop Excel, checked as files (Excel is not run)."""

from __future__ import annotations

import importlib.util
import zipfile

from defusedxml import ElementTree

from addin import scripts
from addin.install import (
    BUTTONS,
    CONFIG_PART,
    ON_ACTION,
    RIBBON_PART,
    WORKBOOK_PART,
    write_addins,
    xlwings_template,
)
from compiler.cli import main

UI = "{http://schemas.microsoft.com/office/2006/01/customui}"


def ribbon(path):
    with zipfile.ZipFile(path) as z:
        return ElementTree.fromstring(z.read(RIBBON_PART))


def test_four_addins_share_one_tab_and_keep_xlwings_vba(tmp_path):
    """One add-in per button: the template's one callback (RunMain) cannot tell buttons apart."""
    written = write_addins(tmp_path)
    assert sorted(p.name for p in written) == sorted(f"mifkit_{n}.{ext}" for n in ("validate", "funding", "clear",
                                                                                  "report") for ext in ("py", "xlam"))
    with zipfile.ZipFile(xlwings_template()) as z:
        template_parts = {i.filename: z.read(i) for i in z.infolist()}
    tabs, labels = set(), []
    for button in BUTTONS:
        xlam = tmp_path / f"{button.module}.xlam"
        with zipfile.ZipFile(xlam) as z:
            parts = {i.filename: z.read(i) for i in z.infolist()}
        assert set(parts) == set(template_parts)
        assert parts["xl/vbaProject.bin"] == template_parts["xl/vbaProject.bin"]  # the VBA is xlwings' own
        changed = {name for name in parts if parts[name] != template_parts[name]}
        assert changed == {RIBBON_PART}
        ui = ribbon(xlam)
        tab = ui.find(f"{UI}ribbon/{UI}tabs/{UI}tab")
        tabs.add((tab.get("idQ"), tab.get("label")))
        button_xml = tab.find(f"{UI}group/{UI}button")
        assert button_xml.get("onAction") == ON_ACTION and button_xml.get("label") == button.label
        labels.append(button.label.split(" / ")[0])
    assert tabs == {("m:mifkitTab", "mifkit")}
    assert labels == ["Validate", "Check funding split", "Clear marks", "Compile report"]


def test_each_button_module_runs_the_right_function(tmp_path):
    write_addins(tmp_path)
    for button in BUTTONS:
        path = tmp_path / f"{button.module}.py"
        spec = importlib.util.spec_from_file_location(button.module, path)  # what RunPython imports
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        assert module.main is getattr(scripts, button.function)
    assert [b.function for b in BUTTONS] == [s.__name__ for s in scripts.SCRIPTS]


def test_the_interpreter_is_written_into_the_addin_configuration(tmp_path):
    """xlwings' VBA reads INTERPRETER_WIN from column B of a sheet named "myaddin.conf"."""
    write_addins(tmp_path, interpreter=r"C:\Python312\pythonw.exe")
    ns = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
    with zipfile.ZipFile(tmp_path / "mifkit_validate.xlam") as z:
        config = ElementTree.fromstring(z.read(CONFIG_PART))
        workbook = ElementTree.fromstring(z.read(WORKBOOK_PART))
        strings = [si.find(f"{ns}t").text for si in ElementTree.fromstring(z.read("xl/sharedStrings.xml"))]
    assert [s.get("name") for s in workbook.iter(f"{ns}sheet")] == ["myaddin.conf"]
    cells = {c.get("r"): c for c in config.iter(f"{ns}c")}
    assert strings[int(cells["A1"].find(f"{ns}v").text)] == "Interpreter_Win"
    assert cells["B1"].find(f"{ns}is/{ns}t").text == r"C:\Python312\pythonw.exe"


def test_command_refuses_to_replace_without_force(tmp_path, capsys):
    assert main(["addin", str(tmp_path)]) == 0
    before = (tmp_path / "mifkit_validate.xlam").read_bytes()
    assert main(["addin", str(tmp_path)]) == 2
    assert "already exists" in capsys.readouterr().err
    assert (tmp_path / "mifkit_validate.xlam").read_bytes() == before
    assert main(["addin", str(tmp_path / "missing")]) == 2
    assert main(["addin", str(tmp_path), "--force"]) == 0
