"""`mifkit iati`: the project as an IATI 2.03 activity file, checked against the standard itself.

Every export is validated here with lxml against the official schema files kept in the repository
(read directly, not through mifkit's own checker), and its figures are recomputed from the workbooks
independently: the Budget sheet's TOTAL row per year, the Execution sheet's cells per period and
source, the Disbursements sheet's funds received, each read with openpyxl the way a person reads the
sheet (by its headings), and compared within TOLERANCE.  The IATI rules the schema cannot express are
checked on every export too, and each is shown to catch its own planted breach.
"""

from __future__ import annotations

import copy
import datetime as dt
import math
import re
from collections import defaultdict
from pathlib import Path

import openpyxl
import pytest
from lo_uno import edit, needs_uno
from lxml import etree
from test_project_shapes import lines_csv, project_toml, shape

from compiler.cli import main
from compiler.iati import checks

ROOT = Path(__file__).resolve().parent.parent
SCHEMA = ROOT / "compiler" / "iati" / "schema" / "iati-activities-schema.xsd"
CODELISTS = ROOT / "compiler" / "iati" / "codelists"
TOLERANCE = 0.5  # currency units: the workbooks' own rounding tolerance
EXAMPLE = "tc-03-02-01-0"

# What the officer types into the Project sheet's IATI block before her first export (test values:
# an identifier of the Peruvian registry's form, not PROMPYME's real one).
OFFICER_FIELDS = {
    "IATI: reporting organisation identifier": "PE-RUC-20999999991",
    "IATI: reporting organisation type": "10",
    "IATI: activity status": "4",
    "IATI: sectors (DAC 5-digit codes)": "32130",
}
# The example's Spanish title, on its Project sheet (published beside the English one).
TITLE_ES = "Desarrollo de redes empresariales en los clústeres de confecciones (Gamarra) y turismo (Cusco) del Perú"
REQUIRED = ("IATI: reporting organisation identifier", "IATI: reporting organisation type",
            "IATI: activity status", "IATI: sectors (DAC 5-digit codes)")


# ------------------------------------------------------------------------------------------------
# Helpers: the officer's edits, and an independent reading of the workbooks
# ------------------------------------------------------------------------------------------------

def run(capsys, *argv) -> tuple[int, str, str]:
    code = main([str(a) for a in argv])
    out = capsys.readouterr()
    return code, out.out, out.err


def project_rows(path: Path) -> dict[str, int]:
    ws = openpyxl.load_workbook(path)["Project"]
    return {str(ws.cell(r, 1).value).strip(): r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value}


def fill_project(source: Path, target: Path, values: dict[str, object]) -> None:
    """The officer types values into the Project sheet's cells next to their labels."""
    wb = openpyxl.load_workbook(source)
    ws = wb["Project"]
    rows = {str(ws.cell(r, 1).value).strip(): r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value}
    for label, value in values.items():
        ws.cell(rows[label], 2).value = value
    wb.save(target)


def schema_errors(path: Path) -> list[str]:
    schema = etree.XMLSchema(etree.parse(str(SCHEMA)))
    document = etree.parse(str(path))
    return [] if schema.validate(document) else [str(e) for e in schema.error_log]


def end_of_period(first: dt.date, number: int, months: int = 6) -> dt.date:
    """Last day of period `number` of `months` months counted from a first disbursement on the 1st."""
    index = first.year * 12 + first.month - 1 + number * months
    year, month = divmod(index, 12)
    return dt.date(year, month + 1, 1) - dt.timedelta(days=1)


def first_disbursement(path: Path) -> dt.date:
    ws = openpyxl.load_workbook(path, data_only=True)["Project"]
    row = next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value == "First-disbursement date")
    value = ws.cell(row, 2).value
    return value.date() if isinstance(value, dt.datetime) else value


def budget_total_row_by_year(path: Path) -> dict[int, float]:
    """The Budget sheet's TOTAL row, per year: the "Subtotal" column under each "Year N" heading."""
    ws = openpyxl.load_workbook(path, data_only=True)["Budget"]
    header = next(r for r in range(1, 15) if any(ws.cell(r, c).value == "Subtotal" for c in range(1, ws.max_column)))
    years = {}
    year = None
    for c in range(1, ws.max_column + 1):
        above = ws.cell(header - 1, c).value
        if isinstance(above, str) and re.fullmatch(r"Year \d+", above.strip()):
            year = int(above.split()[1])
        if ws.cell(header, c).value == "Subtotal" and year and year not in years:
            years[year] = c
    total = next(r for r in range(ws.max_row, header, -1)
                 if any(ws.cell(r, c).value == "TOTAL" for c in (1, 2)))
    return {y: float(ws.cell(total, c).value or 0) for y, c in years.items()}


