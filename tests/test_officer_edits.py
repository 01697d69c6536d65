"""The officer edits her budget in LibreOffice (through its UNO API, as a person at the screen would) and
saves it as .xlsx; mifkit reads each result and validates it as she would expect.

The starting point is the clean workbook (the example's inputs in the formula template, consistent
figures: it validates without errors).  Each edit is one thing an officer does: delete a cost line,
insert one copying the formulas of the line above, rename a component, reorder the sheets, add a
component by copying a block (with and without finishing the job on SUB-TOTAL and the Summary).
"""

from __future__ import annotations

import json

import openpyxl
import pytest
from lo_uno import edit_each, needs_uno
from rules_support import build_clean

from compiler.cli import main
from compiler.read_budget import load_budget
from workbook_templates import layout
from workbook_templates.spec import example_structure

SHAPE = example_structure()
BUDGET, PROJECT, SUMMARY = layout.BUDGET_SHEET, layout.PROJECT_SHEET, layout.SUMMARY_SHEET


def col(key: str) -> str:
    return layout.column_letter(layout.column_index(SHAPE)[key])


def rows_by_ref(path) -> dict[str, int]:
    ws = openpyxl.load_workbook(path)[BUDGET]
    out = {}
    for r in range(layout.BUDGET_FIRST_ROW, ws.max_row + 1):
        ref, item = ws.cell(r, 1).value, ws.cell(r, 2).value
        key = str(ref) if ref not in (None, "") else str(item)
        out.setdefault(key, r)
    return out


def project_component_row(path, number: int) -> int:
    ws = openpyxl.load_workbook(path)[PROJECT]
    title = next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value == layout.COMPONENTS_TABLE_TITLE)
    return next(r for r in range(title + 2, ws.max_row + 1) if ws.cell(r, 1).value == number)


def summary_row(path, label_start: str) -> int:
    ws = openpyxl.load_workbook(path)[SUMMARY]
    return next(r for r in range(1, ws.max_row + 1) if str(ws.cell(r, 1).value or "").startswith(label_start))


def validate(path, capsys) -> tuple[int, list[dict], str]:
    code = main(["validate", str(path), "--format", "json"])
    captured = capsys.readouterr()
    findings = json.loads(captured.out)["findings"] if captured.out.strip() else []
    return code, findings, captured.err


def unprotect(*sheets: str) -> list[dict]:
    return [{"op": "unprotect", "sheet": s} for s in sheets]


@pytest.fixture(scope="module")
def edited(tmp_path_factory):
    """Every variant, made in one LibreOffice session."""
    folder = tmp_path_factory.mktemp("officer_edits")
    clean = build_clean(folder)["clean_formulas"]
    rows = rows_by_ref(clean)
    line_109, line_108, h7, last7 = rows["1.09"], rows["1.08"], rows["7"], rows["7.02"]
    contingencies = rows[layout.LABEL_CONTINGENCIES]
    subtotal = rows[layout.LABEL_SUBTOTAL]
    last = layout.column_letter(len(layout.budget_columns(SHAPE)))
    amounts = [layout.year_keys(y)[2] for y in range(1, SHAPE.years + 1)] + list(SHAPE.amount_keys)
    headers = [rows[str(n)] for n in range(1, 8)]

    inserted = [
        {"op": "insert_rows", "sheet": BUDGET, "row": line_109},
        {"op": "copy_range", "sheet": BUDGET, "source": f"A{line_108}:{last}{line_108}", "target": f"A{line_109}"},
        {"op": "set", "sheet": BUDGET, "cell": f"A{line_109}", "value": "1.23"},
        {"op": "set", "sheet": BUDGET, "cell": f"B{line_109}", "value": "Printer"},
        {"op": "set", "sheet": BUDGET, "cell": f"C{line_109}", "value": "unit"},
        {"op": "set", "sheet": BUDGET, "cell": f"{col('y1_unit_cost')}{line_109}", "value": 500},
        {"op": "set", "sheet": BUDGET, "cell": f"{col('y1_qty')}{line_109}", "value": 2},
        *({"op": "set", "sheet": BUDGET, "cell": f"{col(k)}{line_109}", "value": None}
          for y in (2, 3) for k in layout.year_keys(y)[:2]),
        {"op": "set", "sheet": BUDGET, "cell": f"{col('donor')}{line_109}", "value": 600},
        {"op": "set", "sheet": BUDGET, "cell": f"{col('counterpart_cash')}{line_109}", "value": 400},
        {"op": "get", "sheet": BUDGET, "cell": f"{col('total')}{rows['1']}"},
    ]
    # A new component 8 ("other"), made by copying component 7's block above Contingencies.
    block = last7 - h7 + 1
    new_header = contingencies
    copy_component = [
        *unprotect(PROJECT, BUDGET, SUMMARY),
        {"op": "insert_rows", "sheet": PROJECT, "row": project_component_row(clean, 7) + 1},
        *({"op": "set", "sheet": PROJECT, "cell": f"{c}{project_component_row(clean, 7) + 1}", "value": v}
          for c, v in zip("ABCDE", (8, "Knowledge management", "Gestión del conocimiento", "other", "both"),
                          strict=True)),
        {"op": "insert_rows", "sheet": BUDGET, "row": contingencies, "count": block},
        {"op": "copy_range", "sheet": BUDGET, "source": f"A{h7}:{last}{last7}", "target": f"A{new_header}"},
        {"op": "set", "sheet": BUDGET, "cell": f"A{new_header}", "value": "8"},
        {"op": "set", "sheet": BUDGET, "cell": f"B{new_header}", "value": "Knowledge management"},
        *({"op": "set", "sheet": BUDGET, "cell": f"A{new_header + i}", "value": f"8.{i:02d}"}
          for i in range(1, block)),
    ]
    summary = {label: summary_row(clean, label) for label in ("A.", "B.", "C.", "Contingencies", "SUBTOTAL")}
    d_row = summary_row(clean, "D.")  # the new row E goes below it; the rows under it move down by one
    finished = [
        *copy_component,
        *({"op": "set", "sheet": BUDGET, "cell": f"{col(k)}{subtotal + block}",
           "value": "=" + "+".join(f"{col(k)}{r}" for r in [*headers, new_header]
                                  + ([] if k.startswith("y") else [contingencies + block]))}
          for k in amounts),
        {"op": "insert_rows", "sheet": SUMMARY, "row": d_row + 1},
        {"op": "set", "sheet": SUMMARY, "cell": f"A{d_row + 1}", "value": "E. Knowledge management"},
        {"op": "set", "sheet": SUMMARY, "cell": f"B{d_row + 1}", "value": f"=$Budget.{col('donor')}{new_header}"},
        {"op": "set", "sheet": SUMMARY, "cell": f"C{d_row + 1}",
         "value": f"=$Budget.{col('counterpart_subtotal')}{new_header}"},
        {"op": "set", "sheet": SUMMARY, "cell": f"D{d_row + 1}", "value": f"=$Budget.{col('total')}{new_header}"},
        *({"op": "set", "sheet": SUMMARY, "cell": f"{c}{summary['SUBTOTAL'] + 1}",
           "value": "=" + "+".join(f"{c}{r}" for r in (summary["A."], summary["B."], summary["C."], d_row, d_row + 1,
                                                         summary["Contingencies"] + 1))}
          for c in "BCD"),
    ]
    variants = {
        "deleted": [*unprotect(BUDGET), {"op": "delete_rows", "sheet": BUDGET, "row": line_109},
                    {"op": "get", "sheet": BUDGET, "cell": f"{col('total')}{rows['1']}"}],
        "inserted": [*unprotect(BUDGET), *inserted],
        "renamed": [*unprotect(PROJECT, BUDGET),
                    {"op": "set", "sheet": PROJECT, "cell": f"B{project_component_row(clean, 1)}",
                     "value": "Business networks"},
                    {"op": "set", "sheet": BUDGET, "cell": f"B{rows['1']}", "value": "Business networks"}],
        "component_half_done": copy_component,
        "component_added": finished,
    }
    tasks = [(clean, folder / f"{name}.xlsx", ops) for name, ops in variants.items()]
    values = dict(zip(variants, edit_each(tasks), strict=True))
    return clean, folder, rows, values


