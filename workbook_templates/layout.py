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

from workbook_templates import structure
from workbook_templates.structure import Structure

TEMPLATE_VERSION = "mifkit-budget/2"

PROJECT_SHEET = "Project"
BUDGET_SHEET = "Budget"
SUMMARY_SHEET = "Summary"
REQUIRED_SHEETS = (PROJECT_SHEET, BUDGET_SHEET, SUMMARY_SHEET)

MAX_YEARS = structure.MAX_YEARS
CONTINGENCIES = structure.CONTINGENCIES
# Kinds of Budget rows that carry money but are not cost lines of a component.
OUTSIDE = "outside"   # a line between SUB-TOTAL and TOTAL; its component is the line's key


# --------------------------------------------------------------------------------------------
# Project sheet
# --------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class ProjectField:
    """One line of the Project sheet: label in column A, value in column B, source in column C.
    `aliases` are labels earlier templates wrote, so their workbooks still read."""

    key: str
    label: str
    kind: str  # text | date | int | money | share | points | choice
    default: object = None
    source: str = ""
    minimum: float | None = None
    maximum: float | None = None
    choices: tuple[str, ...] = ()
    required: bool = True
    aliases: tuple[str, ...] = ()


DERIVED_FORMULAS = "formulas"
DERIVED_TYPED = "typed as printed"
YES, NO = "yes", "no"
COSTED, AMOUNTS = "unit cost and quantity", "amounts"
COSTINGS = (COSTED, AMOUNTS)