def execution_by_period_and_funder(path: Path, counterpart: str, donor: str) -> dict[tuple[int, str], float]:
    """Each "Semester N" / "Quarter N" block's columns added up over the line rows (between the column
    headers and TOTAL; component headings carry no figures), by funder name: the donor's column, the
    counterpart's cash and in kind together, each co-financier's column under its own header."""
    ws = openpyxl.load_workbook(path, data_only=True)["Execution"]
    group = next(r for r in range(1, 12) if any(re.fullmatch(r"(Semester|Quarter) \d+", str(ws.cell(r, c).value or ""))
                                               for c in range(1, ws.max_column + 1)))
    header = group + 1
    total = next(r for r in range(header + 1, ws.max_row + 1) if ws.cell(r, 2).value == "TOTAL")
    out: dict[tuple[int, str], float] = defaultdict(float)
    period = None
    for c in range(3, ws.max_column + 1):
        label = str(ws.cell(group, c).value or "")
        if re.fullmatch(r"(Semester|Quarter) \d+", label):
            period = int(label.split()[1])
        elif label:  # "Executed to date" and whatever follows: not a period
            break
        head = str(ws.cell(header, c).value or "")
        if period is None or not head:
            continue
        funder = donor if head in (donor, "MIF") else counterpart if head.startswith("Counterpart") else head
        for r in range(header + 1, total):
            value = ws.cell(r, c).value
            if isinstance(value, int | float):
                out[(period, funder)] += value
    return {k: v for k, v in out.items() if abs(v) > 0.005}


def received_by_semester(path: Path, heading: str = "Received from the donor") -> dict[int, float]:
    ws = openpyxl.load_workbook(path, data_only=True)["Disbursements"]
    header = next(r for r in range(1, 10) if ws.cell(r, 1).value == "Semester")
    col = next(c for c in range(1, ws.max_column + 1) if ws.cell(header, c).value == heading)
    out = {}
    for r in range(header + 1, ws.max_row + 1):
        if isinstance(ws.cell(r, 1).value, int) and isinstance(ws.cell(r, col).value, int | float):
            out[ws.cell(r, 1).value] = float(ws.cell(r, col).value)
    return {k: v for k, v in out.items() if v}


def logframe_indicator_count(path: Path) -> int:
    ws = openpyxl.load_workbook(path, data_only=True)["Logframe"]
    header = next(r for r in range(1, 10) if any(ws.cell(r, c).value == "Kind" for c in range(1, 8)))
    kind = next(c for c in range(1, 8) if ws.cell(header, c).value == "Kind")
    return sum(1 for r in range(header + 1, ws.max_row + 1) if ws.cell(r, kind).value == "Indicator")


def money(element: etree._Element) -> float:
    return float(element.find("value").text)


def day(element: etree._Element, tag: str) -> dt.date:
    return dt.date.fromisoformat(element.find(tag).get("iso-date"))


def transactions(document: etree._ElementTree, code: str) -> dict[tuple[dt.date, str], float]:
    out: dict[tuple[dt.date, str], float] = defaultdict(float)
    for t in document.iter("transaction"):
        if t.find("transaction-type").get("code") == code:
            out[(day(t, "transaction-date"), t.findtext("provider-org/narrative"))] += money(t)
    return dict(out)


def close(a: dict, b: dict) -> bool:
    return a.keys() == b.keys() and all(math.isclose(a[k], b[k], abs_tol=TOLERANCE) for k in a)


# ------------------------------------------------------------------------------------------------
# The bundled example
# ------------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def example(tmp_path_factory):
    folder = tmp_path_factory.mktemp("iati")
    assert main(["new", "budget", str(folder / "budget.xlsx"), "--example", EXAMPLE]) == 0
    assert main(["new", "logframe", str(folder / "logframe.xlsx"), "--example", EXAMPLE]) == 0
    fill_project(folder / "budget.xlsx", folder / "filled.xlsx", OFFICER_FIELDS)
    return folder


def test_the_repository_keeps_the_official_203_schemas_and_their_attribution():
    root = etree.parse(str(SCHEMA)).getroot()
    assert root.get("version") == "2.03"
    assert "Release 2.03" in SCHEMA.read_text(encoding="utf-8")
    for name in ("iati-common.xsd", "xml.xsd", "SOURCES.md"):
        assert (SCHEMA.parent / name).is_file()
    sources = (SCHEMA.parent / "SOURCES.md").read_text(encoding="utf-8")
    assert "CC BY 4.0" in sources and "version-2.03" in sources
    for name in ("ActivityStatus", "BudgetType", "TransactionType", "OrganisationType", "Sector", "Currency",
                 "Country", "IndicatorMeasure", "ResultType", "OrganisationRole", "ActivityDateType"):
        tree = etree.parse(str(CODELISTS / f"{name}.xml")).getroot()
        assert tree.tag == "codelist" and tree.get("name") == name
    assert "CC BY 4.0" in (CODELISTS / "SOURCES.md").read_text(encoding="utf-8")


