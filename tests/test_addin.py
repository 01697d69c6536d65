"""The Excel add-in, run on real workbooks through xlwings' remote engine (see tests/addin_harness.py).

What the officer relies on: the add-in finds what the command line finds in the same figures; each
finding is pointed at its cell (colour, note, a link in the list); nothing of hers is changed or
lost (figures, fills, her own notes); Clear marks puts the workbook back as it was; a workbook that
cannot be checked gets one message naming the sheet and cell.
"""

from __future__ import annotations

import datetime as dt
import inspect
import shutil
import sys
import typing

import openpyxl
import pandas as pd
import pytest
import xlwings as xw
from addin_harness import actions, fills, open_book, payload, replay, sheet_position, written
from openpyxl.comments import Comment

from addin import commands, scripts
from addin.commands import clear_book, validate_book
from addin.excel import show_report
from addin.live import grids_from_book
from addin.marks import ERROR_FILL, FINDINGS_HEADER_ROW, FINDINGS_SHEET, RECORD_HEADER_ROW, RECORD_SHEET, WARNING_FILL
from compiler.findings import ERROR, WARNING, Finding, Report, split_cell
from compiler.grid import read_grids
from compiler.read_budget import budget_from_grids
from compiler.validate import validate_file
from workbook_templates import layout
from workbook_templates.spec import example_structure

EXAMPLE_SHAPE = example_structure()

WHEN = dt.datetime(2026, 11, 21, 9, 30)
NETWORK_MANAGERS_ROW = 39  # line 2.01 of the example: year 2 printed 163,400 for 1,362 x 120 = 163,440
SLIP = layout.cell(EXAMPLE_SHAPE, "y2_subtotal", NETWORK_MANAGERS_ROW)


def finding(code, severity, sheet, cell, expected, actual, message) -> Finding:
    row, col = split_cell(cell)
    return Finding(code, severity, sheet, cell, row, col, expected, actual, message, "budget.xlsx")


def example_report() -> Report:
    """Findings on real cells of the example: two on the slip, one on the Summary, one on a whole sheet."""
    return Report([
        finding("AR01", ERROR, "Budget", SLIP, 163440, 163400, "year 2 subtotal is 163,400; 1,362 x 120 = 163,440"),
        finding("DA09", WARNING, "Budget", SLIP, None, 163400, "a typed figure where the template has a formula"),
        finding("AR20", WARNING, "Summary", "D5", 415160, 415000, "=the total differs from the Budget"),
        finding("DA01", WARNING, "Project", "", None, None, "no first-disbursement date"),
    ], ["budget.xlsx"])


def workbook_cells(path) -> dict[tuple[str, str], object]:
    book = openpyxl.load_workbook(path)
    return {(ws.title, c.coordinate): c.value for ws in book.worksheets
            if ws.title not in (FINDINGS_SHEET, RECORD_SHEET)
            for row in ws.iter_rows() for c in row if c.value is not None}


def comments(path) -> dict[tuple[str, str], str]:
    book = openpyxl.load_workbook(path)
    return {(ws.title, c.coordinate): c.comment.text for ws in book.worksheets
            for row in ws.iter_rows() for c in row if c.comment is not None}


# ------------------------------------------------------------------------------------------------
# Reading live Excel
# ------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("name", ["example.xlsx", "example_formulas.xlsx", "template.xlsx"])
def test_live_sheets_give_the_same_budget_as_the_file(built, name):
    path = built / name
    live = budget_from_grids(grids_from_book(open_book(path)), "budget")
    saved = budget_from_grids(read_grids(path, layout.REQUIRED_SHEETS), "budget")
    pd.testing.assert_frame_equal(live.lines, saved.lines)
    pd.testing.assert_frame_equal(live.components, saved.components)
    pd.testing.assert_frame_equal(live.summary, saved.summary)
    pd.testing.assert_frame_equal(pd.DataFrame(live.foot), pd.DataFrame(saved.foot))
    assert live.project.values == saved.project.values
    assert (live.odd_cells, live.stray_cells, live.blank_rows) == (saved.odd_cells, saved.stray_cells,
                                                                   saved.blank_rows)
    assert live.formula_cells is None  # Excel on the web does not send formulas: the model says so


