"""The project as one IATI activity: plain data taken from the budget and logframe models.

Nothing here opens a file or writes XML: `activity_of` reads the models (and the Project sheet's IATI
fields) and returns an `Activity` whose every figure is a sum the tests recompute from the workbooks:

- budgets: per budget year, the year's subtotals of every line (components, contingencies, lines
  outside the subtotal), original and, where the workbook records a revision, revised;
- incoming funds: the donor's funds received per period (Disbursements sheet);
- expenditure: per period and funder (the counterpart's cash and in kind apart), the Execution sheet;
- results: the logframe's objectives and their indicators, with targets and actual values per semester.

What IATI asks that the workbooks do not hold (identifiers, organisation types, sectors, activity
status) comes from the Project sheet's IATI block, checked against its codelist; a missing or unknown
code stops the export with the cell named (`IatiFieldError`, exit code 4), never a guessed value.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import dataclass, field

import pandas as pd

from compiler import periods, revisions
from compiler.iati import codelists
from compiler.logframe_model import Logframe, in_language
from compiler.model import Budget
from compiler.problems import MifkitError
from workbook_templates import layout, structure
from workbook_templates import logframe_layout as lf

EXIT_IATI_FIELDS = 4

# IATI codes fixed by what each element is (codelist in the comment).
ROLE_FUNDING, ROLE_IMPLEMENTING = "1", "4"                     # OrganisationRole
INCOMING_FUNDS, EXPENDITURE = "1", "4"                         # TransactionType
BUDGET_ORIGINAL, BUDGET_REVISED = "1", "2"                     # BudgetType
BUDGET_COMMITTED = "2"                                         # BudgetStatus: the approved, signed budget
PLANNED_START, ACTUAL_START, PLANNED_END, ACTUAL_END = "1", "2", "3", "4"  # ActivityDateType
FINALISATION, CLOSED = "3", "4"                                # ActivityStatus
RESULT_TYPE = {lf.GOAL: "3", lf.PURPOSE: "2", lf.COMPONENT: "1"}  # ResultType: impact, outcome, output
UNIT, PERCENTAGE, QUALITATIVE = "1", "2", "5"                  # IndicatorMeasure
GENERAL, OBJECTIVES = "1", "2"                                 # DescriptionType


class IatiFieldError(MifkitError):
    """A Project field IATI needs is empty or holds a code outside its codelist."""

    exit_code = EXIT_IATI_FIELDS


@dataclass(frozen=True)
class Org:
    name: str
    ref: str = ""
    type: str = ""
    role: str = ""


@dataclass(frozen=True)
class YearBudget:
    """One budget year: its dates and amount as approved, and as revised where a revision applies."""

    year: int
    start: dt.date
    end: dt.date
    original: float
    revised: float | None = None


@dataclass(frozen=True)
class Transaction:
    type: str
    date: dt.date
    value: float
    provider: Org
    receiver: Org | None   # the executing agency for funds received; none for spending (payees are not recorded)
    description: str
    period: int            # the Execution or Disbursements period it adds up
    source: str            # the funder column (donor, counterpart_cash…) or "received"


@dataclass(frozen=True)
class PlannedDisbursement:
    """The donor's disbursement the Disbursements sheet projects for a semester."""

    start: dt.date
    end: dt.date
    value: float
    provider: Org
    receiver: Org
    period: int


@dataclass(frozen=True)
class IndicatorPeriod:
    start: dt.date
    end: dt.date
    target: str = ""
    target_es: str = ""
    target_value: float | None = None
    actual: str = ""
    actual_es: str = ""
    actual_value: float | None = None


@dataclass(frozen=True)
class Indicator:
    code: str
    title: str
    title_es: str
    measure: str
    baseline_year: int
    baseline_date: dt.date
    baseline: str
    baseline_es: str
    baseline_value: float | None
    periods: tuple[IndicatorPeriod, ...]