def test_the_example_exports_an_activity_the_official_schema_accepts_with_every_figure_traced(example, capsys):
    budget, out = example / "filled.xlsx", example / "activity.xml"
    code, stdout, err = run(capsys, "iati", budget, example / "logframe.xlsx", "-o", out, "--allow-errors")
    assert code == 0, err
    assert "wrote" in stdout and "10 validation error(s)" in err
    assert schema_errors(out) == []
    document = etree.parse(str(out))
    assert checks.rule_problems(document, dt.date.today()) == []
    activity = document.find("iati-activity")
    assert activity.findtext("iati-identifier") == "PE-RUC-20999999991-TC-03-02-01-0"
    assert activity.get("default-currency") == "USD"
    assert activity.find("recipient-country").get("code") == "PE"  # "Peru" found in codelist Country
    assert [n.text for n in activity.find("title")] == [
        "Development of Business Networks in the Garment-making (Gamarra) and Tourism (Cuzco) Clusters of Peru",
        TITLE_ES]
    roles = [(p.findtext("narrative"), p.get("role")) for p in activity.iter("participating-org")]
    assert roles == [("MIF", "1"), ("PROMPYME", "1"),
                     ("Comisión de Promoción de la Pequeña y Micro Empresa (PROMPYME)", "4")]

    # Budgets: one per budget year, each at most a year, adding up to the Budget sheet's TOTAL row per year.
    first = first_disbursement(budget)
    printed = budget_total_row_by_year(budget)
    budgets = list(activity.iter("budget"))
    assert [b.get("type") for b in budgets] == ["1"] * len(printed)
    for year, b in enumerate(budgets, start=1):
        assert day(b, "period-start") == end_of_period(first, 2 * (year - 1), 6) + dt.timedelta(days=1)
        assert day(b, "period-end") == end_of_period(first, 2 * year, 6)
        assert math.isclose(money(b), printed[year], abs_tol=TOLERANCE)
    assert math.isclose(sum(money(b) for b in budgets), sum(printed.values()), abs_tol=TOLERANCE)
    # The annex phases 1,541,720 by year; contingencies and MIF cluster monitoring (58,280) are not phased,
    # and the command says so.
    assert math.isclose(sum(printed.values()), 1_541_720, abs_tol=TOLERANCE)
    assert "Contingencies" in err and "MIF cluster monitoring" in err

    # Spending: per semester and funder, the Execution sheet's cells added up.
    expected = {(end_of_period(first, n), who): v
                for (n, who), v in execution_by_period_and_funder(budget, "PROMPYME", "MIF").items()}
    assert close(transactions(document, "4"), expected)
    # Funds received: the Disbursements sheet, per semester.
    expected = {(end_of_period(first, n), "MIF"): v for n, v in received_by_semester(budget).items()}
    assert close(transactions(document, "1"), expected)
    assert math.isclose(sum(expected.values()), 410_000, abs_tol=TOLERANCE)
    # Planned disbursements: the Disbursements sheet's projection, per semester.
    planned = {(day(p, "period-start"), day(p, "period-end")): money(p) for p in activity.iter("planned-disbursement")}
    projected = received_by_semester(budget, "Projected disbursement")
    spans = {n: (end_of_period(first, n - 1) + dt.timedelta(days=1), end_of_period(first, n)) for n in projected}
    assert projected and close(planned, {spans[n]: v for n, v in projected.items()})

    # Results: every logframe indicator, under its level's result type.
    indicators = list(activity.iter("indicator"))
    assert len(indicators) == logframe_indicator_count(example / "logframe.xlsx")
    assert [r.get("type") for r in activity.iter("result")] == ["3", "2", "1", "1", "1", "1"]
    # P.2: target "50%", but its actual is a sentence ("18 of 20 networks operating (90%)"): qualitative,
    # since IATI wants a value for every actual of a percentage and none is made up; C3.b: a percentage.
    measures = {i.findtext("title/narrative").split()[0]: i.get("measure") for i in indicators}
    assert (measures["P.2"], measures["C3.b"], measures["2.2"], measures["C1"]) == ("5", "2", "1", "5")
    c3b = next(i for i in indicators if i.findtext("title/narrative").startswith("C3.b "))
    assert [t.get("value") for t in c3b.iter("target")] == ["80", "80"]  # years 2 and 3: "annually from year 2"
    for indicator in indicators:  # IATI: a value for every baseline, target and actual of a numeric measure
        numeric = indicator.get("measure") in ("1", "2")
        for item in (*indicator.iter("baseline"), *indicator.iter("target"), *indicator.iter("actual")):
            assert (item.get("value") is not None) == numeric, etree.tostring(item)
    # 2.2: 20 networks with a manager by month 14 (semester 3); 6 recorded in semester 2, 14 in semester 3.
    i22 = next(i for i in indicators if i.findtext("title/narrative").startswith("2.2 "))
    assert i22.get("measure") == "1"
    periods = {day(p, "period-end"): p for p in i22.iter("period")}
    assert periods[dt.date(2005, 6, 30)].find("actual").get("value") == "6"
    s3 = periods[dt.date(2005, 12, 31)]
    assert s3.find("target").get("value") == "20" and s3.find("actual").get("value") == "14"