def test_validate_finds_what_the_command_line_finds(built):
    path = built / "example.xlsx"
    outcome = validate_book(open_book(path, name=str(path)), "en", WHEN)
    assert outcome.ok, outcome.message
    assert outcome.report.to_dict() == validate_file(path).to_dict()


def test_text_in_an_amount_cell_reaches_the_model_at_its_cell(example_copy, tmp_path):
    book = openpyxl.load_workbook(example_copy)
    book["Budget"][SLIP] = "163.400 aprox"
    book.save(example_copy)
    budget = budget_from_grids(grids_from_book(open_book(example_copy)), "budget")
    odd = [(c.sheet, c.address, c.value) for c in budget.odd_cells]
    assert ("Budget", SLIP, "163.400 aprox") in odd


def test_a_moved_column_stops_with_one_message_naming_the_cell(example_copy):
    book = openpyxl.load_workbook(example_copy)
    book["Budget"]["D5"] = "Cost"
    book.save(example_copy)
    live = open_book(example_copy)
    outcome = scripts.validate_workbook(live)
    assert not outcome.ok
    assert "Budget!D5" in outcome.message and "\n" not in outcome.message
    assert [a["func"] for a in actions(live)] == ["alert"]  # nothing written, only the dialog


def test_a_sheet_used_to_its_last_cell_is_refused_before_reading(example_copy):
    data = payload(example_copy)
    data["sheets"][sheet_position(data, "Summary")]["used_range_address"] = "$A$1:$XFD$1048576"
    outcome = validate_book(xw.Book(json=data), "en", WHEN)
    assert not outcome.ok and "Summary" in outcome.message and "XFD1048576" in outcome.message


# ------------------------------------------------------------------------------------------------
# Marking findings
# ------------------------------------------------------------------------------------------------

def test_each_finding_is_marked_at_its_cell_and_listed(built):
    path = built / "example.xlsx"
    live = open_book(path)
    records = show_report(live, example_report(), "en", WHEN, fills(path))
    done = actions(live)
    budget = sheet_position(payload(path), "Budget")
    colours = {(a["sheet_position"], a["start_row"] + 1, a["start_column"] + 1): a["args"][0]
               for a in done if a["func"] == "setRangeColor"}
    row, col = NETWORK_MANAGERS_ROW, layout.column_index(EXAMPLE_SHAPE)["y2_subtotal"]
    assert colours[(budget, row, col)] == ERROR_FILL  # the worst of the two findings there
    assert WARNING_FILL in colours.values()            # the Summary cell
    notes = {a["args"][0]: a["args"][1] for a in done if a["func"] == "addNote"}
    slip_note = notes["$" + SLIP[0] + "$" + SLIP[1:]]
    assert slip_note.index("AR01 (error)") < slip_note.index("DA09 (warning)")
    assert "163,440" in slip_note
    listed = written(live, FINDINGS_SHEET)
    assert listed[0][0] == "mifkit: 1 error(s), 3 warning(s) in example.xlsx (every rule)"
    assert listed[1][0].startswith("Checked on 2026-11-21 09:30.")
    assert listed[FINDINGS_HEADER_ROW - 1][:6] == ["Code", "Severity", "Cell", "Message", "Expected", "Actual"]
    rows = listed[FINDINGS_HEADER_ROW:]
    assert [r[0] for r in rows] == ["AR01", "DA09", "DA01", "AR20"]  # sheet, row and column order
    assert rows[0][1:] == ["error", f'=HYPERLINK("#\'Budget\'!{SLIP}","Budget!{SLIP}")',
                           "year 2 subtotal is 163,400; 1,362 x 120 = 163,440", 163440, 163400,
                           rows[0][6]]
    assert rows[3][3] == "'=the total differs from the Budget"  # text starting with "=" stays text
    assert rows[2][2] == "Project"  # a finding about a whole sheet has no cell to link
    assert {(r.sheet, r.cell) for r in records} == {("Budget", SLIP), ("Summary", "D5")}


