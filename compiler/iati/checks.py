"""Checking an activity file against the IATI 2.03 standard: the official schema, then the rules the
schema cannot express (IATI's ruleset and codelists).  The export runs both before it writes, and
the tests run them on every file they export.

`problems` returns a list of one-line texts, empty when the file conforms; it reads only the XML, so
it checks what is published, whatever code produced it.
"""

from __future__ import annotations

import datetime as dt
from functools import cache
from importlib import resources

from lxml import etree

from compiler.iati import codelists

SCHEMA_FOLDER = resources.files("compiler.iati").joinpath("schema")

# Attribute -> codelist, for every coded attribute mifkit writes.
CODED = (
    ("reporting-org", "type", "OrganisationType"),
    ("participating-org", "type", "OrganisationType"),
    ("participating-org", "role", "OrganisationRole"),
    ("provider-org", "type", "OrganisationType"),
    ("receiver-org", "type", "OrganisationType"),
    ("description", "type", "DescriptionType"),
    ("activity-status", "code", "ActivityStatus"),
    ("activity-date", "type", "ActivityDateType"),
    ("recipient-country", "code", "Country"),
    ("recipient-region", "code", "Region"),
    ("sector", "code", "Sector"),
    ("sector", "vocabulary", "SectorVocabulary"),
    ("budget", "type", "BudgetType"),
    ("budget", "status", "BudgetStatus"),
    ("transaction-type", "code", "TransactionType"),
    ("result", "type", "ResultType"),
    ("indicator", "measure", "IndicatorMeasure"),
    ("iati-activity", "default-currency", "Currency"),
    ("value", "currency", "Currency"),
)


@cache
def schema() -> etree.XMLSchema:
    """The official iati-activities-schema.xsd (it includes iati-common.xsd and imports xml.xsd, beside it)."""
    path = SCHEMA_FOLDER.joinpath("iati-activities-schema.xsd")
    with resources.as_file(path) as real:  # the includes are resolved relative to a real file
        return etree.XMLSchema(etree.parse(str(real)))


def schema_problems(document: etree._ElementTree) -> list[str]:
    checker = schema()
    if checker.validate(document):
        return []
    return [f"schema, line {e.line}: {e.message}" for e in checker.error_log]


def _day(element: etree._Element, tag: str) -> dt.date | None:
    found = element.find(tag)
    return dt.date.fromisoformat(found.get("iso-date")) if found is not None else None


def rule_problems(document: etree._ElementTree, today: dt.date) -> list[str]:
    """IATI rules beyond the schema: codes from their codelists; budget periods of at most a year,
    starting before they end; no transaction and no actual date in the future; the identifier starting
    with the reporting organisation's; budgets of one type not overlapping; percentages adding up to 100;
    indicator values present (and numbers) exactly where the measure is not qualitative."""
    out = []
    root = document.getroot()
    for tag, attribute, name in CODED:
        for element in root.iter(tag):
            code = element.get(attribute)
            if code is not None and not codelists.has(name, code):
                out.append(f"{tag}/@{attribute} {code!r} is not in the IATI codelist {name}")
    for activity in root.iter("iati-activity"):
        identifier = activity.findtext("iati-identifier") or ""
        org = activity.find("reporting-org")
        if org is None or not identifier.startswith((org.get("ref") or "\0") + "-"):
            out.append(f"iati-identifier {identifier!r} does not start with the reporting-org ref and a hyphen")
        for budget in activity.iter("budget"):
            start, end = _day(budget, "period-start"), _day(budget, "period-end")
            if start >= end:
                out.append(f"budget {start}–{end}: the period does not start before it ends")
            if end > _one_year_after(start):
                out.append(f"budget {start}–{end}: a budget period is at most one year")
        spans = sorted((b.get("type"), _day(b, "period-start"), _day(b, "period-end")) for b in activity.iter("budget"))
        for (kind, _, end), (next_kind, next_start, _) in zip(spans, spans[1:], strict=False):
            if kind == next_kind and next_start <= end:
                out.append(f"budgets of type {kind} overlap: one ends {end}, the next starts {next_start}")
        for transaction in activity.iter("transaction"):
            day = _day(transaction, "transaction-date")
            if day > today:
                out.append(f"transaction dated {day}, in the future")
        for date in activity.iter("activity-date"):
            if date.get("type") in ("2", "4") and dt.date.fromisoformat(date.get("iso-date")) > today:
                out.append(f"actual activity-date (type {date.get('type')}) {date.get('iso-date')} is in the future")
        starts = {d.get("type"): d.get("iso-date") for d in activity.iter("activity-date")}
        if "1" in starts and "3" in starts and starts["1"] >= starts["3"]:
            out.append("the planned start is not before the planned end")
        for tag in ("sector", "recipient-country"):
            shares = [float(e.get("percentage", "100")) for e in activity.iter(tag)]
            if tag == "recipient-country":
                shares += [float(e.get("percentage", "100")) for e in activity.iter("recipient-region")]
            if shares and abs(sum(shares) - 100) > 0.01:
                out.append(f"{tag} percentages add up to {sum(shares):g}, not 100")
        for indicator in activity.iter("indicator"):
            out += _indicator_values(indicator)
        for period in activity.iter("period"):
            start, end = _day(period, "period-start"), _day(period, "period-end")
            if start is not None and end is not None and start >= end:
                out.append(f"result period {start}–{end} does not start before it ends")
    return out


def _indicator_values(indicator: etree._Element) -> list[str]:
    """The schema's own words for baseline, target and actual: the @value must be included (and a
    number) for non-qualitative measures, and omitted for qualitative ones."""
    out = []
    qualitative = indicator.get("measure") == "5"
    title = indicator.findtext("title/narrative") or ""
    for item in (*indicator.iter("baseline"), *indicator.iter("target"), *indicator.iter("actual")):
        value = item.get("value")
        if qualitative and value is not None:
            out.append(f"indicator {title[:40]!r}: a qualitative {item.tag} carries a value")
        elif not qualitative:
            try:
                float(value)
            except (TypeError, ValueError):
                out.append(f"indicator {title[:40]!r}: {item.tag} of a measure {indicator.get('measure')} "
                           f"needs a number as its value, not {value!r}")
    return out


def _one_year_after(start: dt.date) -> dt.date:
    """The last day of the year that starts on `start` (1 Jul 2004 -> 30 Jun 2005)."""
    try:
        return start.replace(year=start.year + 1) - dt.timedelta(days=1)
    except ValueError:  # 29 February
        return dt.date(start.year + 1, 2, 28)


def problems(document: etree._ElementTree, today: dt.date) -> list[str]:
    return schema_problems(document) + rule_problems(document, today)
