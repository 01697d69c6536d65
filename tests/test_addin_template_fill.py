"""The template's fill of each cell, as the add-in computes it for Excel on the web, against built files."""

from __future__ import annotations

import pytest
from addin_harness import fills

from addin.template_fill import template_fill
from bench.generate import write_consistent_budget
from compiler.read_budget import load_budget
from workbook_templates import layout


def data_cells(budget):
    """Every cell a finding can point at: the table rows of the sheets, all their columns (the first rows of
    the ledger and the rates)."""
    width = len(layout.budget_columns(budget.structure))
    rows = range(int(budget.components["row"].min()), budget.foot["total"]["row"] + 1)  # the whole table
    for row in rows:
        for col in range(1, width + 1):
            yield layout.BUDGET_SHEET, f"{layout.column_letter(col)}{row}"
    project_rows = {int(cell[1:]) for cell in budget.project.cells.values()}
    project_rows |= set(budget.project.table_inputs) | {s.row for s in budget.project.stated}
    for row in project_rows:
        for letter in "ABCDEF":
            yield layout.PROJECT_SHEET, f"{letter}{row}"
    for row in budget.summary["row"]:
        for letter in "ABCDE":
            yield layout.SUMMARY_SHEET, f"{letter}{row}"
    execution = budget.execution_sheet
    width = max(execution.columns.values()) + len(budget.structure.sources)
    for row in range(layout.EXECUTION_FIRST_ROW, execution.total_row + 1):
        for col in range(1, width + 1):
            yield layout.EXECUTION_SHEET, f"{layout.column_letter(col)}{row}"
    for row in range(layout.DISBURSEMENTS_FIRST_ROW, int(budget.disbursements["row"].max()) + 2):
        for col in range(1, len(layout.DISBURSEMENT_COLUMNS) + 1):
            yield layout.DISBURSEMENTS_SHEET, f"{layout.column_letter(col)}{row}"
    revisions = budget.revisions_sheet  # the register, the blank row under it, the revised lines written
    width = len(layout.revision_line_columns(budget.structure))
    rows = [*range(revisions.register_first, revisions.lines_title),
            *range(revisions.lines_first, revisions.lines_first + layout.REVISIONS_LINE_ROWS)]
    for row in rows:
        for col in range(1, width + 1):
            yield layout.REVISIONS_SHEET, f"{layout.column_letter(col)}{row}"
    for sheet, first, columns in ((layout.LOCAL_SHEET, layout.LOCAL_FIRST_ROW, layout.LOCAL_COLUMNS),
                                  (layout.RATES_SHEET, layout.RATES_FIRST_ROW, layout.RATES_COLUMNS)):
        for row in range(first, first + 12):
            for col in range(1, len(columns) + 1):
                yield sheet, f"{layout.column_letter(col)}{row}"


@pytest.mark.parametrize("name", ["example_formulas.xlsx", "template.xlsx", "bench"])
def test_every_data_cell_gets_the_fill_the_template_gives_it(built, tmp_path, name):
    path = write_consistent_budget(60, tmp_path / "b.xlsx") if name == "bench" else built / name
    budget, actual = load_budget(path), fills(path)
    cells = list(data_cells(budget))
    assert len(cells) > 400
    wrong = {c: (template_fill(budget, *c), actual[c]) for c in cells if template_fill(budget, *c) != actual[c]}
    assert wrong == {}