@dataclass(frozen=True)
class Result:
    type: str
    title: str
    title_es: str
    indicators: tuple[Indicator, ...]


@dataclass
class Activity:
    identifier: str
    reporting: Org
    title: str
    title_es: str
    descriptions: list[tuple[str, str, str]]   # (DescriptionType code, English, Spanish)
    participants: list[Org]
    status: str
    dates: list[tuple[str, dt.date]]           # (ActivityDateType code, date)
    recipients: list[tuple[str, float]]        # (Country code, or Region code: digits, percentage)
    sectors: list[tuple[str, float]]           # (DAC 5-digit code, percentage)
    currency: str
    budgets: list[YearBudget]
    transactions: list[Transaction]
    planned: list[PlannedDisbursement] = field(default_factory=list)
    results: list[Result] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # what the officer should know (dates moved to today...)


# ------------------------------------------------------------------------------------------------
# Project fields
# ------------------------------------------------------------------------------------------------

def _field(budget: Budget, key: str) -> tuple[str, str]:
    """(text, where): the Project field's value as text and the cell it is in (or how to add it)."""
    value = budget.project.values.get(key)
    text = "" if value is None else str(int(value) if isinstance(value, float) and value.is_integer() else value)
    cell = budget.project.cells.get(key)
    label = (layout.IATI_FIELD_BY_KEY.get(key) or layout.PROJECT_FIELD_BY_KEY[key]).label
    where = (f"{budget.source}: Project!{cell} ({label!r})" if cell else
             f"{budget.source}: sheet Project has no row {label!r}; add it (label in column A, value in column B)")
    return text.strip(), where


def _required(budget: Budget, key: str, what: str) -> tuple[str, str]:
    text, where = _field(budget, key)
    if not text:
        raise IatiFieldError(f"{where}: empty; IATI needs {what}")
    return text, where


def _code(budget: Budget, key: str, codelist: str, what: str, required: bool = True) -> str:
    text, where = _required(budget, key, what) if required else _field(budget, key)
    if text and not codelists.has(codelist, text):
        raise IatiFieldError(f"{where}: {text!r} is not a code of the IATI codelist {codelist}; {what}")
    return text


def _org_ref(budget: Budget, key: str, what: str, required: bool = True) -> str:
    text, where = _required(budget, key, what) if required else _field(budget, key)
    if text and (" " in text or codelists.agency_prefix(text) is None):
        raise IatiFieldError(f"{where}: {text!r} does not start with a code of the IATI codelist "
                             "OrganisationRegistrationAgency (PE-RUC-…, XM-DAC-…, XI-IATI-…) followed by a hyphen; "
                             f"{what}")
    return text


def _shares(text: str, where: str, what: str, accepts) -> list[tuple[str, float]]:
    """"CODE" or "CODE 60%; CODE 40%" -> [(code, percentage)], each code accepted by `accepts` (which
    returns it normalised, or None), the percentages adding up to 100."""
    out = []
    for part in (p for p in re.split(r"[;,]", text) if p.strip()):
        match = re.fullmatch(r"\s*([A-Za-z0-9]+)(?:\s*[:=]?\s*(\d+(?:\.\d+)?)\s*%)?\s*", part)
        code = accepts(match.group(1)) if match else None
        if code is None:
            raise IatiFieldError(f"{where}: {part.strip()!r} is not {what}")
        out.append((code, float(match.group(2)) if match.group(2) else None))
    if len(out) == 1 and out[0][1] is None:
        return [(out[0][0], 100.0)]
    if any(p is None for _, p in out) or not math.isclose(sum(p for _, p in out), 100, abs_tol=0.01):
        raise IatiFieldError(f"{where}: with several codes give each its percentage, adding up to 100 "
                             f"(for example: {text.split(';')[0].split()[0]} 60%; …); {what}")
    return out