PROJECT_FIELDS: tuple[ProjectField, ...] = (
    ProjectField("project_number", "Project number", "text", source="Cover of the project document"),
    ProjectField("title", "Project title", "text"),
    ProjectField("executing_agency", "Executing agency", "text"),
    ProjectField("country", "Country", "text"),
    ProjectField("currency", "Currency", "text", "USD"),
    ProjectField("first_disbursement", "First-disbursement date", "date",
                 source="Date of the first disbursement; reporting periods count from it"),
    ProjectField("execution_months", "Execution period (months)", "int", 36, "Paragraph 4.4", 1, 120),
    ProjectField("disbursement_months", "Disbursement period (months)", "int", 42, "Paragraph 4.4", 1, 120),
    ProjectField("years", "Number of budget years", "int", 3, "Columns of the budget annex", 1, MAX_YEARS),
    ProjectField("execution_period", "Execution recorded per", "choice", structure.SEMESTER,
                 "\"semester\" or \"quarter\": the columns of the Execution sheet",
                 choices=tuple(structure.PERIOD_MONTHS), required=False),
    ProjectField("donor", "Donor", "text", "Donor", "The funder of the grant (MIF, IDB Lab, another donor)",
                 required=False),
    ProjectField("donor_es", "Donor (name in Spanish)", "text", "", "For the Spanish report (MIF: FOMIN)",
                 required=False),
    ProjectField("title_es", "Project title (in Spanish)", "text", "", "For the Spanish report; empty: the title above",
                 required=False),
    ProjectField("country_es", "Country (in Spanish)", "text", "", "For the Spanish report (Peru: Perú)",
                 required=False),
    ProjectField("counterpart", "Counterpart", "text", "Counterpart",
                 "Who gives the local contribution; empty when the donor funds everything", required=False),
    ProjectField("donor_share", "Agreed donor share of the subtotal", "share", 0.60,
                 "Section III table", 0, 1, aliases=("Agreed MIF share of the subtotal",)),
    ProjectField("counterpart_share", "Agreed counterpart share of the subtotal", "share", 0.40,
                 "Section III table", 0, 1, required=False),
    ProjectField("share_tolerance", "Tolerance on shares (percentage points)", "points", 0.5,
                 "Shares in the document are printed as whole percentages", 0, 10),
    ProjectField("in_kind_cap", "Counterpart in kind: below this share of the counterpart", "share", 0.25,
                 "Paragraph 3.1: \"less than 25% in kind\"", 0, 1, required=False),
    ProjectField("revolving_fund_cap", "Revolving fund: up to this share of the donor contribution", "share",
                 0.10, "Paragraph 4.4", 0, 1, required=False,
                 aliases=("Revolving fund: up to this share of the MIF contribution",)),
    ProjectField("contingencies", "Contingencies line", "choice", YES,
                 "\"yes\": a Contingencies line above SUB-TOTAL; \"no\": none", choices=(YES, NO), required=False),
    ProjectField("contingencies_cap", "Contingencies: at most this share of the subtotal", "share", 0.05,
                 "Not stated in the document; set by the executing agency", 0, 1, required=False),
    ProjectField("tolerance", "Rounding tolerance (currency units)", "money", 0.5,
                 "Money is compared within this tolerance", 0, 1000),
    ProjectField("derived_cells", "Derived figures", "choice", DERIVED_FORMULAS,
                 "\"formulas\": subtotals and totals are formulas; \"typed as printed\": a transcription",
                 choices=(DERIVED_FORMULAS, DERIVED_TYPED)),
    ProjectField("pari_passu_tolerance", "Pari passu: tolerance (percentage points)", "points", 2.0,
                 "Counterpart share of cumulative execution may trail the agreed share by this much", 0, 20,
                 required=False),
    ProjectField("costing", "Costing of the lines", "choice", COSTED,
                 "\"unit cost and quantity\" per year, or \"amounts\": each year's amount only", choices=COSTINGS,
                 required=False),
    ProjectField("reallocation_threshold", "Reallocation needing approval: above this share of a component", "share",
                 0.10, "Cumulative change of a component's budget, as a share of its approved budget", 0, 1,
                 required=False),
    ProjectField("reallocation_threshold_line", "Reallocation needing approval: above this share of a line", "share",
                 None, "Empty: lines are not checked one by one", 0, 10, required=False),
    ProjectField("local_currency", "Local currency", "text", "",
                 "Code of the currency the executing agency also pays in (PEN), recorded on the Local spending "
                 "sheet; empty: everything is in the project currency", required=False),
    ProjectField("conversion_rule", "Local currency: conversion rule", "choice", structure.MONTHLY,
                 "The agreement's exchange-rate rule: \"disbursement\" (the rate of the latest disbursement "
                 "received), \"monthly\" (the Rates sheet), \"entry\" (the rate typed on each entry)",
                 choices=structure.CONVERSION_RULES, required=False),
    ProjectField("rate_tolerance", "Local currency: a rate may differ from the Rates sheet by", "share", 0.05,
                 "A rate farther than this from the month's rate on the Rates sheet is reported", 0, 1,
                 required=False),
    ProjectField("template_version", "Template version", "text", TEMPLATE_VERSION,
                 "Written by mifkit; do not edit", required=False),
)
PROJECT_FIELD_BY_KEY = {f.key: f for f in PROJECT_FIELDS}

