"""Spending paid in a local currency, converted under each of the agreement's rules.

A project of its own shape (PROJECT.toml with a [currency] table, written into a workbook by
`mifkit new budget --project --lines`, as tests/test_project_shapes.py does) gets the entries a
finance officer in Lima types: soles paid on three lines, from the donor and the counterpart, the
month's rates on the Rates sheet, and the soles the bank credited for each disbursement.  The
expected figures are computed here, from those entries, with Decimal arithmetic (amount / rate to
the cent, half away from zero), not by calling mifkit's conversion; mifkit's model, its execution
rules and its report must agree with them within half a cent per entry.
"""

from __future__ import annotations

import datetime as dt
import shutil
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import openpyxl
import pytest
from lo_uno import edit, needs_uno
from test_project_shapes import lines_csv, project_toml, run, shape

from compiler.read_budget import load_budget
from compiler.report import report_context
from compiler.validate import validate_file
from workbook_templates import layout

HALF_CENT = 0.005

# The officer's entries: date, Ref., source (as the sheet's drop-down names it), soles, rate of the day.
ENTRIES = [
    (dt.date(2025, 2, 10), "1.01", "European Union", 3350.00, 3.3412),
    (dt.date(2025, 3, 20), "1.01", "Counterpart cash", 1675.50, 3.3601),
    (dt.date(2025, 8, 5), "2.01", "European Union", 30000.00, 3.4105),
    (dt.date(2025, 11, 30), "2.02", "European Union", 2500.25, 3.3999),
]
SOURCE_KEYS = {"European Union": "donor", "Counterpart cash": "counterpart_cash"}
MONTHLY = [3.30, 3.32, 3.35, 3.36, 3.38, 3.40, 3.42, 3.41, 3.39, 3.37, 3.38, 3.40]  # Jan-Dec 2025
# Per semester: the dollars received from the donor, and the soles the bank credited for them.
DISBURSED = {1: (20000.0, 66200.0), 2: (15000.0, 51450.0)}  # rates 3.31 and 3.43


def cents(amount: float, rate: float) -> Decimal:
    return (Decimal(repr(amount)) / Decimal(repr(rate))).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def semester(day: dt.date) -> int:
    """First disbursement 2025-01-01: semester 1 is Jan-Jun 2025, semester 2 Jul-Dec 2025."""
    return 1 + (day.year - 2025) * 2 + (day.month - 1) // 6


def expected(rule: str) -> list[dict]:
    """Each entry's rate, converted amount and exchange difference, computed from the entries alone."""
    out = []
    for day, ref, source, amount, entry_rate in ENTRIES:
        received, local = DISBURSED[semester(day)]
        funding = local / received
        rate = {"disbursement": funding, "monthly": MONTHLY[day.month - 1], "entry": entry_rate}[rule]
        converted = cents(amount, rate)
        difference = converted - cents(amount, funding) if SOURCE_KEYS[source] == "donor" else None
        out.append({"ref": ref, "source": SOURCE_KEYS[source], "period": semester(day), "rate": rate,
                    "converted": converted, "difference": difference})
    return out


def currency_table(rule: str) -> str:
    return f'\n[currency]\nlocal = "PEN"\nrule = "{rule}"\nrate_tolerance = 0.05\n'


def new_budget(folder: Path, capsys, rule: str, quarterly: bool = False) -> Path:
    s = shape(quarterly=quarterly)
    (folder / "PROJECT.toml").write_text(project_toml(s) + currency_table(rule), encoding="utf-8")
    (folder / "LINES.csv").write_text(lines_csv(s), encoding="utf-8")
    path = folder / "budget.xlsx"
    code, _, err = run(capsys, "new", "budget", path, "--project", folder / "PROJECT.toml",
                       "--lines", folder / "LINES.csv", "--force")
    assert code == 0, err
    return path


def type_entries(path: Path, out: Path, entries=ENTRIES, rates=MONTHLY, disbursed=DISBURSED,
                 with_entry_rates: bool = True) -> None:
    """What the officer types: the ledger, the month's rates, the soles of each disbursement."""
    book = openpyxl.load_workbook(path)
    ws = book[layout.LOCAL_SHEET]
    for i, (day, ref, source, amount, rate) in enumerate(entries):
        row = layout.LOCAL_FIRST_ROW + i
        values = {"date": day, "ref": ref, "source": source, "currency": "PEN", "amount": amount,
                  "rate": rate if with_entry_rates else None, "description": f"Invoice {i + 1}"}
        for key, value in values.items():
            ws[layout.local_cell(key, row)] = value
    rates_sheet = book[layout.RATES_SHEET]
    for i, rate in enumerate(rates):
        rates_sheet[layout.rates_cell("rate", layout.RATES_FIRST_ROW + i)] = rate
    disb = book[layout.DISBURSEMENTS_SHEET]
    for number, (received, local) in disbursed.items():
        row = layout.DISBURSEMENTS_FIRST_ROW + number - 1
        disb[layout.disbursement_cell("donor_received", row)] = received
        disb[layout.disbursement_cell("received_local", row)] = local
    book.save(out)


