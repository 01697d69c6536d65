"""The logframe's Spanish texts: the example carries them, the reader reads them as optional columns, and the
Spanish report prints them (the English where a workbook has none)."""

from __future__ import annotations

import shutil
import tomllib

import docx
import openpyxl
import pytest
from conftest import EXAMPLE

from compiler.cli import main
from compiler.problems import WorkbookError
from compiler.read_logframe import load_logframe
from compiler.validate import validate_file
from workbook_templates import logframe_layout as lf
from workbook_templates.build_logframe import write_logframe
from workbook_templates.logframe_spec import blank_logframe_spec, example_logframe_spec
from workbook_templates.spec import _example_file


@pytest.fixture(scope="module")
def logframes(tmp_path_factory):
    """The example's logframe as mifkit writes it, and the same workbook with every Spanish column deleted
    (what a workbook written before those columns existed looks like)."""
    folder = tmp_path_factory.mktemp("spanish")
    full, english = folder / "logframe.xlsx", folder / "logframe_english.xlsx"
    write_logframe(example_logframe_spec(EXAMPLE), full)
    book = openpyxl.load_workbook(full)
    for sheet in lf.LOGFRAME_SHEETS:
        spanish = [lf.col_number(sheet, c.key) for c in lf.COLUMNS[sheet] if c.key.endswith("_es")]
        for number in sorted(spanish, reverse=True):
            book[sheet].delete_cols(number)
    book.save(english)
    return {"full": full, "english": english}