# What an IATI activity file needs and the workbooks do not hold: the officer chooses each from the IATI
# codelist named in its note (https://iatistandard.org/en/iati-standard/203/codelists/).  They sit in a
# block of their own below the Project sheet's tables, read by label like every Project field, and are
# all optional for the rest of mifkit: only `mifkit iati` asks for them.
IATI_TABLE_TITLE = "Publishing in IATI (mifkit iati)"
IATI_FIELDS: tuple[ProjectField, ...] = (
    ProjectField("iati_org_ref", "IATI: reporting organisation identifier", "text", "",
                 "Registration agency code + number, e.g. PE-RUC-20123456789 (codelist "
                 "OrganisationRegistrationAgency; IATI guidance: How to create your IATI organisation identifier)",
                 required=False),
    ProjectField("iati_org_type", "IATI: reporting organisation type", "text", "",
                 "Code of codelist OrganisationType: 10 Government, 15 Other public sector, 21 International NGO, "
                 "22 National NGO, 40 Multilateral, 70 Private sector, 80 Academic…", required=False),
    ProjectField("iati_org_name", "IATI: reporting organisation name", "text", "",
                 "Empty: the executing agency publishes", required=False),
    ProjectField("iati_activity_id", "IATI: activity identifier", "text", "",
                 "Empty: the reporting organisation identifier, a hyphen and the project number (/ becomes -)",
                 required=False),
    ProjectField("iati_activity_status", "IATI: activity status", "text", "",
                 "Code of codelist ActivityStatus: 1 Pipeline, 2 Implementation, 3 Finalisation, 4 Closed, "
                 "5 Cancelled, 6 Suspended", required=False),
    ProjectField("iati_sectors", "IATI: sectors (DAC 5-digit codes)", "text", "",
                 "Codes of codelist Sector, e.g. 32130 (SME development); several: 32130 60%; 25010 40%",
                 required=False),
    ProjectField("iati_country", "IATI: recipient country or region code", "text", "",
                 "Empty: the Country field, if it is a name of codelist Country; else an ISO code (PE), several "
                 "with percentages (JO 50%; PE 50%), or a code of codelist Region (998)", required=False),
    ProjectField("iati_description", "IATI: description", "text", "",
                 "What the project does, in a sentence or two; empty: the logframe's Purpose is published",
                 required=False),
    ProjectField("iati_donor_ref", "IATI: donor organisation identifier", "text", "",
                 "Optional: the donor's own IATI identifier, as its IATI Registry page gives it (iatiregistry.org)",
                 required=False),
    ProjectField("iati_donor_type", "IATI: donor organisation type", "text", "",
                 "Optional: codelist OrganisationType (40 Multilateral, 10 Government…)", required=False),
    ProjectField("iati_counterpart_ref", "IATI: counterpart organisation identifier", "text", "",
                 "Optional: codelist OrganisationRegistrationAgency prefix + number", required=False),
    ProjectField("iati_counterpart_type", "IATI: counterpart organisation type", "text", "",
                 "Optional: codelist OrganisationType", required=False),
)
IATI_FIELD_BY_KEY = {f.key: f for f in IATI_FIELDS}

PROJECT_FIRST_ROW = 4  # row of the first field; row 3 holds the column headers
PROJECT_HEADERS = ("Field", "Value", "Source / note")

# The structure tables of the Project sheet, each found by its title in column A, its header on the
# next row and its rows until the first blank one.
COMPONENTS_TABLE_TITLE = "Components"
COMPONENTS_TABLE_HEADERS = ("Number", "Name", "Name (Spanish)", "Kind", "Funding", "Source / note")
OUTSIDE_TABLE_TITLE = "Lines outside the subtotal"
OUTSIDE_TABLE_HEADERS = ("Key", "Name", "Name (Spanish)", "Funding", "Source / note")
COFIN_TABLE_TITLE = "Co-financiers"
COFIN_TABLE_HEADERS = ("Key", "Name", "Agreed share", "Source / note")
# The table of earlier templates (component, name, funding), read when Components is absent.
LEGACY_FUNDING_TABLE_TITLE = "Funding sources allowed per component"

STATED_TABLE_TITLE = "Totals stated in the approved text"
STATED_TABLE_HEADERS = ("Statement", "Compared with", "Total", "Donor", "Counterpart", "Source / note")
STATED_COMPARED_WITH = ("TOTAL", "SUB-TOTAL")
STATED_TABLE_ROWS = 4  # input rows offered in the blank template


# --------------------------------------------------------------------------------------------
# Budget sheet
# --------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Column:
    """A Budget column.  `role` is "label", "input" or "derived" on cost lines.  `accepts` are other
    header texts that name the same column (a funder's generic word beside its declared name)."""

    key: str
    header: str
    group: str  # the caption above the header (Year 1, Counterpart, % Contribution) or ""
    role: str
    number_format: str = ""
    width: float = 11
    accepts: tuple[str, ...] = ()