def findings(path: Path, code: str) -> set[tuple[str, str]]:
    return {(f.sheet, f.cell) for f in validate_file(path).findings if f.code == code}


@pytest.mark.parametrize("rule", ["disbursement", "monthly", "entry"])
def test_each_conversion_rule_converts_and_reports_exchange_differences(rule, tmp_path, capsys):
    budget = tmp_path / "filled.xlsx"
    type_entries(new_budget(tmp_path, capsys, rule), budget)
    want = expected(rule)
    model = load_budget(budget)
    local = model.local.sort_values("row").to_dict("records")
    assert [e["status"] for e in local] == ["ok"] * len(ENTRIES)
    for got, exp in zip(local, want, strict=True):
        assert abs(got["rate_used"] - exp["rate"]) < 1e-9
        assert abs(got["converted"] - float(exp["converted"])) < HALF_CENT
        if exp["difference"] is None:
            assert got["exchange_difference"] != got["exchange_difference"]  # NaN: counterpart money
        else:
            assert abs(got["exchange_difference"] - float(exp["difference"])) < HALF_CENT

    # The converted entries are in the execution record, at their cells, in their semesters.
    execution = model.execution[model.execution["sheet"] == layout.LOCAL_SHEET]
    assert sorted(execution["cell"]) == sorted(layout.local_cell("amount", layout.LOCAL_FIRST_ROW + i)
                                               for i in range(len(ENTRIES)))
    for (ref, source, period), amount in execution.groupby(["ref", "source", "period"])["amount"].sum().items():
        exp = sum(float(e["converted"]) for e in want if (e["ref"], e["source"], e["period"]) == (ref, source, period))
        assert abs(amount - exp) < HALF_CENT * len(ENTRIES)

    # No rate is missing, none is far from the table: no local-currency finding.
    report = validate_file(budget)
    assert [f for f in report.findings if f.code.startswith("FX")] == []

    # The report (semester 2) says the same, in both languages.
    donor_difference = sum(e["difference"] for e in want if e["difference"] is not None)
    for lang in ("en", "es"):
        context = report_context(budget, None, "2", lang=lang)
        assert context["has_local"]
        assert [r["period"][:10] for r in context["local_rows"]] == (["Semester 1", "Semester 2"] if lang == "en"
                                                                     else ["Semestre 1", "Semestre 2"])
        total = sum(float(e["converted"]) for e in want)
        shown = context["local_total"]["converted"].replace(",", "").replace(".", "")
        assert int(shown) == round(total)
        shown = context["local_total"]["difference"].replace(",", "").replace(".", "").replace("−", "-")
        assert int(shown) == round(float(donor_difference)), context["local_text"]
    if rule == "disbursement":
        assert donor_difference == 0
    else:
        assert abs(donor_difference) > 1  # the rules differ on these figures: the test would notice a mix-up


def test_the_entries_count_in_execution_like_the_execution_sheet(tmp_path, capsys):
    """30,000 soles on line 2.01 in August at 3.41 is 8,797.65 dollars of the donor's 10,800 budget; a
    second payment of 10,000 soles takes the line over budget: EX01 at that entry's amount cell."""
    budget = tmp_path / "filled.xlsx"
    entries = [*ENTRIES, (dt.date(2025, 9, 1), "2.01", "European Union", 10000.00, 3.39)]
    type_entries(new_budget(tmp_path, capsys, "monthly"), budget, entries=entries)
    spent = float(cents(30000.0, 3.41) + cents(10000.0, 3.39))
    budget_of_line = 0.6 * 1000 * (5 + 6 + 7)  # the shape's line 2.01: 1,000 × (2·2 + year), donor 60%
    assert spent > budget_of_line
    row = layout.LOCAL_FIRST_ROW + len(entries) - 1
    over = [f for f in validate_file(budget).findings if f.code == "EX01"]
    assert [(f.sheet, f.cell) for f in over] == [(layout.LOCAL_SHEET, layout.local_cell("amount", row))]
    assert abs(over[0].actual - spent) < 0.01 and abs(over[0].expected - budget_of_line) < 0.01