def all_text(path) -> str:
    document = docx.Document(str(path))
    cells = [c.text for t in document.tables for r in t.rows for c in r.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


def compile_example(built, logframe, lang, out) -> str:
    args = ["compile", str(built / "example.xlsx"), str(logframe), "--period", "3", "--lang", lang,
            "--allow-errors", "-o", str(out)]
    assert main(args) == 0
    return all_text(out)


def test_example_reads_back_with_a_spanish_text_for_every_english_one(logframes):
    logframe = load_logframe(logframes["full"])
    annex = tomllib.loads(_example_file(EXAMPLE, "logframe.toml").read_text(encoding="utf-8"))
    assert "unofficial" in annex["translation_note"]
    book = openpyxl.load_workbook(logframes["full"])
    assert annex["translation_note"] == book[lf.LOGFRAME_SHEET]["A3"].value  # the workbook says so too
    for key in ("text", "unit", "baseline", "target", "means", "assumptions"):
        typed = logframe.indicators[logframe.indicators[key] != ""]
        assert (typed[f"{key}_es"] != "").all(), key
        worded = typed[typed[key].str.contains("[a-z]{3}")]   # a text, not a figure such as "0" or "50%"
        assert (worded[f"{key}_es"] != worded[key]).all(), key
    assert len(logframe.indicators) == 28 and len(logframe.activities) == 23
    assert (logframe.objectives["text_es"] != "").all() and (logframe.activities["text_es"] != "").all()
    assert logframe.indicator("2.2")["text_es"] == \
        "Al mes 14: 20 redes funcionan con gerentes contratados para ese fin."
    assert logframe.activities.set_index("code").loc["2.a", "text_es"] == \
        "Apoyar la selección y contratación de los gerentes de red."
    assert list(logframe.amounts["text_es"])[2] == "Componente 3: Facilitación del acceso a mercados"
    written = logframe.narrative[logframe.narrative["period"] <= 3]
    for key in ("achievements", "problems", "administrative", "council_follow_up"):
        assert (written[f"{key}_es"] != "").all() and (written[f"{key}_es"] != written[key]).all()
    commented = logframe.progress[logframe.progress["comment"] != ""]
    assert len(commented) == 8 and (commented["comment_es"] != "").all()
    assert logframe.odd == [] and logframe.unreadable == []


def test_blank_logframe_offers_the_spanish_columns_as_inputs(tmp_path):
    write_logframe(blank_logframe_spec(), tmp_path / "blank.xlsx")
    book = openpyxl.load_workbook(tmp_path / "blank.xlsx")
    for sheet in lf.LOGFRAME_SHEETS:
        ws = book[sheet]
        for c in lf.COLUMNS[sheet]:
            if c.key.endswith("_es"):  # the Spanish twins (other optional columns are English)
                column = lf.col_number(sheet, c.key)
                assert ws.cell(lf.HEADER_ROW, column).value == c.header and c.header.endswith("(Spanish)")
                assert ws.cell(lf.FIRST_ROW + 1, column).protection.locked is False, (sheet, c.header)
                english = lf.col_number(sheet, c.key.removesuffix("_es"))
                assert column == english + 1  # right beside the English text


def test_spanish_report_prints_the_spanish_texts_and_none_of_the_english(built, logframes, tmp_path):
    text = compile_example(built, logframes["full"], "es", tmp_path / "informe.docx")
    logframe = load_logframe(logframes["full"])
    for texts in (logframe.indicators["text_es"], logframe.activities["text_es"]):
        assert all(t in text for t in texts)
    for texts in (logframe.indicators["text"], logframe.activities["text"]):
        assert not [t for t in texts if t in text]
    third = logframe.progress[(logframe.progress["period"] == 3) & (logframe.progress["code"] == "2.a")].iloc[0]
    assert third["comment_es"] in text and third["comment"] not in text  # an activity's comment
    third = logframe.progress[(logframe.progress["period"] == 3) & (logframe.progress["code"] == "P.2")].iloc[0]
    assert third["actual_es"] in text and third["actual"] not in text  # an indicator's actual value
    narrative = logframe.narrative.set_index("period").loc[3]
    assert narrative["problems_es"] in text and narrative["problems"] not in text
    assert "anual, desde el año 2" in text and "Annually, beginning in year 2" not in text
    english = compile_example(built, logframes["full"], "en", tmp_path / "report.docx")
    assert all(t in english for t in logframe.indicators["text"])
    assert not [t for t in logframe.indicators["text_es"] if t in english]


def test_a_logframe_without_the_spanish_columns_reads_as_before(built, logframes, tmp_path):
    old, new = load_logframe(logframes["english"]), load_logframe(logframes["full"])
    for table in ("indicators", "objectives", "activities", "progress", "narrative"):
        spanish = [c for c in getattr(old, table).columns if c.endswith("_es")]
        assert spanish and (getattr(old, table)[spanish] == "").all().all(), table
        english = [c for c in getattr(old, table).columns if not c.endswith("_es") and not c.endswith("cell")]
        assert getattr(old, table)[english].equals(getattr(new, table)[english]), table
    # the cells are those of the columns as they stand: the layout before the Spanish columns existed
    assert old.indicator("2.2")["target_cell"] == f"H{old.indicator('2.2')['row']}"
    assert list(old.amounts["donor_cell"]) == ["D5", "D13", "D20", "D24"]
    found = {(f.code, f.cell) for f in validate_file(built / "example.xlsx", logframes["english"],
                                                     groups=["logframe"]).findings}
    row = int(old.progress[(old.progress["period"] == 3) & (old.progress["code"] == "2.2")].iloc[0]["row"])
    assert found == {("LF02", f"I{old.indicator('G.1')['row']}"), ("LF04", f"G{row}")}
    text = compile_example(built, logframes["english"], "es", tmp_path / "informe.docx")
    assert all(t in text for t in old.indicators["text"]) and all(t in text for t in old.activities["text"])


def test_a_spanish_column_renamed_stops_the_reading_at_its_header(logframes, tmp_path):
    """An optional column may be absent, not renamed: the reader then meets an unknown header where the next
    English column should stand, and says where."""
    target = tmp_path / "renamed.xlsx"
    shutil.copy(logframes["full"], target)
    book = openpyxl.load_workbook(target)
    book[lf.NARRATIVE_SHEET][lf.cell(lf.NARRATIVE_SHEET, "problems_es", lf.HEADER_ROW)] = "Problemas"
    book.save(target)
    with pytest.raises(WorkbookError, match=r"Narrative!F4 should be the column header 'Problems and action taken "
                                            r"\(Spanish\)' or 'Administrative matters' but mifkit finds 'Problemas'"):
        load_logframe(target)