def test_only_mifkits_two_sheets_receive_values_and_the_record_is_hidden(built):
    live = open_book(built / "example.xlsx")
    show_report(live, example_report(), "en", WHEN, fills(built / "example.xlsx"))
    new_sheets = {a["args"][1]: a["args"][0] for a in actions(live) if a["func"] == "addSheet"}
    assert set(new_sheets) == {FINDINGS_SHEET, RECORD_SHEET}
    writes = {a["sheet_position"] for a in actions(live) if a["func"] == "setValues"}
    assert writes == set(new_sheets.values())
    hidden = [a for a in actions(live) if a["func"] == "setSheetVisibility"]
    assert [(a["sheet_position"], a["args"]) for a in hidden] == [(new_sheets[RECORD_SHEET], ["Hidden"])]
    record = written(live, RECORD_SHEET)
    assert record[RECORD_HEADER_ROW - 1] == ["Sheet", "Cell", "Fill before", "Note added", "Fill from", "Name",
                                             "Fill set", "Note"]
    before = fills(built / "example.xlsx")
    assert [row[:7] for row in record[RECORD_HEADER_ROW:]] == [
        ["Budget", SLIP, before[("Budget", SLIP)], "yes", "cell", "_mifkit_mark_1", ERROR_FILL],
        ["Summary", "D5", before[("Summary", "D5")], "yes", "cell", "_mifkit_mark_2", WARNING_FILL]]
    names = {a["args"][0]: a["args"][1] for a in actions(live) if a["func"] == "namesAdd"}
    assert names == {"_mifkit_mark_1": f"='Budget'!${SLIP[0]}${SLIP[1:]}", "_mifkit_mark_2": "='Summary'!$D$5"}


def test_validate_then_clear_gives_back_the_workbook_as_it_was(example_copy, tmp_path):
    book = openpyxl.load_workbook(example_copy)
    book["Budget"][SLIP].comment = Comment("Checked with the consultant's invoice", "Officer")
    book.save(example_copy)
    before_values, before_fills = workbook_cells(example_copy), fills(example_copy)

    live = open_book(example_copy)
    show_report(live, example_report(), "en", WHEN, fills(example_copy))
    marked = replay(example_copy, actions(live), tmp_path / "marked.xlsx")
    assert fills(marked)[("Budget", SLIP)] == ERROR_FILL
    assert fills(marked)[("Summary", "D5")] == WARNING_FILL
    assert comments(marked)[("Budget", SLIP)] == "Checked with the consultant's invoice"  # hers, kept
    assert comments(marked)[("Summary", "D5")].startswith("mifkit AR20 (warning)")
    saved = openpyxl.load_workbook(marked)  # the marks survive saving: the record is in the file
    assert saved[RECORD_SHEET].sheet_state == "hidden" and saved[FINDINGS_SHEET].sheet_state == "visible"
    assert workbook_cells(marked) == before_values

    live = open_book(marked)
    outcome = clear_book(live, "en")
    assert outcome.ok and "2 cell(s)" in outcome.message
    cleared = replay(marked, actions(live), tmp_path / "cleared.xlsx")
    assert fills(cleared) == before_fills
    assert comments(cleared) == {("Budget", SLIP): "Checked with the consultant's invoice"}
    assert not {FINDINGS_SHEET, RECORD_SHEET} & set(openpyxl.load_workbook(cleared).sheetnames)
    assert workbook_cells(cleared) == before_values


def test_validating_again_first_takes_away_the_previous_marks(example_copy, tmp_path):
    live = open_book(example_copy)
    show_report(live, example_report(), "en", WHEN, fills(example_copy))
    marked = replay(example_copy, actions(live), tmp_path / "marked.xlsx")
    again = open_book(marked)
    show_report(again, Report([], ["budget.xlsx"]), "en", WHEN, fills(marked))
    result = replay(marked, actions(again), tmp_path / "again.xlsx")
    assert {k: v for k, v in fills(result).items() if k[0] not in (FINDINGS_SHEET, RECORD_SHEET)} == \
        fills(example_copy)
    names = openpyxl.load_workbook(result).sheetnames
    assert names.count(FINDINGS_SHEET) == 1 and names.count(RECORD_SHEET) == 1
    assert comments(result) == {}


def test_where_fills_cannot_be_read_cells_get_notes_but_no_colour(built):
    live = open_book(built / "example.xlsx")
    records = show_report(live, example_report(), "en", WHEN)  # the remote engine cannot read fills
    funcs = [a["func"] for a in actions(live)]
    assert "setRangeColor" not in funcs and funcs.count("addNote") == 2
    assert all(r.fill_before == "" and r.note_added for r in records)