def _sectors(budget: Budget) -> list[tuple[str, float]]:
    """"32130" or "32130 60%; 25010 40%": codes of codelist Sector."""
    what = "a DAC 5-digit code of the IATI codelist Sector (32130, or 32130 60%; 25010 40%)"
    text, where = _required(budget, "iati_sectors", what)
    return _shares(text, where, what, lambda code: code if len(code) == 5 and codelists.has("Sector", code) else None)


def _recipient(budget: Budget) -> list[tuple[str, float]]:
    """[(code, percentage)]: the IATI field (countries of codelist Country and regions of codelist Region,
    "PE" or "JO 50%; PE 50%" or "998"), else the Country field's name found in codelist Country."""
    text, where = _field(budget, "iati_country")
    if text:
        def accepts(code: str) -> str | None:
            if codelists.has("Country", code.upper()):
                return code.upper()
            return code if code.isdigit() and codelists.has("Region", code) else None

        return _shares(text, where, "a code of the IATI codelist Country (PE) or of Region (998)", accepts)
    country, country_where = _field(budget, "country")
    code = codelists.code_by_name("Country", country)
    if code:
        return [(code, 100.0)]
    raise IatiFieldError(f"{where}: empty, and the Country field ({country_where.split(': ', 1)[1]}) "
                         f"{country!r} is not a country name of the IATI codelist Country; give its ISO code (PE), "
                         "several with percentages (JO 50%; PE 50%), or a code of codelist Region (998)")


def _identifier(budget: Budget, org_ref: str) -> str:
    text, where = _field(budget, "iati_activity_id")
    if not text:
        number = _required(budget, "project_number", "the project number for the activity identifier")[0]
        text = f"{org_ref}-" + re.sub(r"\s+", "", number.replace("/", "-"))
    if re.search(r"[/&|?\s]", text):
        raise IatiFieldError(f"{where}: the activity identifier {text!r} may not hold /, &, |, ? or spaces")
    if not text.startswith(org_ref + "-"):
        raise IatiFieldError(f"{where}: the activity identifier {text!r} must start with the reporting "
                             f"organisation identifier {org_ref!r} and a hyphen")
    return text


# ------------------------------------------------------------------------------------------------
# Budgets
# ------------------------------------------------------------------------------------------------

def budget_year_dates(first: dt.date, year: int) -> tuple[dt.date, dt.date]:
    """Budget year 1 is the first twelve months from the first disbursement (semesters 1 and 2), and so on."""
    start = periods.add_months(first, 12 * (year - 1), first.day)
    return start, periods.add_months(first, 12 * year, first.day) - dt.timedelta(days=1)


def budget_by_year(budget: Budget) -> list[YearBudget]:
    """The budget per budget year: the sum of every line's amount for that year (the Budget sheet's year
    columns), as approved, and where the Revisions sheet records a revision in force, as revised (the
    same sum over the current budget); None when there is no revision."""
    first = budget.project.first_disbursement_date
    original = revisions.year_totals(revisions.original_lines(budget), budget.years)
    revised = (revisions.year_totals(revisions.current_lines(budget), budget.years)
               if revisions.current_number(budget) else [None] * budget.years)
    out = []
    for year, (approved, current) in enumerate(zip(original, revised, strict=True), start=1):
        start, end = budget_year_dates(first, year)
        out.append(YearBudget(year, start, end, round(approved, 2), None if current is None else round(current, 2)))
    return out


def short_phasing(budget: Budget) -> list[str]:
    """A budget phased over fewer years than the execution lasts (a budget printed as one column, say):
    IATI budgets cover a year at most, so the published years hold everything; the officer should know."""
    months = int(budget.project.get("execution_months") or 0)
    if budget.years * 12 >= months:
        return []
    first = budget.project.first_disbursement_date
    last = budget_year_dates(first, budget.years)[1]
    cell = budget.project.cells.get("years") or "Number of budget years"
    return [f"the Budget sheet phases the budget over {budget.years} budget year(s) for an execution period of "
            f"{months} months: the whole budget is published in {first.isoformat()} to {last.isoformat()}; to "
            f"publish it year by year, phase it over more years (Project!{cell})"]


