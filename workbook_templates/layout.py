"""The budget workbook's layout, declared once.

The template builder, the file reader, the live-Excel reader of the add-in and the rules all take
sheet names, column positions, header texts and Project fields from here, so that a change to the
workbook is a change to this file only.

The Budget sheet mirrors the budget annex of an IDB/MIF project document: one row per cost line
under its component and sub-heading, for each year a unit cost, a quantity and a subtotal, then the
line total, the MIF amount, the counterpart in cash, in kind and subtotal, and on component rows the
% contribution.  A "Ref." column in front gives every cost line a stable reference (1.01, 1.02 …)
that the execution record and the findings use.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

TEMPLATE_VERSION = "mifkit-budget/1"

PROJECT_SHEET = "Project"
BUDGET_SHEET = "Budget"
SUMMARY_SHEET = "Summary"
REQUIRED_SHEETS = (PROJECT_SHEET, BUDGET_SHEET, SUMMARY_SHEET)

MAX_YEARS = 5
# Components of an MIF annex: the technical components, then the project executing unit,
# administration and oversight, evaluation and external audits (section III rows I-IV, B, C, D).
COMPONENT_NUMBERS = (1, 2, 3, 4, 5, 6, 7)
CONTINGENCIES = "contingencies"
MIF_CLUSTER_MONITORING = "mif_cluster_monitoring"


# --------------------------------------------------------------------------------------------
# Project sheet
# --------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class ProjectField:
    """One line of the Project sheet: label in column A, value in column B, source in column C."""

    key: str
    label: str
    kind: str  # text | date | int | money | share | points | choice
    default: object = None
    source: str = ""
    minimum: float | None = None
    maximum: float | None = None
    choices: tuple[str, ...] = ()
    required: bool = True


DERIVED_FORMULAS = "formulas"
DERIVED_TYPED = "typed as printed"

PROJECT_FIELDS: tuple[ProjectField, ...] = (
    ProjectField("project_number", "Project number", "text", source="Cover of the project document"),
    ProjectField("title", "Project title", "text"),
    ProjectField("executing_agency", "Executing agency", "text"),
    ProjectField("country", "Country", "text"),
    ProjectField("currency", "Currency", "text", "USD"),
    ProjectField("first_disbursement", "First-disbursement date", "date",
                 source="Date of the first MIF disbursement; reporting periods count from it"),
    ProjectField("execution_months", "Execution period (months)", "int", 36, "Paragraph 4.4", 1, 120),
    ProjectField("disbursement_months", "Disbursement period (months)", "int", 42, "Paragraph 4.4", 1, 120),
    ProjectField("years", "Number of budget years", "int", 3, "Columns of the budget annex", 1, MAX_YEARS),
    ProjectField("donor_share", "Agreed MIF share of the subtotal", "share", 0.60,
                 "Section III table", 0, 1),
    ProjectField("counterpart_share", "Agreed counterpart share of the subtotal", "share", 0.40,
                 "Section III table", 0, 1),
    ProjectField("share_tolerance", "Tolerance on shares (percentage points)", "points", 0.5,
                 "Shares in the document are printed as whole percentages", 0, 10),
    ProjectField("in_kind_cap", "Counterpart in kind: below this share of the counterpart", "share", 0.25,
                 "Paragraph 3.1: \"less than 25% in kind\"", 0, 1),
    ProjectField("revolving_fund_cap", "Revolving fund: up to this share of the MIF contribution", "share",
                 0.10, "Paragraph 4.4", 0, 1),
    ProjectField("contingencies_cap", "Contingencies: at most this share of the subtotal", "share", 0.05,
                 "Not stated in the document; set by the executing agency", 0, 1),
    ProjectField("tolerance", "Rounding tolerance (currency units)", "money", 0.5,
                 "Money is compared within this tolerance", 0, 1000),
    ProjectField("derived_cells", "Derived figures", "choice", DERIVED_FORMULAS,
                 "\"formulas\": subtotals and totals are formulas; \"typed as printed\": a transcription",
                 choices=(DERIVED_FORMULAS, DERIVED_TYPED)),
    ProjectField("pari_passu_tolerance", "Pari passu: tolerance (percentage points)", "points", 2.0,
                 "Counterpart share of cumulative execution may trail the agreed share by this much", 0, 20,
                 required=False),
    ProjectField("template_version", "Template version", "text", TEMPLATE_VERSION,
                 "Written by mifkit; do not edit", required=False),
)
PROJECT_FIELD_BY_KEY = {f.key: f for f in PROJECT_FIELDS}

PROJECT_FIRST_ROW = 4  # row of the first field; row 3 holds the column headers
PROJECT_HEADERS = ("Field", "Value", "Source / note")

FUNDING_BOTH = "MIF and counterpart"
FUNDING_MIF_ONLY = "MIF only"
FUNDING_COUNTERPART_ONLY = "Counterpart only"
FUNDING_CHOICES = (FUNDING_BOTH, FUNDING_MIF_ONLY, FUNDING_COUNTERPART_ONLY)

FUNDING_TABLE_TITLE = "Funding sources allowed per component"
FUNDING_TABLE_HEADERS = ("Component", "Name", "Funding", "Source / note")
# Section III of the annex: the executing unit and administration are counterpart-funded,
# evaluation/audits and MIF cluster monitoring are MIF-funded.
DEFAULT_FUNDING: tuple[tuple[str, str, str], ...] = (
    ("1", "Component 1", FUNDING_BOTH),
    ("2", "Component 2", FUNDING_BOTH),
    ("3", "Component 3", FUNDING_BOTH),
    ("4", "Component 4", FUNDING_BOTH),
    ("5", "Project executing unit", FUNDING_COUNTERPART_ONLY),
    ("6", "Administration and oversight", FUNDING_COUNTERPART_ONLY),
    ("7", "Evaluation and external audits", FUNDING_MIF_ONLY),
    (CONTINGENCIES, "Contingencies", FUNDING_BOTH),
    (MIF_CLUSTER_MONITORING, "MIF cluster monitoring", FUNDING_MIF_ONLY),
)

STATED_TABLE_TITLE = "Totals stated in the approved text"
STATED_TABLE_HEADERS = ("Statement", "Compared with", "Total", "MIF", "Counterpart", "Source / note")
STATED_COMPARED_WITH = ("TOTAL", "SUB-TOTAL")
STATED_TABLE_ROWS = 4  # input rows offered in the blank template


# --------------------------------------------------------------------------------------------
# Budget sheet
# --------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Column:
    """A Budget column.  `role` is "label", "input" or "derived" on cost lines."""

    key: str
    header: str
    group: str  # the caption above the header (Year 1, Counterpart, % Contribution) or ""
    role: str
    number_format: str = ""
    width: float = 11


MONEY_FORMAT = '#,##0;-#,##0;"-"'
QTY_FORMAT = '#,##0.##;-#,##0.##;"-"'
PCT_FORMAT = "0%"

AMOUNT_KEYS = ("total", "donor", "counterpart_cash", "counterpart_in_kind", "counterpart_subtotal")
PCT_KEYS = ("pct_total", "pct_donor", "pct_counterpart")


def year_keys(year: int) -> tuple[str, str, str]:
    return (f"y{year}_unit_cost", f"y{year}_qty", f"y{year}_subtotal")


@cache
def budget_columns(years: int) -> tuple[Column, ...]:
    """The Budget sheet's columns, left to right, for a project of `years` years."""
    if not 1 <= years <= MAX_YEARS:
        raise ValueError(f"number of years must be 1 to {MAX_YEARS}, not {years}")
    cols = [
        Column("ref", "Ref.", "", "label", "@", 7),
        Column("item", "Item", "", "label", "", 46),
        Column("unit", "Unit", "", "label", "", 17),
    ]
    for y in range(1, years + 1):
        uc, qty, sub = year_keys(y)
        cols += [
            Column(uc, "Unit cost", f"Year {y}", "input", MONEY_FORMAT, 10),
            Column(qty, "Qty.", f"Year {y}", "input", QTY_FORMAT, 7),
            Column(sub, "Subtotal", f"Year {y}", "derived", MONEY_FORMAT, 12),
        ]
    cols += [
        Column("total", "TOTAL", "", "derived", MONEY_FORMAT, 13),
        Column("donor", "MIF", "", "input", MONEY_FORMAT, 12),
        Column("counterpart_cash", "In cash", "Counterpart", "input", MONEY_FORMAT, 12),
        Column("counterpart_in_kind", "In kind", "Counterpart", "input", MONEY_FORMAT, 12),
        Column("counterpart_subtotal", "Subtotal", "Counterpart", "derived", MONEY_FORMAT, 12),
        Column("pct_total", "TOT.", "% Contribution", "derived", PCT_FORMAT, 7),
        Column("pct_donor", "MIF", "% Contribution", "derived", PCT_FORMAT, 7),
        Column("pct_counterpart", "Counterpart", "% Contribution", "derived", PCT_FORMAT, 11),
    ]
    return tuple(cols)