def test_where_fills_cannot_be_read_the_template_fill_is_recorded_and_put_back(built, tmp_path):
    """Excel on the web: the remote engine, like Office.js, cannot tell the add-in a cell's fill."""
    path = tmp_path / "budget.xlsx"
    shutil.copy(built / "example_formulas.xlsx", path)  # a workbook made from the template
    live = open_book(path)
    outcome = validate_book(live, "en", WHEN)  # no fills given: they are asked of Excel, which cannot tell
    assert outcome.ok and outcome.records
    assert all(r.fill_from == "template" for r in outcome.records)
    marked = replay(path, actions(live), tmp_path / "marked.xlsx")
    for r in outcome.records:
        assert r.fill_before == fills(path)[(r.sheet, r.cell)]  # the template's fill is the cell's own here
        assert fills(marked)[(r.sheet, r.cell)] in (ERROR_FILL, WARNING_FILL)
    live = open_book(marked)
    assert clear_book(live, "en").ok
    cleared = replay(marked, actions(live), tmp_path / "cleared.xlsx")
    assert fills(cleared) == fills(path) and comments(cleared) == {}
    assert workbook_cells(cleared) == workbook_cells(path)


def test_an_edited_record_is_refused_and_nothing_is_touched(example_copy, tmp_path):
    live = open_book(example_copy)
    show_report(live, example_report(), "en", WHEN, fills(example_copy))
    marked = replay(example_copy, actions(live), tmp_path / "marked.xlsx")
    book = openpyxl.load_workbook(marked)
    book[RECORD_SHEET].cell(row=RECORD_HEADER_ROW, column=3).value = "Colour"
    book.save(marked)
    live = open_book(marked)
    outcome = scripts.clear_marks(live)
    assert not outcome.ok and "edited" in outcome.message
    assert [a["func"] for a in actions(live)] == ["alert"]


def test_spanish_list_and_notes(built):
    live = open_book(built / "example.xlsx")
    show_report(live, example_report(), "es", WHEN, fills(built / "example.xlsx"))
    listed = written(live, FINDINGS_SHEET)
    assert listed[0][0].startswith("mifkit: 1 error(es), 3 advertencia(s)")
    assert listed[FINDINGS_HEADER_ROW - 1][:2] == ["Código", "Gravedad"]
    assert listed[FINDINGS_HEADER_ROW][1] == "error" and listed[FINDINGS_HEADER_ROW + 1][1] == "advertencia"
    notes = [a["args"][1] for a in actions(live) if a["func"] == "addNote"]
    assert any("(advertencia)" in n for n in notes)


def test_a_clean_workbook_says_so(built):
    live = open_book(built / "template.xlsx")
    outcome = scripts.validar(live)
    assert outcome.ok
    listed = written(live, FINDINGS_SHEET)
    if outcome.report.findings:
        pytest.skip("the blank template has findings under the current rules")
    assert listed[0][0] == "mifkit: 0 error(es), 0 advertencia(s) en template.xlsx (todas las reglas)"
    assert listed[FINDINGS_HEADER_ROW][0] == "No se encontraron problemas."


def test_language_follows_the_setting(monkeypatch, built):
    live = open_book(built / "template.xlsx")
    monkeypatch.setenv("MIFKIT_LANG", "es")
    assert scripts.excel_language(live) == "es"
    monkeypatch.setenv("MIFKIT_LANG", "")
    assert scripts.excel_language(live) == "en"  # no Excel interface language to ask on this host


def test_the_copy_of_the_file_is_not_written(built, tmp_path):
    shutil.copy(built / "example.xlsx", tmp_path / "b.xlsx")
    data = (tmp_path / "b.xlsx").read_bytes()
    scripts.validate_workbook(open_book(tmp_path / "b.xlsx"))
    assert (tmp_path / "b.xlsx").read_bytes() == data


def test_a_button_in_an_addin_checks_the_active_workbook_not_itself(built):
    budget = open_book(built / "example.xlsx", name="budget.xlsx")
    assert scripts.workbook_to_check(budget) is budget
    addin = open_book(built / "example.xlsx", name="mifkit_validate.xlam")
    assert scripts.workbook_to_check(addin).name == addin.app.books.active.name