def test_missing_rates_are_found_at_the_entry(tmp_path, capsys):
    """Monthly: November has no rate.  Entry: an entry without its rate.  Disbursement: no soles recorded
    for the first semester's disbursement, so nothing converts the entries of semester 1."""
    blank = {}
    for rule in ("monthly", "entry", "disbursement"):
        (tmp_path / rule).mkdir()
        blank[rule] = new_budget(tmp_path / rule, capsys, rule)
    rows = [layout.LOCAL_FIRST_ROW + i for i in range(len(ENTRIES))]

    monthly = tmp_path / "monthly.xlsx"
    type_entries(blank["monthly"], monthly, rates=MONTHLY[:10])
    assert findings(monthly, "FX01") == {(layout.LOCAL_SHEET, layout.local_cell("amount", rows[3]))}

    entry = tmp_path / "entry.xlsx"
    entries = [*ENTRIES[:2], (*ENTRIES[2][:4], None), ENTRIES[3]]
    type_entries(blank["entry"], entry, entries=entries)
    assert findings(entry, "FX01") == {(layout.LOCAL_SHEET, layout.local_cell("rate", rows[2]))}

    disbursement = tmp_path / "disbursement.xlsx"
    type_entries(blank["disbursement"], disbursement, disbursed={1: (20000.0, None), 2: DISBURSED[2]})
    assert findings(disbursement, "FX01") == {(layout.LOCAL_SHEET, layout.local_cell("amount", r)) for r in rows[:2]}
    # Left out of execution until the rate is recorded, and the report says so.
    model = load_budget(disbursement)
    assert set(model.execution.loc[model.execution["sheet"] == layout.LOCAL_SHEET, "row"]) == set(rows[2:])
    assert "could not be converted" in report_context(disbursement, None, "2")["local_text"]


def test_a_rate_far_from_the_table_is_a_warning_at_its_cell(tmp_path, capsys):
    blank = new_budget(tmp_path, capsys, "entry")
    row = layout.LOCAL_FIRST_ROW + 2
    far = tmp_path / "far.xlsx"
    entries = [*ENTRIES[:2], (*ENTRIES[2][:4], 34.105), ENTRIES[3]]  # a digit slipped: 34.105 for 3.4105
    # and the second semester's soles typed as 5,145.0 (rate 0.343): 10 times too few.
    type_entries(blank, far, entries=entries, disbursed={1: DISBURSED[1], 2: (15000.0, 5145.0)}, rates=MONTHLY)
    got = {(f.sheet, f.cell): f for f in validate_file(far).findings if f.code == "FX02"}
    disbursement_cell = layout.disbursement_cell("received_local", layout.DISBURSEMENTS_FIRST_ROW + 1)
    assert set(got) == {(layout.LOCAL_SHEET, layout.local_cell("rate", row)),
                        (layout.DISBURSEMENTS_SHEET, disbursement_cell)}
    assert all(f.severity == "warning" for f in got.values())
    # Within the tolerance (5%): 3.55 against August's 3.41 is 4.1% away, not reported.
    near = tmp_path / "near.xlsx"
    type_entries(blank, near, entries=[*ENTRIES[:2], (*ENTRIES[2][:4], 3.55), ENTRIES[3]])
    assert findings(near, "FX02") == set()


def test_a_month_far_from_its_neighbours_on_the_rates_sheet(tmp_path, capsys):
    typo = tmp_path / "typo.xlsx"
    rates = [*MONTHLY[:7], 34.1, *MONTHLY[8:]]
    type_entries(new_budget(tmp_path, capsys, "monthly"), typo, rates=rates)
    assert findings(typo, "FX02") == {(layout.RATES_SHEET, layout.rates_cell("rate", layout.RATES_FIRST_ROW + 7))}


def test_an_entry_without_its_currency_or_with_unusable_cells(tmp_path, capsys):
    budget = tmp_path / "odd.xlsx"
    type_entries(new_budget(tmp_path, capsys, "monthly"), budget)
    book = openpyxl.load_workbook(budget)
    ws = book[layout.LOCAL_SHEET]
    first = layout.LOCAL_FIRST_ROW
    ws[layout.local_cell("currency", first)] = None                 # no code
    ws[layout.local_cell("source", first + 1)] = "The mayor"         # not a source of the project
    ws[layout.local_cell("date", first + 2)] = "in August"            # not a date
    ws[layout.local_cell("date", first + 3)] = dt.date(2031, 1, 5)    # after the disbursement period
    book.save(budget)
    assert findings(budget, "FX03") == {(layout.LOCAL_SHEET, layout.local_cell("currency", first))}
    assert findings(budget, "FX04") == {(layout.LOCAL_SHEET, layout.local_cell("source", first + 1)),
                                        (layout.LOCAL_SHEET, layout.local_cell("date", first + 2)),
                                        (layout.LOCAL_SHEET, layout.local_cell("date", first + 3))}
    assert load_budget(budget).execution.query("sheet == @layout.LOCAL_SHEET").empty