def unphased(budget: Budget) -> list[str]:
    """Lines with a TOTAL but no figure in any year column (the annex's contingencies, often): they are in
    no budget year, and the officer should know the published budgets leave them out."""
    keys = [layout.year_keys(y)[2] for y in range(1, budget.years + 1)]
    years = budget.lines[keys].apply(pd.to_numeric, errors="coerce").fillna(0).sum(axis=1)
    total = pd.to_numeric(budget.lines["total"], errors="coerce").fillna(0)
    out = []
    for line, in_years, whole in zip(budget.lines.to_dict("records"), years, total, strict=True):
        if abs(whole - in_years) > float(budget.project.get("tolerance") or 0.5):
            name = f"{line['ref']} {line['item']}".strip() if line["kind"] == "line" else line["item"]
            out.append(f"{name} (Budget!{budget.cell('total', int(line['row']))}): TOTAL {whole:,.2f}, of which "
                       f"{in_years:,.2f} in the year columns; the budgets per year publish only what is phased")
    return out


# ------------------------------------------------------------------------------------------------
# Transactions
# ------------------------------------------------------------------------------------------------

def _period_list(budget: Budget, kind: str) -> dict[int, periods.Period]:
    months = int(budget.project.get("disbursement_months") or 42)
    extra = 0
    if not budget.execution.empty:  # periods recorded beyond the disbursement period still get their dates
        extra = int(budget.execution["period"].max()) * 6
    if not budget.disbursements.empty:
        extra = max(extra, int(budget.disbursements["period"].max()) * 6)
    return {p.number: p for p in periods.periods(budget.project.first_disbursement_date, max(months, extra), kind)}


def _dated(period: periods.Period, today: dt.date, where: str, notes: list[str]) -> dt.date:
    """A period's figures are dated at its last day; a period still running, at today (its figures so far).
    A period not yet begun cannot carry figures: IATI takes no transaction dated in the future."""
    if period.start > today:
        raise MifkitError(f"{where}: a figure for {period.name()}, which has not begun; IATI accepts no transaction "
                          "dated in the future (move the figure to its period, or export after it begins)")
    if period.end > today:
        notes.append(f"{period.name()} is still running: its figures are dated {today.isoformat()} (today)")
        return today
    return period.end


def _funder_orgs(budget: Budget, donor: Org, counterpart: Org | None) -> dict[str, Org]:
    shape = budget.structure
    out = {structure.DONOR_KEY: donor}
    if counterpart:
        out[structure.COUNTERPART_CASH] = out[structure.COUNTERPART_IN_KIND] = counterpart
    for f in shape.cofinanciers:
        out[f.column] = Org(f.name, role=ROLE_FUNDING)
    return out


def transactions(budget: Budget, donor: Org, counterpart: Org | None, agency: Org, today: dt.date,
                 notes: list[str]) -> list[Transaction]:
    """Incoming funds per period (the donor's funds received) and expenditure per period and funder."""
    shape = budget.structure
    out: list[Transaction] = []
    semesters = _period_list(budget, periods.SEMESTER)
    for row in budget.disbursements.to_dict("records"):
        received = row["donor_received"]
        if received is None or received != received or abs(received) < 0.005:
            continue
        period = semesters[int(row["period"])]
        cell = layout.disbursement_cell("donor_received", int(row["row"]))
        where = f"{budget.source}: {layout.DISBURSEMENTS_SHEET}!{cell}"
        date = _dated(period, today, where, notes)
        out.append(Transaction(INCOMING_FUNDS, date, round(float(received), 2), donor, agency,
                               f"{shape.donor} funds received in {period.name()}", int(row["period"]), "received"))
    if budget.execution.empty:
        return out
    quarterly = shape.period == structure.QUARTER
    ex = budget.execution.copy()
    ex["key"] = ex["quarter"] if quarterly else ex["period"]
    spans = _period_list(budget, shape.period)
    funders = _funder_orgs(budget, donor, counterpart)
    for (key, source), group in ex.groupby(["key", "source"], sort=True):
        amount = round(float(group["amount"].sum()), 2)
        if abs(amount) < 0.005:
            continue
        period = spans[int(key)]
        first = group.iloc[0]
        date = _dated(period, today, f"{budget.source}: {first['sheet']}!{first['cell']}", notes)
        who = shape.funder_name(source)
        out.append(Transaction(EXPENDITURE, date, amount, funders[source], None,
                               f"Spending funded by {who}, {period.name()}", int(key), source))
    return out