MONEY_FORMAT = '#,##0;-#,##0;"-"'
QTY_FORMAT = '#,##0.##;-#,##0.##;"-"'
PCT_FORMAT = "0%"


def year_keys(year: int) -> tuple[str, str, str]:
    return (f"y{year}_unit_cost", f"y{year}_qty", f"y{year}_subtotal")


def pct_key(funder_column: str) -> str:
    """The % contribution column of a funder column: donor -> pct_donor, counterpart_subtotal -> pct_counterpart."""
    return "pct_counterpart" if funder_column == structure.COUNTERPART_SUBTOTAL else f"pct_{funder_column}"


@cache
def budget_columns(shape: Structure) -> tuple[Column, ...]:
    """The Budget sheet's columns, left to right, for a project of this shape."""
    cols = [
        Column("ref", "Ref.", "", "label", "@", 7),
        Column("item", "Item", "", "label", "", 46),
        Column("unit", "Unit", "", "label", "", 17),
    ]
    for y in range(1, shape.years + 1):
        uc, qty, sub = year_keys(y)
        cols += [
            Column(uc, "Unit cost", f"Year {y}", "input", MONEY_FORMAT, 10),
            Column(qty, "Qty.", f"Year {y}", "input", QTY_FORMAT, 7),
            Column(sub, "Subtotal", f"Year {y}", "derived", MONEY_FORMAT, 12),
        ]
    cols += [
        Column("total", "TOTAL", "", "derived", MONEY_FORMAT, 13),
        Column(structure.DONOR_KEY, shape.donor, "", "input", MONEY_FORMAT, 12, ("Donor",)),
    ]
    if shape.has_counterpart:
        cols += [
            Column(structure.COUNTERPART_CASH, "In cash", "Counterpart", "input", MONEY_FORMAT, 12),
            Column(structure.COUNTERPART_IN_KIND, "In kind", "Counterpart", "input", MONEY_FORMAT, 12),
            Column(structure.COUNTERPART_SUBTOTAL, "Subtotal", "Counterpart", "derived", MONEY_FORMAT, 12),
        ]
    for f in shape.cofinanciers:
        cols.append(Column(f.column, f.name, "Co-financing", "input", MONEY_FORMAT, 12, (f.key,)))
    cols.append(Column("pct_total", "TOT.", "% Contribution", "derived", PCT_FORMAT, 7))
    for funder in shape.funder_columns:
        header = "Counterpart" if funder == structure.COUNTERPART_SUBTOTAL else shape.funder_name(funder)
        cols.append(Column(pct_key(funder), header, "% Contribution", "derived", PCT_FORMAT, 11,
                           ("Donor",) if funder == structure.DONOR_KEY else ()))
    return tuple(cols)


def pct_pairs(shape: Structure) -> tuple[tuple[str, str], ...]:
    """(% column, amount column) of the % contribution block."""
    return (("pct_total", "total"), *((pct_key(f), f) for f in shape.funder_columns))


@cache
def column_index(shape: Structure) -> dict[str, int]:
    """Column key -> 1-based column number."""
    return {c.key: i for i, c in enumerate(budget_columns(shape), start=1)}


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


def cell(shape: Structure, key: str, row: int) -> str:
    """A1 address of column `key` on `row` of the Budget sheet."""
    return f"{column_letter(column_index(shape)[key])}{row}"


def numeric_keys(shape: Structure) -> tuple[str, ...]:
    """Every column that holds a number (unit costs, quantities, amounts, percentages)."""
    return tuple(c.key for c in budget_columns(shape) if c.role != "label")


BUDGET_TITLE_ROW = 1
BUDGET_SUBTITLE_ROW = 2
BUDGET_GROUP_ROW = 4
BUDGET_HEADER_ROW = 5
BUDGET_FIRST_ROW = 6