def test_a_workbook_with_validation_errors_is_refused_unless_allowed(example, capsys):
    out = example / "refused.xml"
    code, _, err = run(capsys, "iati", example / "filled.xlsx", "-o", out)
    assert code == 1 and not out.exists()
    assert "not exported: validation found 10 error(s)" in err and "--allow-errors" in err


@pytest.mark.parametrize("label", REQUIRED)
def test_each_field_the_officer_must_choose_is_asked_for_at_its_cell(example, tmp_path, capsys, label):
    budget = tmp_path / "budget.xlsx"
    fill_project(example / "budget.xlsx", budget, {k: v for k, v in OFFICER_FIELDS.items() if k != label})
    out = tmp_path / "a.xml"
    code, _, err = run(capsys, "iati", budget, "-o", out, "--allow-errors")
    assert code == 4 and not out.exists()
    row = project_rows(budget)[label]
    assert f"Project!B{row} ('{label}'): empty" in err
    assert len(err.strip().splitlines()) == 1


def test_on_a_first_export_every_empty_field_is_named_in_one_message(example, tmp_path, capsys):
    code, _, err = run(capsys, "iati", example / "budget.xlsx", "-o", tmp_path / "a.xml", "--allow-errors")
    assert code == 4 and len(err.strip().splitlines()) == 1
    rows = project_rows(example / "budget.xlsx")
    for label in REQUIRED:
        assert f"Project!B{rows[label]} ('{label}')" in err
    for codelist in ("OrganisationRegistrationAgency", "OrganisationType", "ActivityStatus", "Sector"):
        assert codelist in err


@pytest.mark.parametrize("label, value, codelist", [
    ("IATI: activity status", "7", "ActivityStatus"),
    ("IATI: reporting organisation type", "12", "OrganisationType"),
    ("IATI: sectors (DAC 5-digit codes)", "99999", "Sector"),
    ("IATI: reporting organisation identifier", "RUC-20999999991", "OrganisationRegistrationAgency"),
    ("IATI: recipient country or region code", "XQ", "Country"),
    ("IATI: donor organisation type", "Multilateral", "OrganisationType"),
    ("IATI: recipient country or region code", "JO 50%; PE 40%", "adding up to 100"),
    ("IATI: sectors (DAC 5-digit codes)", "32130; 25010", "adding up to 100"),
])
def test_a_code_outside_its_codelist_is_refused_naming_the_codelist(example, tmp_path, capsys, label, value, codelist):
    budget = tmp_path / "budget.xlsx"
    fill_project(example / "budget.xlsx", budget, {**OFFICER_FIELDS, label: value})
    code, _, err = run(capsys, "iati", budget, example / "logframe.xlsx", "-o", tmp_path / "a.xml", "--allow-errors")
    assert code == 4, err
    assert f"Project!B{project_rows(budget)[label]}" in err and codelist in err


def test_without_a_logframe_a_description_is_asked_for_then_published(example, tmp_path, capsys):
    out = tmp_path / "a.xml"
    code, _, err = run(capsys, "iati", example / "filled.xlsx", "-o", out, "--allow-errors")
    assert code == 4 and "'IATI: description'" in err
    budget = tmp_path / "described.xlsx"
    fill_project(example / "filled.xlsx", budget, {"IATI: description": "Business networks in two clusters."})
    code, _, err = run(capsys, "iati", budget, "-o", out, "--allow-errors")
    assert code == 0, err
    document = etree.parse(str(out))
    assert document.findtext("iati-activity/description/narrative") == "Business networks in two clusters."
    assert list(document.iter("result")) == [] and schema_errors(out) == []


def test_the_export_never_writes_over_its_inputs_or_an_existing_file(example, tmp_path, capsys):
    budget = tmp_path / "budget.xlsx"
    budget.write_bytes((example / "filled.xlsx").read_bytes())
    before = budget.read_bytes()
    logframe = example / "logframe.xlsx"
    code, _, err = run(capsys, "iati", budget, logframe, "-o", budget.with_suffix(".xml"), "--allow-errors")
    assert code == 0, err
    code, _, err = run(capsys, "iati", budget, logframe, "-o", budget.with_suffix(".xml"), "--allow-errors")
    assert code == 2 and "already exists" in err
    code, _, err = run(capsys, "iati", budget, logframe, "-o", budget, "--allow-errors")
    assert code == 2 and ".xml" in err
    assert budget.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["budget.xlsx", "budget.xml"]  # no temporary left


# ------------------------------------------------------------------------------------------------
# The rules the schema cannot check: each catches its breach
# ------------------------------------------------------------------------------------------------