def test_quarterly_projects_place_entries_in_their_quarter(tmp_path, capsys):
    budget = tmp_path / "filled.xlsx"
    type_entries(new_budget(tmp_path, capsys, "monthly", quarterly=True), budget)
    model = load_budget(budget)
    placed = model.local.sort_values("row")[["period", "quarter"]].values.tolist()
    assert placed == [[1, 1], [1, 1], [2, 3], [2, 4]]


def test_a_workbook_without_the_local_sheets_reads_as_before(tmp_path, capsys):
    """A workbook made before local currencies: no Local spending, no Rates, Disbursements without its
    last two columns.  It reads, its disbursements are where they were, and nothing is reported."""
    budget = tmp_path / "old.xlsx"
    shutil.copy(new_budget(tmp_path, capsys, "monthly"), budget)
    book = openpyxl.load_workbook(budget)
    del book[layout.LOCAL_SHEET]
    del book[layout.RATES_SHEET]
    disb = book[layout.DISBURSEMENTS_SHEET]
    disb.delete_cols(len(layout.DISBURSEMENT_COLUMNS) - 1, 2)
    disb[layout.disbursement_cell("donor_received", layout.DISBURSEMENTS_FIRST_ROW)] = 1000.0
    book.save(budget)
    model = load_budget(budget)
    assert model.local.empty and model.rates.empty
    assert float(model.disbursements["donor_received"].sum()) == 1000.0
    assert [f for f in validate_file(budget).findings if f.code.startswith("FX")] == []


@needs_uno
def test_an_officer_types_the_ledger_in_libreoffice(tmp_path, capsys):
    """The entries typed in LibreOffice Calc (dates typed as text and recognised by Calc, a row inserted
    in the middle of the ledger), saved as .xlsx: mifkit reads what Calc saved and converts it."""
    blank = new_budget(tmp_path, capsys, "monthly")
    sheet, rates = layout.LOCAL_SHEET, layout.RATES_SHEET
    first = layout.LOCAL_FIRST_ROW
    ops = [{"op": "unprotect", "sheet": sheet}]
    for i, (day, ref, source, amount, _rate) in enumerate([ENTRIES[0], ENTRIES[2]]):
        row = first + i
        ops += [{"op": "set", "sheet": sheet, "cell": layout.local_cell("date", row), "value": day.isoformat()},
                {"op": "set", "sheet": sheet, "cell": layout.local_cell("ref", row), "value": ref},
                {"op": "set", "sheet": sheet, "cell": layout.local_cell("source", row), "value": source},
                {"op": "set", "sheet": sheet, "cell": layout.local_cell("currency", row), "value": "PEN"},
                {"op": "set", "sheet": sheet, "cell": layout.local_cell("amount", row), "value": amount}]
    ops += [{"op": "insert_rows", "sheet": sheet, "row": first + 1}]  # a forgotten payment, typed in between
    day, ref, source, amount, _rate = ENTRIES[1]
    ops += [{"op": "set", "sheet": sheet, "cell": layout.local_cell(k, first + 1), "value": v}
            for k, v in (("date", day.isoformat()), ("ref", ref), ("source", source), ("currency", "PEN"),
                         ("amount", amount))]
    ops += [{"op": "unprotect", "sheet": rates}]
    ops += [{"op": "set", "sheet": rates, "cell": layout.rates_cell("rate", layout.RATES_FIRST_ROW + i), "value": r}
            for i, r in enumerate(MONTHLY)]
    saved = tmp_path / "typed_in_calc.xlsx"
    edit(blank, saved, ops)
    model = load_budget(saved)
    local = model.local.sort_values("row").to_dict("records")
    assert [e["date"] for e in local] == [ENTRIES[0][0], ENTRIES[1][0], ENTRIES[2][0]]
    want = [expected("monthly")[i] for i in (0, 1, 2)]
    for got, exp in zip(local, want, strict=True):
        assert got["status"] == "ok" and abs(got["converted"] - float(exp["converted"])) < HALF_CENT
    assert [f for f in validate_file(saved).findings if f.code.startswith("FX")] == []


def test_a_date_sent_as_excels_day_number_reads_as_the_date(tmp_path, capsys):
    """A host that does not convert dates (Excel on the web, through xlwings Lite) sends the day number
    Excel keeps: 45874 is 5 August 2025.  The entry converts as if the date had come as a date."""
    budget = tmp_path / "serial.xlsx"
    type_entries(new_budget(tmp_path, capsys, "monthly"), budget)
    book = openpyxl.load_workbook(budget)
    book[layout.LOCAL_SHEET][layout.local_cell("date", layout.LOCAL_FIRST_ROW + 2)] = 45874
    book.save(budget)
    entry = load_budget(budget).local.sort_values("row").to_dict("records")[2]
    assert entry["date"] == dt.date(2025, 8, 5) and entry["status"] == "ok"
    assert abs(entry["converted"] - float(expected("monthly")[2]["converted"])) < HALF_CENT