@needs_uno
def test_a_deleted_line_is_gone_and_the_budget_still_adds_up(edited, capsys):
    clean, folder, rows, values = edited
    before, after = load_budget(clean), load_budget(folder / "deleted.xlsx")
    assert "1.09" in set(before.lines["ref"]) and "1.09" not in set(after.lines["ref"])
    per_diem = float(before.lines.set_index("ref").loc["1.09", "total"])
    component_1 = after.components.set_index("component").loc["1", "total"]
    assert component_1 == pytest.approx(float(before.components.set_index("component").loc["1", "total"])
                                        - per_diem, abs=0.5)
    assert values["deleted"][0] == pytest.approx(component_1, abs=0.5)  # what LibreOffice computed
    code, findings, err = validate(folder / "deleted.xlsx", capsys)
    assert code == 0, (findings, err)


@needs_uno
def test_a_line_inserted_with_the_formulas_above_counts_in_its_component(edited, capsys):
    clean, folder, rows, values = edited
    budget = load_budget(folder / "inserted.xlsx")
    printer = budget.lines.set_index("ref").loc["1.23"]
    assert printer["item"] == "Printer" and printer["total"] == pytest.approx(1000, abs=0.5)
    before = float(load_budget(clean).components.set_index("component").loc["1", "total"])
    assert budget.components.set_index("component").loc["1", "total"] == pytest.approx(before + 1000, abs=0.5)
    code, findings, err = validate(folder / "inserted.xlsx", capsys)
    assert code == 0, (findings, err)
    assert main(["lines", str(folder / "inserted.xlsx")]) == 0
    assert "Printer" in capsys.readouterr().out


@needs_uno
def test_a_renamed_component_reads_under_its_new_name(edited, capsys):
    _, folder, _, _ = edited
    budget = load_budget(folder / "renamed.xlsx")
    assert budget.structure.name_of("1") == "Business networks"
    assert validate(folder / "renamed.xlsx", capsys)[0] == 0


@needs_uno
def test_a_component_added_without_its_summary_row_is_refused_saying_what_is_looked_for(edited, capsys):
    _, folder, _, _ = edited
    code, _, err = validate(folder / "component_half_done.xlsx", capsys)
    assert code == 2
    assert "Summary" in err and "E. Knowledge management" in err and "letter or numeral" in err


@needs_uno
def test_a_component_added_by_copying_a_block_reads_and_validates(edited, capsys):
    _, folder, _, _ = edited
    budget = load_budget(folder / "component_added.xlsx")
    assert budget.structure.component("8").kind == "other"
    assert set(budget.lines[budget.lines["component"] == "8"]["ref"]) == {"8.01", "8.02"}
    assert list(budget.summary["key"])[:9] == ["A", "I", "II", "III", "IV", "B", "C", "D", "E"]
    code, findings, err = validate(folder / "component_added.xlsx", capsys)
    assert code == 0, (findings, err)