def test_each_iati_rule_beyond_the_schema_catches_its_breach(example, capsys):
    out = example / "rules.xml"
    assert run(capsys, "iati", example / "filled.xlsx", example / "logframe.xlsx", "-o", out, "--allow-errors",
               "--force")[0] == 0
    clean = etree.parse(str(out))
    today = dt.date.today()
    assert checks.rule_problems(clean, today) == []

    def broken(change) -> list[str]:
        document = copy.deepcopy(clean)
        change(document.getroot())
        return checks.rule_problems(document, today)

    def two_years(root):
        root.find(".//budget/period-end").set("iso-date", "2006-06-30")

    def backwards(root):
        root.find(".//budget/period-end").set("iso-date", "2004-06-30")

    def future(root):
        root.find(".//transaction/transaction-date").set("iso-date", (today + dt.timedelta(days=1)).isoformat())

    def bad_sector(root):
        root.find(".//sector").set("code", "99999")

    def bad_currency(root):
        root.find("iati-activity").set("default-currency", "XXY")

    def wrong_identifier(root):
        root.find(".//iati-identifier").text = "XX-TC-03-02-01-0"

    def value_dropped(root):
        numeric = next(i for i in root.iter("indicator") if i.get("measure") == "1" and i.find(".//actual") is not None)
        del numeric.find(".//actual").attrib["value"]

    def value_on_qualitative(root):
        next(i for i in root.iter("indicator") if i.get("measure") == "5").find("baseline").set("value", "0")

    assert any("needs a number as its value" in p for p in broken(value_dropped))
    assert any("a qualitative baseline carries a value" in p for p in broken(value_on_qualitative))

    def overlap(root):
        root.findall(".//budget")[1].find("period-start").set("iso-date", "2005-06-01")

    assert any("budgets of type 1 overlap" in p for p in broken(overlap))
    assert any("at most one year" in p for p in broken(two_years))
    assert any("does not start before it ends" in p for p in broken(backwards))
    assert any("in the future" in p for p in broken(future))
    assert any("codelist Sector" in p for p in broken(bad_sector))
    assert any("codelist Currency" in p for p in broken(bad_currency))
    assert any("reporting-org ref" in p for p in broken(wrong_identifier))


# ------------------------------------------------------------------------------------------------
# Projects of other shapes, declared in PROJECT.toml with their [iati] table
# ------------------------------------------------------------------------------------------------

IATI_TABLE = '\n[iati]\norg_ref = "XI-IATI-TEST1"\norg_type = "22"\nactivity_status = "2"\n' \
             'sectors = "31120 60%; 32130 40%"\ndescription = "A project of another shape."\n' \
             'donor_ref = "XI-IATI-EC_INTPA"\ndonor_type = "40"\n'


def other_shape(folder: Path, s: dict, first: dt.date, iati: str = IATI_TABLE) -> Path:
    text = project_toml(s).replace("first_disbursement = 2025-01-01", f"first_disbursement = {first.isoformat()}")
    (folder / "PROJECT.toml").write_text(text + iati, encoding="utf-8")
    (folder / "LINES.csv").write_text(lines_csv(s), encoding="utf-8")
    budget = folder / "budget.xlsx"
    assert main(["new", "budget", str(budget), "--project", str(folder / "PROJECT.toml"),
                 "--lines", str(folder / "LINES.csv")]) == 0
    return budget


def record_execution(source: Path, target: Path, figures: list[tuple[str, int, int, float]]) -> None:
    """(Ref., period, source column offset in the period's block, amount) typed into the Execution sheet."""
    wb = openpyxl.load_workbook(source)
    ws = wb["Execution"]
    group = next(r for r in range(1, 12) if any(re.fullmatch(r"(Semester|Quarter) \d+", str(ws.cell(r, c).value or ""))
                                               for c in range(1, ws.max_column + 1)))
    for ref, period, offset, amount in figures:
        row = next(r for r in range(group + 2, ws.max_row + 1) if str(ws.cell(r, 1).value) == ref)
        col = next(c for c in range(1, ws.max_column + 1)
                   if str(ws.cell(group, c).value or "").endswith(f" {period}"))
        ws.cell(row, col + offset).value = amount
    wb.save(target)