def test_validate_marks_the_documents_own_slip_and_clear_removes_it(example_copy, tmp_path):
    """End to end with the real rules: the annex prints 163,400 for 1,362 x 120 (line 2.01, year 2)."""
    live = open_book(example_copy)
    outcome = validate_book(live, "en", WHEN, fills(example_copy))
    assert outcome.ok and any(f.code == "AR01" and f.cell == SLIP for f in outcome.report.findings)
    marked = replay(example_copy, actions(live), tmp_path / "marked.xlsx")
    assert fills(marked)[("Budget", SLIP)] == ERROR_FILL
    assert "163,440" in comments(marked)[("Budget", SLIP)]
    listed = openpyxl.load_workbook(marked)[FINDINGS_SHEET]
    assert listed["A1"].value.startswith(f"mifkit: {outcome.report.counts[ERROR]} error(s)")
    assert listed.max_row == FINDINGS_HEADER_ROW + len(outcome.report.findings)
    live = open_book(marked)
    clear_book(live, "en")
    cleared = replay(marked, actions(live), tmp_path / "cleared.xlsx")
    assert fills(cleared) == fills(example_copy) and comments(cleared) == {}


def test_manual_calculation_is_brought_up_to_date_before_reading(built):
    data = payload(built / "example.xlsx")
    data["book"]["calculation"] = "Manual"
    live = xw.Book(json=data)
    validate_book(live, "en", WHEN)
    assert actions(live)[0]["func"] == "calculate"
    data["book"]["calculation"] = "Automatic"
    live = xw.Book(json=data)
    validate_book(live, "en", WHEN)
    assert "calculate" not in [a["func"] for a in actions(live)]


def test_each_script_takes_the_workbook_as_lite_requires(built):
    """xlwings Lite gives the workbook to the one parameter annotated xw.Book; RunPython calls with none."""
    for script in (*scripts.SCRIPTS, scripts.validar, scripts.quitar_marcas):
        parameters = inspect.signature(script).parameters
        assert list(parameters) == ["book"] and parameters["book"].default is None
        assert typing.get_type_hints(script)["book"] is xw.Book
    assert [s.__name__ for s in scripts.SCRIPTS] == ["validate_workbook", "check_funding_split", "clear_marks",
                                                     "compile_report"]
    live = open_book(built / "example.xlsx")
    scripts.validar(live)
    assert written(live, FINDINGS_SHEET)[FINDINGS_HEADER_ROW - 1][1] == "Gravedad"


def test_a_findings_sheet_of_the_officers_is_never_replaced(example_copy):
    book = openpyxl.load_workbook(example_copy)
    book.create_sheet(FINDINGS_SHEET)["A1"] = "my own list of things to ask the auditor"
    book.save(example_copy)
    for script in (scripts.validate_workbook, scripts.check_funding_split, scripts.clear_marks):
        live = open_book(example_copy)
        outcome = script(live)
        assert not outcome.ok and FINDINGS_SHEET in outcome.message and "Rename" in outcome.message
        assert [a["func"] for a in actions(live)] == ["alert"]  # nothing deleted, nothing marked


def test_a_findings_sheet_of_validate_annotate_is_replaced(example_copy, tmp_path):
    """`mifkit validate --annotate` writes a Findings sheet too: the add-in knows it as mifkit's."""
    from compiler.annotate import annotate
    annotate(example_copy, validate_file(example_copy), tmp_path / "annotated.xlsx")
    live = open_book(tmp_path / "annotated.xlsx")
    outcome = scripts.validate_workbook(live)
    assert outcome.ok
    funcs = [a["func"] for a in actions(live)]
    assert funcs.index("sheetDelete") < funcs.index("addSheet")


# ------------------------------------------------------------------------------------------------
# Check funding split, Compile report
# ------------------------------------------------------------------------------------------------

def test_check_funding_split_marks_only_policy_findings_after_clearing_validate(example_copy, tmp_path):
    live = open_book(example_copy)
    everything = validate_book(live, "en", WHEN, fills(example_copy))
    marked = replay(example_copy, actions(live), tmp_path / "marked.xlsx")

    live = open_book(marked)  # desktop Excel reads the fills after the previous marks are cleared: the original's
    outcome = commands.check_funding_book(live, "en", WHEN, fills(example_copy))
    policy = validate_file(example_copy, groups=("policy",))
    assert outcome.ok and outcome.report.to_dict() == policy.to_dict()
    assert {f.code[:2] for f in policy.findings} == {"FP"} and len(everything.report.findings) > len(policy.findings)
    funcs = [a["func"] for a in actions(live)]
    assert funcs.index("sheetDelete") < funcs.index("addNote")  # the previous marks go first
    listed = written(live, FINDINGS_SHEET)
    assert listed[0][0].endswith("(funding and policy rules only)")
    assert [r[0] for r in listed[FINDINGS_HEADER_ROW:]] == [f.code for f in policy.findings]

    checked = replay(marked, actions(live), tmp_path / "checked.xlsx")
    before = fills(example_copy)
    policy_cells = {(f.sheet, f.cell) for f in policy.findings}
    changed = {k for k, v in fills(checked).items() if k[0] not in (FINDINGS_SHEET, RECORD_SHEET) and before[k] != v}
    assert changed == policy_cells  # the other findings' colours are gone
    assert set(comments(checked)) == policy_cells
    assert workbook_cells(checked) == workbook_cells(example_copy)


