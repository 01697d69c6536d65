"""The example workbook against the text of the approved document, figure by figure.

The workbook is read back with openpyxl (not with mifkit's reader) and every figure, formatted as
the annex prints it, must come next in the annex's own text, in order; at the end no figure of the
annex may be left over.  This checks both that nothing was mistyped and that nothing was left out.
"""

from __future__ import annotations

import re

import openpyxl
import pytest
from conftest import DATA

from workbook_templates import layout
from workbook_templates.spec import example_structure

EXAMPLE_SHAPE = example_structure()

FIGURE = re.compile(r"\d{1,3}(?:,\d{3})*%?")
HEADER_LINE = re.compile(r"Year \d|^\s*Item MIF Counterpart")


def annex_tokens(filename: str, first_line_matching: str | None = None) -> list[str]:
    lines = (DATA / filename).read_text(encoding="utf-8").splitlines()
    if first_line_matching:
        lines = lines[next(i for i, line in enumerate(lines) if first_line_matching in line):]
    tokens = []
    for line in lines:
        if HEADER_LINE.search(line):
            continue
        tokens += [t for t in line.split() if FIGURE.fullmatch(t)]
    return tokens


def printed(value: float, key: str) -> str:
    if key.startswith("pct") or key == "pct_row":
        return f"{round(value * 100)}%"
    return f"{value:,.0f}"


def consume(tokens: list[str], expected: list[str], where: str) -> None:
    got = tokens[: len(expected)]
    assert got == expected, f"{where}: workbook has {expected}, the annex prints {got} next"
    del tokens[: len(expected)]


@pytest.fixture(scope="module")
def example_book(built):
    return openpyxl.load_workbook(built / "example.xlsx", data_only=True)


def test_every_budget_figure_is_the_annex_figure_in_order(example_book):
    ws = example_book[layout.BUDGET_SHEET]
    columns = layout.budget_columns(EXAMPLE_SHAPE)
    tokens = annex_tokens("annex_budget.txt")
    rows = 0
    for r in range(layout.BUDGET_FIRST_ROW, ws.max_row + 1):
        cells = [ws.cell(r, c).value for c in range(1, len(columns) + 1)]
        if all(v is None for v in cells):
            continue
        rows += 1
        label = cells[1] or ""
        expected = []
        if cells[0] is None and cells[2] is None and all(v is None for v in cells[3:]):
            expected += FIGURE.findall(label)  # figures the annex prints on a sub-heading
        expected += [printed(v, col.key) for v, col in zip(cells, columns, strict=True)
                     if col.role != "label" and v is not None]
        consume(tokens, expected, f"Budget row {r} ({label[:40]})")
    assert rows == 83
    assert tokens == [], f"annex figures missing from the workbook: {tokens[:10]}"


def test_every_summary_figure_is_the_section_iii_figure_in_order(example_book):
    ws = example_book[layout.SUMMARY_SHEET]
    tokens = annex_tokens("annex_section3.txt", first_line_matching="A. Components")
    for r in range(layout.SUMMARY_FIRST_ROW, ws.max_row + 1):
        label = ws.cell(r, 1).value
        pct_row = label == "%"
        values = [ws.cell(r, c).value for c in range(2, 6)]
        keys = ["donor", "counterpart", "total", "pct"]
        expected = [printed(v, "pct_row" if pct_row else k) for v, k in zip(values, keys, strict=True)
                    if v is not None]
        consume(tokens, expected, f"Summary row {r} ({label})")
    assert tokens == []


def test_project_states_the_totals_of_paragraph_3_1(example_book):
    ws = example_book[layout.PROJECT_SHEET]
    statements = {}
    for row in ws.iter_rows(values_only=True):
        if row[0] and isinstance(row[2], int | float) and row[5]:
            statements[row[5]] = row[2:5]
    text = (DATA / "annex_section3.txt").read_text(encoding="utf-8")
    total, mif, counterpart = statements["Paragraph 3.1"]
    for figure in (total, mif, counterpart):
        assert f"US${figure:,.0f}" in text
    assert statements["Executive summary"] == (1_600_000, 970_000, 630_000)