def test_a_quarterly_project_with_a_cofinancier_in_euros_exports_per_quarter_and_funder(tmp_path, capsys):
    s = shape(components=4, years=2, currency="EUR", quarterly=True, cofinancier=True, months=24)
    first = dt.date(2023, 1, 1)
    budget = other_shape(tmp_path, s, first, IATI_TABLE + 'country = "BO"\n')
    # donor, counterpart cash, counterpart in kind, co-financier: offsets 0..3 of each quarter's block
    figures = [("1.01", 1, 0, 1200.0), ("1.01", 1, 1, 600.0), ("1.01", 1, 3, 200.0), ("2.01", 2, 0, 600.6),
               ("2.01", 2, 1, 300.3), ("3.02", 2, 3, 100.1), ("3.02", 5, 0, 300.5), ("2.01", 5, 1, 150.25),
               ("3.02", 5, 3, 50.08)]
    record_execution(budget, tmp_path / "spent.xlsx", figures)
    out = tmp_path / "a.xml"
    code, _, err = run(capsys, "iati", tmp_path / "spent.xlsx", "-o", out)
    assert code == 0, err
    assert schema_errors(out) == []
    document = etree.parse(str(out))
    assert checks.rule_problems(document, dt.date.today()) == []
    activity = document.find("iati-activity")
    assert activity.get("default-currency") == "EUR"
    assert activity.findtext("iati-identifier") == "XI-IATI-TEST1-XX-T0-01"
    assert activity.find("recipient-country").get("code") == "BO"
    assert [(x.get("code"), x.get("percentage")) for x in activity.iter("sector")] == [("31120", "60"), ("32130", "40")]
    donor = activity.find("participating-org")
    assert (donor.get("ref"), donor.get("type"), donor.get("role")) == ("XI-IATI-EC_INTPA", "40", "1")
    expected = {(end_of_period(first, n, 3), who): v for (n, who), v in
                execution_by_period_and_funder(tmp_path / "spent.xlsx", "Agencia Ejecutora",
                                               "European Union").items()}
    assert set(who for _, who in expected) == {"European Union", "Agencia Ejecutora", "Producer cooperatives"}
    assert close(transactions(document, "4"), expected)
    printed = budget_total_row_by_year(budget)
    assert math.isclose(sum(money(b) for b in activity.iter("budget")), sum(printed.values()), abs_tol=TOLERANCE)