def planned_disbursements(budget: Budget, donor: Org, agency: Org) -> list[PlannedDisbursement]:
    """The Disbursements sheet's *Projected disbursement* per semester (empty where none is projected)."""
    if "projected" not in budget.disbursements.columns:
        return []
    semesters = _period_list(budget, periods.SEMESTER)
    out = []
    for row in budget.disbursements.to_dict("records"):
        value = row.get("projected")
        if value is None or value != value or abs(value) < 0.005 or int(row["period"]) not in semesters:
            continue
        period = semesters[int(row["period"])]
        out.append(PlannedDisbursement(period.start, period.end, round(float(value), 2), donor, agency,
                                       int(row["period"])))
    return out


# ------------------------------------------------------------------------------------------------
# Results
# ------------------------------------------------------------------------------------------------

_NUMBER = re.compile(r"\s*[+-]?\d+(?:[.,]\d+)?\s*")


def _number(text: str) -> float | None:
    return float(text.replace(",", ".")) if _NUMBER.fullmatch(text or "") else None


def _percent(text: str) -> float | None:
    match = re.fullmatch(r"\s*([+-]?\d+(?:\.\d+)?)\s*%\s*", text or "")
    return float(match.group(1)) if match else None


def _measure(indicator: pd.Series, actuals: list[str]) -> str:
    """Unit where the target, the baseline (if any) and every actual recorded are plain numbers;
    percentage where they read as "50%" (or a plain number); qualitative otherwise ("20 networks; 160
    enterprises", or an actual written as a sentence).  IATI requires a value for every baseline, target
    and actual of a unit or percentage indicator, and mifkit does not make one up from a sentence."""
    target, baseline = str(indicator["target"] or ""), str(indicator["baseline"] or "")
    for measure in (UNIT, PERCENTAGE):
        if _value_of(target, measure) is None:
            continue
        if baseline.strip() and _value_of(baseline, measure) is None:
            continue
        if all(_value_of(a, measure) is not None for a in actuals):
            return measure
    return QUALITATIVE