def test_compile_report_refuses_in_the_browser(built, monkeypatch):
    monkeypatch.setattr(commands, "IN_BROWSER", True)
    live = open_book(built / "example.xlsx")
    outcome = scripts.compile_report(live)
    assert not outcome.ok and "desktop Excel" in outcome.message
    assert [a["func"] for a in actions(live)] == ["alert"]


def test_compile_report_says_when_the_compiler_is_not_installed(built, monkeypatch):
    monkeypatch.setitem(sys.modules, "compiler.report", None)  # what `import` sees when it is missing
    live = open_book(built / "example.xlsx")
    outcome = scripts.compile_report(live)
    assert not outcome.ok and "no report compiler" in outcome.message and "\n" not in outcome.message


def test_compile_report_needs_the_saved_file(built):
    pytest.importorskip("compiler.report")
    live = open_book(built / "example.xlsx", name="not_saved_yet.xlsx")  # no such file on disk
    outcome = scripts.compile_report(live)
    assert not outcome.ok and "Save the workbook first" in outcome.message


def test_report_names_never_replace_a_file_and_the_logframe_is_found_next_to_the_budget(tmp_path):
    budget = tmp_path / "budget.xlsx"
    assert commands.free_name(tmp_path, "budget_report_en") == tmp_path / "budget_report_en.docx"
    (tmp_path / "budget_report_en.docx").write_bytes(b"")
    (tmp_path / "budget_report_en (2).docx").write_bytes(b"")
    assert commands.free_name(tmp_path, "budget_report_en") == tmp_path / "budget_report_en (3).docx"
    assert commands.logframe_next_to(budget) is None
    (tmp_path / "logframe.xlsx").write_bytes(b"")
    assert commands.logframe_next_to(budget) == tmp_path / "logframe.xlsx"
    (tmp_path / "budget_logframe.xlsx").write_bytes(b"")
    assert commands.logframe_next_to(budget) == tmp_path / "budget_logframe.xlsx"


def test_compile_report_writes_the_report_next_to_the_budget_without_replacing_one(built, tmp_path):
    """Runs once the report compiler (compiler.report) is installed with mifkit."""
    pytest.importorskip("compiler.report")
    budget = tmp_path / "budget.xlsx"
    shutil.copy(built / "example_formulas.xlsx", budget)
    (tmp_path / "budget_report_en.docx").write_bytes(b"an earlier report")
    outcome = scripts.compile_report(open_book(budget, name=str(budget)))
    assert outcome.ok, outcome.message
    written_to = tmp_path / "budget_report_en (2).docx"
    assert str(written_to) in outcome.message and "DRAFT" in outcome.message  # the example keeps its slips
    assert written_to.stat().st_size > 10_000
    assert (tmp_path / "budget_report_en.docx").read_bytes() == b"an earlier report"


def test_when_the_names_that_follow_the_marks_are_gone_clear_refuses_and_changes_nothing(example_copy, tmp_path):
    """A program that drops defined names (or someone in the Name Manager) leaves a record that points
    nowhere: Clear marks says so rather than guess where the marked cells went."""
    live = open_book(example_copy)
    show_report(live, example_report(), "en", WHEN, fills(example_copy))
    marked = replay(example_copy, actions(live), tmp_path / "marked.xlsx")
    book = openpyxl.load_workbook(marked)
    for name in list(book.defined_names):
        del book.defined_names[name]
    book.save(marked)
    live = open_book(marked)
    outcome = scripts.clear_marks(live)
    assert not outcome.ok and "names that follow the marked cells" in outcome.message
    assert [a["func"] for a in actions(live)] == ["alert"]