def test_a_running_period_is_dated_today_and_a_period_not_begun_is_refused(tmp_path, capsys):
    s = shape(components=3, years=2, months=24)
    today = dt.date.today()
    months_ago = today.year * 12 + today.month - 1 - 8
    first = dt.date(months_ago // 12, months_ago % 12 + 1, 1)  # 8 months ago: semester 2 is running
    budget = other_shape(tmp_path, s, first)
    running = 2
    assert end_of_period(first, 1) < today <= end_of_period(first, 2)
    record_execution(budget, tmp_path / "running.xlsx", [("1.01", running, 0, 300.0), ("1.01", running, 1, 200.0)])
    out = tmp_path / "a.xml"
    code, _, err = run(capsys, "iati", tmp_path / "running.xlsx", "-o", out)
    # "Bolivia" is not how codelist Country names it ("Bolivia (Plurinational State of)"): the code is asked for
    cell = project_rows(budget)["IATI: recipient country or region code"]
    assert code == 4 and f"Project!B{cell}" in err and "'Bolivia'" in err and "codelist Country" in err
    fill_project(tmp_path / "running.xlsx", tmp_path / "running.xlsx", {"IATI: recipient country or region code": "BO"})
    code, _, err = run(capsys, "iati", tmp_path / "running.xlsx", "-o", out)
    assert code == 0, err
    document = etree.parse(str(out))
    dates = [day(t, "transaction-date") for t in document.iter("transaction")]
    assert dates == [today, today] and "still running" in err
    record_execution(tmp_path / "running.xlsx", tmp_path / "ahead.xlsx",
                     [("1.01", running + 1, 0, 300.0), ("1.01", running + 1, 1, 200.0)])
    code, _, err = run(capsys, "iati", tmp_path / "ahead.xlsx", "-o", tmp_path / "b.xml")
    assert code == 2 and "Execution!" in err and "has not begun" in err
    assert not (tmp_path / "b.xml").exists()


def test_the_budget_year_periods_follow_a_first_disbursement_mid_month():
    from compiler.iati.activity import budget_year_dates

    assert budget_year_dates(dt.date(2024, 7, 15), 1) == (dt.date(2024, 7, 15), dt.date(2025, 7, 14))
    assert budget_year_dates(dt.date(2024, 1, 31), 2) == (dt.date(2025, 1, 31), dt.date(2026, 1, 30))
    # as the semesters do: the 29th where the month has it, else the month's last day (year 2 starts 28 Feb)
    assert budget_year_dates(dt.date(2024, 2, 29), 1)[1] == dt.date(2025, 2, 27)


# ------------------------------------------------------------------------------------------------
# As the officer works: the fields typed in a spreadsheet program, which recalculates and saves
# ------------------------------------------------------------------------------------------------

@needs_uno
def test_fields_typed_in_libreoffice_export_and_the_spending_equals_the_execution_total_row(example, tmp_path,
                                                                                             capsys):
    """The Execution sheet's TOTAL row (its SUM formulas, calculated by LibreOffice on saving) per
    semester and source, against the exported expenditure."""
    rows = project_rows(example / "budget.xlsx")
    edited = tmp_path / "typed.xlsx"
    edit(example / "budget.xlsx", edited,
         [{"op": "set", "sheet": "Project", "cell": f"B{rows[label]}", "value": value}
          for label, value in OFFICER_FIELDS.items()])
    out = tmp_path / "activity.xml"
    code, _, err = run(capsys, "iati", edited, example / "logframe.xlsx", "-o", out, "--allow-errors")
    assert code == 0, err
    assert schema_errors(out) == []
    ws = openpyxl.load_workbook(edited, data_only=True)["Execution"]
    group = next(r for r in range(1, 12) if ws.cell(r, 3).value == "Semester 1")
    total = next(r for r in range(group + 2, ws.max_row + 1) if ws.cell(r, 2).value == "TOTAL")
    first = first_disbursement(edited)
    expected: dict[tuple[dt.date, str], float] = defaultdict(float)
    semester = None
    for c in range(3, ws.max_column + 1):
        label = str(ws.cell(group, c).value or "")
        if label.startswith("Semester "):
            semester = int(label.split()[1])
        elif label:  # "Executed to date": not a semester
            break
        head = str(ws.cell(group + 1, c).value or "")
        value = ws.cell(total, c).value
        assert isinstance(value, int | float), f"Execution!{c}{total} has no calculated value"
        if value:
            expected[(end_of_period(first, semester), "MIF" if head == "MIF" else "PROMPYME")] += value
    assert math.isclose(sum(expected.values()), 617_580, abs_tol=TOLERANCE)  # semesters 1-3, all sources
    assert close(transactions(etree.parse(str(out)), "4"), dict(expected))


# ------------------------------------------------------------------------------------------------
# The second bundled example: one funder, euros, amounts only, a revision (the total allotment)
# ------------------------------------------------------------------------------------------------

UNIDO_FIELDS = {  # test values: an identifier of the DAC form, not UNIDO's own
    "IATI: reporting organisation identifier": "XM-DAC-99999",
    "IATI: reporting organisation type": "40",
    "IATI: activity status": "3",
    "IATI: sectors (DAC 5-digit codes)": "32130",
    "IATI: recipient country or region code": "JO 50%; PE 50%",
    "IATI: description": "Promotion of SME export consortia in Jordan and Peru.",
}


def current_budget_by_year(path: Path) -> dict[int, float]:
    """The Budget sheet's lines per year, each replaced by its latest revised figures on the Revisions
    sheet's "Revised lines" table (matched by Ref.; a revision gives the line's whole figures)."""
    wb = openpyxl.load_workbook(path, data_only=True)
    ws = wb["Budget"]
    header = next(r for r in range(1, 15) if ws.cell(r, 1).value == "Ref.")
    year_cols = {}
    year = None
    for c in range(1, ws.max_column + 1):
        above = str(ws.cell(header - 1, c).value or "")
        if re.fullmatch(r"Year \d+", above):
            year = int(above.split()[1])
        if ws.cell(header, c).value == "Subtotal" and year and year not in year_cols:
            year_cols[year] = c
    lines = {}
    for r in range(header + 1, ws.max_row + 1):
        ref = str(ws.cell(r, 1).value or "")
        if re.fullmatch(r"\d+[.-]\d+", ref):  # a cost line (1.01, 11-00), not a component heading
            lines[ref] = {y: float(ws.cell(r, c).value or 0) for y, c in year_cols.items()}
        elif ws.cell(r, 2).value in ("Contingencies",) or (ref and not ref.isdigit()):
            lines[ref or "contingencies"] = {y: float(ws.cell(r, c).value or 0) for y, c in year_cols.items()}
    rv = wb["Revisions"]
    title = next(r for r in range(1, rv.max_row + 1) if rv.cell(r, 1).value == "Revised lines")
    heads = {str(rv.cell(title + 1, c).value): c for c in range(1, rv.max_column + 1) if rv.cell(title + 1, c).value}
    revised = sorted((rv.cell(r, 1).value, r) for r in range(title + 2, rv.max_row + 1)
                     if isinstance(rv.cell(r, 1).value, int))
    for _, r in revised:  # in revision order: the latest wins
        lines[str(rv.cell(r, heads["Ref."]).value)] = {y: float(rv.cell(r, heads[f"Year {y}"]).value or 0)
                                                       for y in year_cols}
    return {y: sum(v[y] for v in lines.values()) for y in year_cols}


def test_the_second_example_exports_its_original_and_revised_budget_in_euros(tmp_path, capsys):
    budget = tmp_path / "budget.xlsx"
    assert main(["new", "budget", str(tmp_path / "example.xlsx"), "--example", "us-glo-04-158"]) == 0
    fill_project(tmp_path / "example.xlsx", budget, UNIDO_FIELDS)
    out = tmp_path / "activity.xml"
    code, _, err = run(capsys, "iati", budget, "-o", out)
    assert code == 1 and "not exported" in err  # the document's own slip (EX01 on 17-00)
    code, _, err = run(capsys, "iati", budget, "-o", out, "--allow-errors")
    assert code == 0, err
    assert schema_errors(out) == []
    document = etree.parse(str(out))
    assert checks.rule_problems(document, dt.date.today()) == []
    activity = document.find("iati-activity")
    assert activity.get("default-currency") == "EUR"
    assert activity.findtext("iati-identifier") == "XM-DAC-99999-US-GLO-04-158"  # "/" is not allowed in IATI
    assert [(p.findtext("narrative"), p.get("role")) for p in activity.iter("participating-org")] == [
        ("Government of Italy", "1"), ("UNIDO", "4")]
    assert [(c.get("code"), c.get("percentage")) for c in activity.iter("recipient-country")] == [
        ("JO", "50"), ("PE", "50")]
    budgets = {(b.get("type"), day(b, "period-start")): money(b) for b in activity.iter("budget")}
    first = first_disbursement(budget)
    printed, current = budget_total_row_by_year(budget), current_budget_by_year(budget)
    assert budgets.keys() == {("1", first), ("2", first)}  # one budget year, original and revised
    assert math.isclose(budgets[("1", first)], printed[1], abs_tol=TOLERANCE)
    assert math.isclose(budgets[("2", first)], current[1], abs_tol=TOLERANCE)
    assert math.isclose(printed[1], 800_000, abs_tol=TOLERANCE)  # Table 1: original budget
    assert math.isclose(current[1], 800_004, abs_tol=TOLERANCE)  # Table 1: total allotment, as printed
    assert "phases the budget over 1 budget year(s) for an execution period of 48 months" in err
    expected = {(end_of_period(first, n), who): v for (n, who), v in
                execution_by_period_and_funder(budget, "-", "Government of Italy").items()}
    assert close(transactions(document, "4"), expected)
    assert math.isclose(sum(expected.values()), 745_000, abs_tol=TOLERANCE)
    assert transactions(document, "1") == {(end_of_period(first, n), "Government of Italy"): v
                                           for n, v in received_by_semester(budget).items()}


def local_spending(path: Path) -> dict[tuple[dt.date, str, int], float]:
    """The Local spending sheet's entries, each converted at its own rate (amount ÷ rate, to the cent),
    by (date, source as typed, row)."""
    ws = openpyxl.load_workbook(path, data_only=True)["Local spending"]
    header = next(r for r in range(1, 10) if ws.cell(r, 1).value == "Date")
    col = {str(ws.cell(header, c).value): c for c in range(1, ws.max_column + 1) if ws.cell(header, c).value}
    out = {}
    for r in range(header + 1, ws.max_row + 1):
        amount = ws.cell(r, col["Amount"]).value
        if isinstance(amount, int | float):
            when = ws.cell(r, col["Date"]).value
            out[(when.date() if isinstance(when, dt.datetime) else when, ws.cell(r, col["Source"]).value, r)] = \
                round(amount / ws.cell(r, col["Rate"]).value, 2)
    return out


def test_spending_paid_in_local_currency_is_published_converted_with_the_execution_sheets(tmp_path, capsys):
    """Under the `entry` rule (the rate typed on each payment), the soles converted join the Execution
    sheet's figures of their semester and funder."""
    s = shape(components=3, years=2, months=24)
    first = dt.date(2023, 1, 1)
    iati = IATI_TABLE + 'country = "BO"\n\n[currency]\nlocal = "PEN"\nrule = "entry"\n'
    budget = other_shape(tmp_path, s, first, iati)
    record_execution(budget, tmp_path / "spent.xlsx", [("1.01", 1, 0, 300.0), ("1.01", 1, 1, 200.0)])
    wb = openpyxl.load_workbook(tmp_path / "spent.xlsx")
    ws = wb["Local spending"]
    header = next(r for r in range(1, 10) if ws.cell(r, 1).value == "Date")
    for r, entry in enumerate([(dt.datetime(2023, 3, 15), "1.01", "European Union", "PEN", 1005.0, 3.35, "Payroll"),
                               (dt.datetime(2023, 4, 2), "1.01", "Counterpart cash", "PEN", 671.34, 3.3567, "Rent")],
                              start=header + 1):
        for c, value in enumerate(entry, start=1):
            ws.cell(r, c).value = value
    wb.save(tmp_path / "soles.xlsx")
    out = tmp_path / "a.xml"
    code, _, err = run(capsys, "iati", tmp_path / "soles.xlsx", "-o", out)
    assert code == 0, err
    assert schema_errors(out) == []
    expected = defaultdict(float)
    for (n, who), v in execution_by_period_and_funder(tmp_path / "soles.xlsx", "Agencia Ejecutora",
                                                      "European Union").items():
        expected[(end_of_period(first, n), who)] += v
    for (when, source, _), v in local_spending(tmp_path / "soles.xlsx").items():
        semester = 1 if when < dt.date(2023, 7, 1) else 2
        expected[(end_of_period(first, semester), "European Union" if source == "European Union"
                  else "Agencia Ejecutora")] += v
    assert close(transactions(etree.parse(str(out)), "4"), dict(expected))
    assert math.isclose(sum(expected.values()), 300 + 200 + 300.0 + 200.0, abs_tol=TOLERANCE)