# Labels of the fixed rows at the foot of the Budget sheet, as printed in the annex (English and Spanish).
LABEL_CONTINGENCIES = "Contingencies"
LABEL_SUBTOTAL = "SUB-TOTAL"
LABEL_TOTAL = "TOTAL"
FOOT_ALIASES = {"contingencies": CONTINGENCIES, "imprevistos": CONTINGENCIES,
                "sub-total": "subtotal", "subtotal": "subtotal", "total": "total"}


# --------------------------------------------------------------------------------------------
# Summary sheet (section III table)
# --------------------------------------------------------------------------------------------

SummaryRow = structure.SummaryRow
SUMMARY_HEADER_ROW = 3
SUMMARY_FIRST_ROW = 4


def summary_columns(shape: Structure) -> tuple[str, ...]:
    """Column keys of the Summary sheet, left to right: label, funders, total, %."""
    return ("label", *shape.summary_columns(), "pct")


def summary_headers(shape: Structure) -> tuple[str, ...]:
    names = {"label": "Item", "counterpart": "Counterpart", "total": "Total", "pct": "%"}
    return tuple(names.get(k) or shape.funder_name(k) for k in summary_columns(shape))


def summary_header_accepts(shape: Structure, key: str) -> tuple[str, ...]:
    return ("Donor",) if key == structure.DONOR_KEY else ()


def summary_key_of(label: object, rows: tuple[SummaryRow, ...]) -> str | None:
    """The Summary row a printed label belongs to: "II. Assistance…" -> "II", "SUBTOTAL" -> "subtotal".
    Lettered rows (A., I., II., B. …) are found by their letter or numeral, whatever their text; the
    others by their label in English or Spanish."""
    if not isinstance(label, str):
        return None
    text = " ".join(label.split())
    prefix = text.split(".", 1)[0].strip() if "." in text else None
    for row in rows:
        if row.lettered:
            if prefix == row.key:
                return row.key
        elif text.lower() in (row.label.lower(), row.label_es.lower(), row.key.lower()):
            return row.key
    return None


# --------------------------------------------------------------------------------------------
# Execution and Disbursements sheets (the record of execution, per semester)
# --------------------------------------------------------------------------------------------
# Optional when reading: a budget workbook without them has no execution data and still validates.

EXECUTION_SHEET = "Execution"
DISBURSEMENTS_SHEET = "Disbursements"
EXECUTION_SHEETS = (EXECUTION_SHEET, DISBURSEMENTS_SHEET)

# Funding sources of an execution figure are the structure's `sources` (donor, counterpart cash and
# in kind, each co-financier); the headers name them as the project does.
EXECUTION_TITLE_ROW = 1
EXECUTION_NOTE_ROW = 2
EXECUTION_GROUP_ROW = 4   # "Semester 3" / "Quarter 5" over each block of source columns
EXECUTION_DATES_ROW = 3   # "Jul–Dec 2005", written when the file is made, for the reader of the sheet
EXECUTION_HEADER_ROW = 5  # Ref., Item, then one column per source for each period
EXECUTION_FIRST_ROW = 6
EXECUTION_LABEL_HEADERS = ("Ref.", "Item")
EXECUTION_TOTAL_GROUP = "Executed to date"
EXECUTION_PERIOD_PATTERN = r"^\s*(semester|semestre|quarter|trimestre)\s+(\d+)\b"
PERIOD_WORDS = {"semester": structure.SEMESTER, "semestre": structure.SEMESTER,
                "quarter": structure.QUARTER, "trimestre": structure.QUARTER}
PERIOD_TITLES = {structure.SEMESTER: "Semester", structure.QUARTER: "Quarter"}


def execution_source_header(shape: Structure, source: str) -> str:
    """ "MIF", "Counterpart cash", "Counterpart in kind", or a co-financier's name."""
    generic = {structure.COUNTERPART_CASH: "Counterpart cash", structure.COUNTERPART_IN_KIND: "Counterpart in kind"}
    return generic.get(source) or shape.funder_name(source)