@cache
def column_index(years: int) -> dict[str, int]:
    """Column key -> 1-based column number."""
    return {c.key: i for i, c in enumerate(budget_columns(years), start=1)}


def column_letter(number: int) -> str:
    """1 -> A, 27 -> AA."""
    letters = ""
    while number:
        number, rem = divmod(number - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def column_number(letters: str) -> int:
    """A -> 1, AA -> 27 (the inverse of column_letter)."""
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n


def cell(years: int, key: str, row: int) -> str:
    """A1 address of column `key` on `row` of the Budget sheet."""
    return f"{column_letter(column_index(years)[key])}{row}"


def numeric_keys(years: int) -> tuple[str, ...]:
    """Every column that holds a number (unit costs, quantities, amounts, percentages)."""
    return tuple(c.key for c in budget_columns(years) if c.role != "label")


def money_keys(years: int) -> tuple[str, ...]:
    """Columns that hold amounts of money (not quantities, not percentages)."""
    keys = []
    for y in range(1, years + 1):
        uc, _, sub = year_keys(y)
        keys += [uc, sub]
    return (*keys, *AMOUNT_KEYS)


BUDGET_TITLE_ROW = 1
BUDGET_SUBTITLE_ROW = 2
BUDGET_GROUP_ROW = 4
BUDGET_HEADER_ROW = 5
BUDGET_FIRST_ROW = 6

# Labels of the fixed rows at the foot of the Budget sheet, as printed in the annex.
LABEL_CONTINGENCIES = "Contingencies"
LABEL_SUBTOTAL = "SUB-TOTAL"
LABEL_MIF_MONITORING = "MIF cluster monitoring"
LABEL_TOTAL = "TOTAL"
FOOT_LABELS = (LABEL_CONTINGENCIES, LABEL_SUBTOTAL, LABEL_MIF_MONITORING, LABEL_TOTAL)

DEFAULT_COMPONENT_NAMES = {
    1: "Component 1",
    2: "Component 2",
    3: "Component 3",
    4: "Component 4",
    5: "Project executing unit",
    6: "Administration and oversight",
    7: "Evaluation and external audits",
}


# --------------------------------------------------------------------------------------------
# Summary sheet (section III table)
# --------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class SummaryRow:
    """A row of the section III table.  `components` are the Budget components it aggregates."""

    key: str
    label: str
    components: tuple[str, ...] = ()
    has_pct: bool = False


SUMMARY_ROWS: tuple[SummaryRow, ...] = (
    SummaryRow("A", "A. Components", ("1", "2", "3", "4")),
    SummaryRow("I", "I. Component 1", ("1",), True),
    SummaryRow("II", "II. Component 2", ("2",), True),
    SummaryRow("III", "III. Component 3", ("3",), True),
    SummaryRow("IV", "IV. Component 4", ("4",), True),
    SummaryRow("B", "B. Project Executing Unit", ("5",)),
    SummaryRow("C", "C. Administration and oversight", ("6",)),
    SummaryRow("D", "D. Evaluation and external audits", ("7",)),
    SummaryRow(CONTINGENCIES, "Contingencies", (CONTINGENCIES,)),
    SummaryRow("subtotal", "SUBTOTAL", ("1", "2", "3", "4", "5", "6", "7", CONTINGENCIES), True),
    SummaryRow("pct", "%"),
    SummaryRow(MIF_CLUSTER_MONITORING, "MIF cluster follow-up", (MIF_CLUSTER_MONITORING,)),
    SummaryRow("total", "TOTAL", ("1", "2", "3", "4", "5", "6", "7", CONTINGENCIES,
                                  MIF_CLUSTER_MONITORING)),
)
SUMMARY_ROW_BY_KEY = {r.key: r for r in SUMMARY_ROWS}
SUMMARY_HEADERS = ("Item", "MIF", "Counterpart", "Total", "%")
SUMMARY_COLUMNS = ("label", "donor", "counterpart", "total", "pct")
SUMMARY_HEADER_ROW = 3
SUMMARY_FIRST_ROW = 4


def summary_key_of(label: object) -> str | None:
    """The Summary row a printed label belongs to: "II. Assistance…" -> "II", "SUBTOTAL" -> "subtotal"."""
    if not isinstance(label, str):
        return None
    text = label.strip()
    prefix = text.split(".", 1)[0] if "." in text else None
    for row in SUMMARY_ROWS:
        lettered = row.label.split(".", 1)[0] == row.key
        if (lettered and prefix == row.key) or (not lettered and text.lower() == row.label.lower()):
            return row.key
    return None


# --------------------------------------------------------------------------------------------
# Execution and Disbursements sheets (the record of execution, per semester)
# --------------------------------------------------------------------------------------------
# Optional when reading: a budget workbook without them has no execution data and still validates.

EXECUTION_SHEET = "Execution"
DISBURSEMENTS_SHEET = "Disbursements"
EXECUTION_SHEETS = (EXECUTION_SHEET, DISBURSEMENTS_SHEET)

# Funding sources of an execution figure: the model's `source` values and the sheet's headers.
SOURCE_DONOR, SOURCE_CASH, SOURCE_IN_KIND = "donor", "counterpart_cash", "counterpart_in_kind"
EXECUTION_SOURCES = (SOURCE_DONOR, SOURCE_CASH, SOURCE_IN_KIND)
EXECUTION_SOURCE_HEADERS = {SOURCE_DONOR: "MIF", SOURCE_CASH: "Counterpart cash",
                            SOURCE_IN_KIND: "Counterpart in kind"}
EXECUTION_TITLE_ROW = 1
EXECUTION_NOTE_ROW = 2
EXECUTION_GROUP_ROW = 4   # "Semester 3" over each block of three columns (then the dates on row 3)
EXECUTION_DATES_ROW = 3   # "Jul–Dec 2005", written when the file is made, for the reader of the sheet
EXECUTION_HEADER_ROW = 5  # Ref., Item, then MIF / Counterpart cash / Counterpart in kind per semester
EXECUTION_FIRST_ROW = 6
EXECUTION_LABEL_HEADERS = ("Ref.", "Item")
EXECUTION_TOTAL_GROUP = "Executed to date"
EXECUTION_SEMESTER_PATTERN = r"^\s*(?:semester|semestre)\s+(\d+)\b"


def execution_column(semester: int, source: str) -> int:
    """1-based column of a semester's source on the Execution sheet (Ref. and Item come first)."""
    return 2 + (semester - 1) * len(EXECUTION_SOURCES) + EXECUTION_SOURCES.index(source) + 1


def execution_cell(semester: int, source: str, row: int) -> str:
    return f"{column_letter(execution_column(semester, source))}{row}"


@dataclass(frozen=True)
class DisbursementColumn:
    key: str
    header: str
    kind: str  # int | label | money | derived (a formula, not read) | text
    width: float = 14


DISBURSEMENT_COLUMNS: tuple[DisbursementColumn, ...] = (
    DisbursementColumn("period", "Semester", "int", 9),
    DisbursementColumn("period_name", "Period", "label", 24),
    DisbursementColumn("donor_requested", "MIF requested", "money"),
    DisbursementColumn("donor_received", "MIF received", "money"),
    DisbursementColumn("advance", "Revolving-fund advance", "money"),
    DisbursementColumn("justified", "Amount justified", "money"),
    DisbursementColumn("outstanding", "Advance outstanding", "derived"),
    DisbursementColumn("note", "Justification note", "text", 60),
)
DISBURSEMENT_MONEY_KEYS = tuple(c.key for c in DISBURSEMENT_COLUMNS if c.kind == "money")
DISBURSEMENTS_HEADER_ROW = 4
DISBURSEMENTS_FIRST_ROW = 5


def disbursement_cell(key: str, row: int) -> str:
    index = next(i for i, c in enumerate(DISBURSEMENT_COLUMNS, start=1) if c.key == key)
    return f"{column_letter(index)}{row}"
