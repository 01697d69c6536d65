"""A revision recorded the way a finance officer records it: in a spreadsheet program (LibreOffice Calc,
driven through UNO), on the Revisions sheet of her project's budget workbook, then saved.

She first inserts two rows at the top of the sheet for a note of her own, types the revision (a date
typed as a date, the TOTAL as a =SUM formula over the years, no approval reference yet), saves; mifkit
reads it where it now is, points at the empty approval reference, prints the current budget and puts
the revision in the report.  She then types the Bank's reference, saves again, and the finding is gone.
The figures are README's worked example (tests/test_revisions.py builds the same project).
"""

from __future__ import annotations

import datetime as dt
import json

import openpyxl
from docx import Document
from lo_uno import edit_each, needs_uno
from test_project_shapes import SHAPES, lines_csv, project_toml, run

from workbook_templates import layout

NAME = "five technical components"
EXCEL_EPOCH = dt.date(1899, 12, 30)


def titles(path) -> dict[str, int]:
    ws = openpyxl.load_workbook(path)[layout.REVISIONS_SHEET]
    return {ws.cell(r, 1).value: r for r in range(1, ws.max_row + 1) if isinstance(ws.cell(r, 1).value, str)}


@needs_uno
def test_an_officer_records_a_revision_in_libreoffice(tmp_path, capsys):
    s = SHAPES[NAME]
    (tmp_path / "PROJECT.toml").write_text(project_toml(s), encoding="utf-8")
    (tmp_path / "LINES.csv").write_text(lines_csv(s), encoding="utf-8")
    budget = tmp_path / "budget.xlsx"
    assert run(capsys, "new", "budget", budget, "--project", tmp_path / "PROJECT.toml",
               "--lines", tmp_path / "LINES.csv")[0] == 0

    before = titles(budget)
    register = before[layout.REVISIONS_REGISTER_TITLE] + 2 + 2   # first entry, after her two rows
    first_line = before[layout.REVISIONS_LINES_TITLE] + 2 + 2
    sheet = layout.REVISIONS_SHEET
    typed = [
        {"op": "insert_rows", "sheet": sheet, "row": 3, "count": 2},
        {"op": "set", "sheet": sheet, "cell": "A3", "value": "Letters from the Bank are filed in folder 7"},
        {"op": "set", "sheet": sheet, "cell": f"A{register}", "value": 1},
        {"op": "set", "sheet": sheet, "cell": f"B{register}", "value": (dt.date(2025, 3, 1) - EXCEL_EPOCH).days},
        {"op": "set", "sheet": sheet, "cell": f"D{register}", "value": "Consultants moved to component 2"},
    ]
    for offset, (ref, years, donor, cash) in enumerate((("1.01", (3000, 4000, 2750), 5850, 3900),
                                                        ("2.01", (7250, 6000, 7000), 12150, 8100))):
        r = first_line + offset
        typed += [{"op": "set", "sheet": sheet, "cell": f"A{r}", "value": 1},
                  {"op": "set", "sheet": sheet, "cell": f"B{r}", "value": ref},
                  {"op": "set", "sheet": sheet, "cell": f"C{r}", "value": "Consultants"},
                  *({"op": "set", "sheet": sheet, "cell": f"{col}{r}", "value": v}
                    for col, v in zip("DEF", years, strict=True)),
                  {"op": "set", "sheet": sheet, "cell": f"G{r}", "value": f"=SUM(D{r}:F{r})"},
                  {"op": "set", "sheet": sheet, "cell": f"H{r}", "value": donor},
                  {"op": "set", "sheet": sheet, "cell": f"I{r}", "value": cash}]
    recorded, approved = tmp_path / "recorded.xlsx", tmp_path / "approved.xlsx"
    edit_each([(budget, recorded, typed),
               (budget, approved, [*typed, {"op": "set", "sheet": sheet, "cell": f"C{register}",
                                            "value": "CPE/0012/2025"}])])

    def about_revisions(out: str) -> list[dict]:
        """The findings but AR12: the approved budget leaves its contingencies unphased by year (a warning of
        the Budget sheet, there before any revision)."""
        return [f for f in json.loads(out)["findings"] if f["code"] != "AR12"]

    code, out, err = run(capsys, "validate", recorded, "--format", "json")
    findings = about_revisions(out)
    assert [(f["code"], f["cell"]) for f in findings] == [("RV01", f"C{register}")], err
    assert all(figure in findings[0]["message"] for figure in ("15,000", "12,750", "2,250", "15%"))

    code, out, _ = run(capsys, "lines", recorded, "--budget", "current")
    rows = out.splitlines()
    assert rows[1].split(",")[-5:] == ["9750", "5850", "3900", "0", "3900"], rows[1]  # total, MIF, cash, kind, cp
    code, out, _ = run(capsys, "lines", recorded)
    assert rows[1] != out.splitlines()[1], "the approved budget is printed unchanged"

    code, out, err = run(capsys, "validate", approved, "--format", "json")
    assert code == 0 and about_revisions(out) == [], out + err
    report = tmp_path / "report.docx"
    code, _, err = run(capsys, "compile", approved, "--period", "1", "-o", report)
    assert code == 0, err
    text = "\n".join(p.text for p in Document(report).paragraphs)
    cells = [c.text for t in Document(report).tables for row in t.rows for c in row.cells]
    assert "Budget revisions" in text and "revision 1 of 1 March 2025" in text
    assert "CPE/0012/2025" in cells and "20,250" in cells and "18,000" in cells