def execution_column(shape: Structure, period: int, source: str) -> int:
    """1-based column of a period's source on the Execution sheet (Ref. and Item come first)."""
    return 2 + (period - 1) * len(shape.sources) + shape.sources.index(source) + 1


def execution_cell(shape: Structure, period: int, source: str, row: int) -> str:
    return f"{column_letter(execution_column(shape, period, source))}{row}"


@dataclass(frozen=True)
class DisbursementColumn:
    key: str
    header: str
    kind: str  # int | label | money | derived (a formula, not read) | text | plan (projected amount) | choice
    width: float = 14
    accepts: tuple[str, ...] = ()  # headers of earlier templates
    optional: bool = False  # a column added later: a workbook without it still reads


DISBURSEMENT_COLUMNS: tuple[DisbursementColumn, ...] = (
    DisbursementColumn("period", "Semester", "int", 9),
    DisbursementColumn("period_name", "Period", "label", 24),
    DisbursementColumn("donor_requested", "Requested from the donor", "money", accepts=("MIF requested",)),
    DisbursementColumn("donor_received", "Received from the donor", "money", accepts=("MIF received",)),
    DisbursementColumn("advance", "Revolving-fund advance", "money"),
    DisbursementColumn("justified", "Amount justified", "money"),
    DisbursementColumn("outstanding", "Advance outstanding", "derived"),
    DisbursementColumn("note", "Justification note", "text", 60),
    # The local currency the bank credited for the funds received; their ratio is the disbursement's
    # rate.  After the note, so that every earlier column keeps its letter; optional when reading: a workbook
    # made before local currencies reads without them.
    DisbursementColumn("received_local", "Received in local currency", "money", optional=True),
    DisbursementColumn("rate_received", "Rate received", "derived", 10, optional=True),
    # The disbursement timetable of the annual work plan (paragraph 4.4): what the executing agency plans to
    # request in each semester, the target (milestone) that conditions it, and whether it was met.  Last, and
    # optional when reading, for the same reason.
    DisbursementColumn("projected", "Projected disbursement", "plan", optional=True),
    DisbursementColumn("milestone", "Disbursement milestone", "text", 44, optional=True),
    DisbursementColumn("milestone_es", "Disbursement milestone (Spanish)", "text", 44, optional=True),
    DisbursementColumn("milestone_met", "Milestone met", "choice", 11, optional=True),
)
DISBURSEMENT_MONEY_KEYS = tuple(c.key for c in DISBURSEMENT_COLUMNS if c.kind == "money")
# "Milestone met": yes (the target was reached), no, or pending (not yet judged); Spanish accepted when reading.
MILESTONE_MET = ("Yes", "No", "Pending")
MILESTONE_MET_WORDS = {"yes": "Yes", "sí": "Yes", "si": "Yes", "no": "No", "pending": "Pending",
                       "pendiente": "Pending"}
DISBURSEMENTS_HEADER_ROW = 4
DISBURSEMENTS_FIRST_ROW = 5


def disbursement_cell(key: str, row: int) -> str:
    index = next(i for i, c in enumerate(DISBURSEMENT_COLUMNS, start=1) if c.key == key)
    return f"{column_letter(index)}{row}"


# --------------------------------------------------------------------------------------------
# Revisions sheet (the budget's approved revisions; optional when reading)
# --------------------------------------------------------------------------------------------
# The Budget sheet stays as approved.  Each revision is a row of the register (number, date, the
# Bank's approval reference, note) and, in the table below it, one row per line it changes with the
# line's whole revised figures: a year amount per budget year, TOTAL, one amount per source.  Both
# tables are found by their titles in column A, so rows may be inserted above or between them.