def _target_semesters(indicator: pd.Series, count: int) -> list[int]:
    """The semesters a target falls due: the milestone month's, or the last of each year from the
    recurring rule's first year."""
    month = indicator["milestone_month"]
    if month == month and month is not None:
        return [min(periods.semester_of_month(int(month)), count)]
    first_year = indicator["recurring_from_year"]
    if first_year == first_year and first_year is not None:
        return [s for s in range(2, count + 1, 2) if s // 2 >= int(first_year)]
    return []


def results(budget: Budget, logframe: Logframe) -> list[Result]:
    """One result per logframe objective (Goal: impact, Purpose: outcome, Component: output) with its
    indicators; per semester a target where one falls due and the actual value where one is recorded."""
    first = budget.project.first_disbursement_date
    execution_months = int(budget.project.get("execution_months") or 36)
    semesters = periods.semesters(first, max(execution_months, int(budget.project.get("disbursement_months") or 0)))
    count = len(semesters)
    progress = logframe.progress
    out = []
    for objective in logframe.objectives.to_dict("records"):
        same_level = logframe.indicators["level"] == objective["level"]
        component = objective["component"]
        same_component = (logframe.indicators["component"] == component) if component == component else \
            logframe.indicators["component"].isna()
        indicators = []
        for _, ind in logframe.indicators[same_level & same_component].iterrows():
            due = _target_semesters(ind, count)
            recorded = progress[(progress["code"] == ind["code"]) &
                                ((progress["actual"] != "") | (progress["actual_es"] != ""))]
            actual_by = {int(r["period"]): r for _, r in recorded.iterrows()
                         if r["period"] == r["period"] and 1 <= int(r["period"]) <= count}
            measure = _measure(ind, [str(r["actual"] or r["actual_es"]) for r in actual_by.values()])
            numeric = measure != QUALITATIVE
            rows = []
            for number in sorted(set(due) | set(actual_by)):
                if not 1 <= number <= count:
                    continue
                semester = semesters[number - 1]
                target = number in due
                act = actual_by.get(number)
                rows.append(IndicatorPeriod(
                    semester.start, semester.end,
                    target=in_language(ind, "target", "en") if target else "",
                    target_es=in_language(ind, "target", "es") if target else "",
                    target_value=_value_of(ind["target"], measure) if target and numeric else None,
                    actual=in_language(act, "actual", "en") if act is not None else "",
                    actual_es=in_language(act, "actual", "es") if act is not None else "",
                    actual_value=_value_of(act["actual"] or act["actual_es"], measure)
                    if act is not None and numeric else None))
            baseline = in_language(ind, "baseline", "en")
            indicators.append(Indicator(
                str(ind["code"]), in_language(ind, "text", "en"), in_language(ind, "text", "es"), measure,
                first.year, first, baseline, in_language(ind, "baseline", "es"),
                _value_of(baseline, measure) if numeric else None, tuple(rows)))
        out.append(Result(RESULT_TYPE.get(objective["level"], "9"), in_language(objective, "text", "en"),
                          in_language(objective, "text", "es"), tuple(indicators)))
    return [r for r in out if r.title]


def _value_of(text: object, measure: str) -> float | None:
    text = "" if text is None else str(text)
    if measure == PERCENTAGE:
        return _percent(text) if _percent(text) is not None else _number(text)
    return _number(text)


# ------------------------------------------------------------------------------------------------
# The activity
# ------------------------------------------------------------------------------------------------

def activity_of(budget: Budget, logframe: Logframe | None, today: dt.date) -> Activity:
    """The IATI activity of the project; raises IatiFieldError naming the Project cell to fill in."""
    project = budget.project
    if project.first_disbursement_date is None:
        raise IatiFieldError(f"{_field(budget, 'first_disbursement')[1]}: empty; IATI needs the activity's start "
                             "and the dates of its budgets and transactions, which count from it")
    _all_chosen(budget)
    org_ref = _org_ref(budget, "iati_org_ref", "the reporting organisation's IATI identifier")
    org_type = _code(budget, "iati_org_type", "OrganisationType", "the reporting organisation's type")
    agency_name = _required(budget, "executing_agency", "the executing agency (the implementing organisation)")[0]
    reporting = Org(_field(budget, "iati_org_name")[0] or agency_name, org_ref, org_type)
    status = _code(budget, "iati_activity_status", "ActivityStatus", "the activity status")
    sectors = _sectors(budget)
    currency = _required(budget, "currency", "the currency of every amount")[0].upper()
    if not codelists.has("Currency", currency):
        raise IatiFieldError(f"{_field(budget, 'currency')[1]}: {currency!r} is not a code of the IATI codelist "
                             "Currency (ISO 4217: USD, EUR, PEN…)")
    title = _required(budget, "title", "the project title")[0]
    shape = budget.structure
    donor = Org(shape.donor, _org_ref(budget, "iati_donor_ref", "the donor's IATI identifier", required=False),
                _code(budget, "iati_donor_type", "OrganisationType", "the donor's type", required=False), ROLE_FUNDING)
    counterpart = None
    if shape.has_counterpart:
        counterpart = Org(shape.counterpart,
                          _org_ref(budget, "iati_counterpart_ref", "the counterpart's IATI identifier", required=False),
                          _code(budget, "iati_counterpart_type", "OrganisationType", "the counterpart's type",
                                required=False), ROLE_FUNDING)
    same_as_reporting = " ".join(agency_name.split()).casefold() == " ".join(reporting.name.split()).casefold()
    agency = Org(agency_name, org_ref if same_as_reporting else "", org_type if same_as_reporting else "",
                 ROLE_IMPLEMENTING)
    participants = [donor, *([counterpart] if counterpart else []),
                    *(Org(f.name, role=ROLE_FUNDING) for f in shape.cofinanciers), agency]
    descriptions = _descriptions(budget, logframe)
    notes = short_phasing(budget) + unphased(budget)
    return Activity(
        identifier=_identifier(budget, org_ref), reporting=reporting, title=title,
        title_es=_field(budget, "title_es")[0], descriptions=descriptions, participants=participants,
        status=status, dates=_dates(budget, status, today), recipients=_recipient(budget),
        sectors=sectors, currency=currency, budgets=budget_by_year(budget),
        transactions=transactions(budget, donor, counterpart, agency, today, notes),
        planned=planned_disbursements(budget, donor, agency),
        results=results(budget, logframe) if logframe is not None else [], notes=list(dict.fromkeys(notes)))


# The fields every export needs that only the officer can choose, each from its codelist.
CHOSEN = {"iati_org_ref": "OrganisationRegistrationAgency", "iati_org_type": "OrganisationType",
          "iati_activity_status": "ActivityStatus", "iati_sectors": "Sector"}


def _all_chosen(budget: Budget) -> None:
    """On a first export all of them are empty: name every cell in one message rather than one per run."""
    empty = [(key, _field(budget, key)) for key in CHOSEN if not _field(budget, key)[0]]
    if len(empty) > 1:
        cells = "; ".join(f"{where.split(': ', 1)[1]} from codelist {CHOSEN[key]}" for key, (_, where) in empty)
        raise IatiFieldError(f"{budget.source}: fill in the Project sheet's IATI fields first, empty: {cells}")


def _descriptions(budget: Budget, logframe: Logframe | None) -> list[tuple[str, str, str]]:
    out = []
    text = _field(budget, "iati_description")[0]
    if text:
        out.append((GENERAL, text, ""))
    if logframe is not None:
        purpose = logframe.objectives[logframe.objectives["level"] == lf.PURPOSE]
        if not purpose.empty:
            row = purpose.iloc[0]
            out.append((OBJECTIVES, in_language(row, "text", "en"), in_language(row, "text", "es")))
    out = [d for d in out if d[1]]
    if not out:
        where = _field(budget, "iati_description")[1]
        raise IatiFieldError(f"{where}: empty, and no logframe with a Purpose was given; IATI needs a description "
                             "of the activity (fill in the field, or give the logframe workbook)")
    return out


def _dates(budget: Budget, status: str, today: dt.date) -> list[tuple[str, dt.date]]:
    """Planned start: the first disbursement; actual start: the same, once it is past; planned end: the
    last day of the execution period; actual end: the same, once past and the activity finalised or closed."""
    first = budget.project.first_disbursement_date
    months = int(budget.project.get("execution_months") or 36)
    end = periods.add_months(first, months, first.day) - dt.timedelta(days=1)
    out = [(PLANNED_START, first)]
    if first <= today:
        out.append((ACTUAL_START, first))
    out.append((PLANNED_END, end))
    if status in (FINALISATION, CLOSED) and end <= today:
        out.append((ACTUAL_END, end))
    return out