REVISIONS_SHEET = "Revisions"
REVISIONS_REGISTER_TITLE = "Register of revisions"
REVISIONS_REGISTER_HEADERS = ("Revision", "Date", "Approval reference", "Note")
REVISIONS_LINES_TITLE = "Revised lines"
REVISIONS_REGISTER_ROWS = 5   # empty register rows offered in a new workbook
REVISIONS_LINE_ROWS = 30      # empty revised-line rows offered in a new workbook


def revision_line_columns(shape: Structure) -> tuple[tuple[str, str], ...]:
    """(key, header) of the Revised lines table, left to right: revision, Ref., Item, a "Year k" per
    budget year (the line's year subtotal), TOTAL, then each source (donor, counterpart in cash and in
    kind, each co-financier)."""
    cols = [("revision", "Revision"), ("ref", "Ref."), ("item", "Item")]
    cols += [(year_keys(y)[2], f"Year {y}") for y in range(1, shape.years + 1)]
    cols.append(("total", "TOTAL"))
    generic = {structure.COUNTERPART_CASH: "In cash", structure.COUNTERPART_IN_KIND: "In kind"}
    cols += [(s, generic.get(s) or shape.funder_name(s)) for s in shape.sources]
    return tuple(cols)
# Local-currency spending: the Local spending and Rates sheets
# --------------------------------------------------------------------------------------------
# Optional when reading, like Execution.  Local spending is a ledger, one row per entry: the date
# places it in its period and finds its rate; one row per line, period and source (dated within the
# period) or one row per transaction, as the officer keeps her books.  Rates holds one rate per
# month.  A rate is always local-currency units per one unit of the project currency (3.35 PEN per
# USD), as banks in the region quote it.


LOCAL_SHEET = "Local spending"
RATES_SHEET = "Rates"
CURRENCY_SHEETS = (LOCAL_SHEET, RATES_SHEET)
# Every sheet a budget workbook may have that mifkit reads (the optional ones are left out when absent).
READ_SHEETS = (*REQUIRED_SHEETS, *EXECUTION_SHEETS, REVISIONS_SHEET, *CURRENCY_SHEETS)


@dataclass(frozen=True)
class LedgerColumn:
    key: str
    header: str
    kind: str  # date | text | money | rate
    width: float = 12


LOCAL_COLUMNS: tuple[LedgerColumn, ...] = (
    LedgerColumn("date", "Date", "date", 12),
    LedgerColumn("ref", "Ref.", "text", 8),
    LedgerColumn("source", "Source", "text", 22),
    LedgerColumn("currency", "Currency", "text", 9),
    LedgerColumn("amount", "Amount", "money", 14),
    LedgerColumn("rate", "Rate", "rate", 9),
    LedgerColumn("description", "Description / voucher", "text", 48),
)
LOCAL_HEADER_ROW = 4
LOCAL_FIRST_ROW = 5
LOCAL_INPUT_ROWS = 200  # formatted input rows in a new workbook; rows added below read the same

RATES_COLUMNS: tuple[LedgerColumn, ...] = (
    LedgerColumn("month", "Month", "date", 12),
    LedgerColumn("rate", "Rate", "rate", 10),
    LedgerColumn("note", "Source / note", "text", 48),
)
RATES_HEADER_ROW = 4
RATES_FIRST_ROW = 5
RATE_FORMAT = "0.0000"
DATE_FORMAT = "yyyy-mm-dd"
MONTH_FORMAT = "mmm yyyy"


def ledger_cell(columns: tuple[LedgerColumn, ...], key: str, row: int) -> str:
    index = next(i for i, c in enumerate(columns, start=1) if c.key == key)
    return f"{column_letter(index)}{row}"


def local_cell(key: str, row: int) -> str:
    """A1 address of a Local spending column on `row`."""
    return ledger_cell(LOCAL_COLUMNS, key, row)


def rates_cell(key: str, row: int) -> str:
    return ledger_cell(RATES_COLUMNS, key, row)
