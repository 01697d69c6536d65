"""An `Activity` as an IATI 2.03 `iati-activities` document (lxml), elements in the schema's order."""

from __future__ import annotations

import datetime as dt

from lxml import etree

from compiler.iati.activity import (
    BUDGET_COMMITTED,
    BUDGET_ORIGINAL,
    BUDGET_REVISED,
    QUALITATIVE,
    Activity,
    Indicator,
    Org,
    Transaction,
)

VERSION = "2.03"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def _money(value: float) -> str:
    """12345.0 -> "12345", 0.1 + 0.2 -> "0.3": two decimals at most, as the workbook's cents."""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def _figure(value: float) -> str:
    return f"{value:g}" if abs(value) < 1e15 else str(value)


def _narratives(parent: etree._Element, english: str, spanish: str = "") -> None:
    """English as the activity's default language; the Spanish text, where it differs, marked es."""
    etree.SubElement(parent, "narrative").text = english
    if spanish and spanish != english:
        etree.SubElement(parent, "narrative", {XML_LANG: "es"}).text = spanish


def _org(parent: etree._Element, tag: str, org: Org, role: bool = False) -> None:
    attrs = {}
    if org.ref:
        attrs["ref"] = org.ref
    if org.type:
        attrs["type"] = org.type
    if role and org.role:
        attrs["role"] = org.role
    element = etree.SubElement(parent, tag, attrs)
    _narratives(element, org.name)


def _date(parent: etree._Element, tag: str, day: dt.date, **attrs: str) -> None:
    etree.SubElement(parent, tag, {"iso-date": day.isoformat(), **attrs})


def activity_document(activity: Activity, now: dt.datetime) -> etree._ElementTree:
    stamp = now.replace(microsecond=0).isoformat()
    root = etree.Element("iati-activities", {"version": VERSION, "generated-datetime": stamp})
    act = etree.SubElement(root, "iati-activity", {"last-updated-datetime": stamp, XML_LANG: "en",
                                                   "default-currency": activity.currency, "hierarchy": "1"})
    etree.SubElement(act, "iati-identifier").text = activity.identifier
    _org(act, "reporting-org", activity.reporting)
    _narratives(etree.SubElement(act, "title"), activity.title, activity.title_es)
    for kind, english, spanish in activity.descriptions:
        _narratives(etree.SubElement(act, "description", {"type": kind}), english, spanish)
    for org in activity.participants:
        _org(act, "participating-org", org, role=True)
    etree.SubElement(act, "activity-status", {"code": activity.status})
    for kind, day in activity.dates:
        _date(act, "activity-date", day, type=kind)
    for code, pct in activity.recipients:  # countries first: the schema orders them before regions
        if not code.isdigit():
            etree.SubElement(act, "recipient-country", {"code": code, "percentage": _figure(pct)})
    for code, pct in activity.recipients:
        if code.isdigit():
            etree.SubElement(act, "recipient-region", {"code": code, "vocabulary": "1", "percentage": _figure(pct)})
    for code, pct in activity.sectors:
        etree.SubElement(act, "sector", {"vocabulary": "1", "code": code, "percentage": _figure(pct)})
    for year in activity.budgets:
        _budget(act, BUDGET_ORIGINAL, year.start, year.end, year.original)
        if year.revised is not None:
            _budget(act, BUDGET_REVISED, year.start, year.end, year.revised)
    for planned in activity.planned:
        element = etree.SubElement(act, "planned-disbursement")
        _date(element, "period-start", planned.start)
        _date(element, "period-end", planned.end)
        etree.SubElement(element, "value", {"value-date": planned.start.isoformat()}).text = _money(planned.value)
        _org(element, "provider-org", planned.provider)
        _org(element, "receiver-org", planned.receiver)
    for t in activity.transactions:
        _transaction(act, t)
    for result in activity.results:
        res = etree.SubElement(act, "result", {"type": result.type, "aggregation-status": "0"})
        _narratives(etree.SubElement(res, "title"), result.title, result.title_es)
        for indicator in result.indicators:
            _indicator(res, indicator)
    return etree.ElementTree(root)


def _budget(act: etree._Element, kind: str, start: dt.date, end: dt.date, value: float) -> None:
    budget = etree.SubElement(act, "budget", {"type": kind, "status": BUDGET_COMMITTED})
    _date(budget, "period-start", start)
    _date(budget, "period-end", end)
    etree.SubElement(budget, "value", {"value-date": start.isoformat()}).text = _money(value)


def _transaction(act: etree._Element, t: Transaction) -> None:
    element = etree.SubElement(act, "transaction")
    etree.SubElement(element, "transaction-type", {"code": t.type})
    _date(element, "transaction-date", t.date)
    etree.SubElement(element, "value", {"value-date": t.date.isoformat()}).text = _money(t.value)
    _narratives(etree.SubElement(element, "description"), t.description)
    _org(element, "provider-org", t.provider)
    if t.receiver is not None:
        _org(element, "receiver-org", t.receiver)


def _indicator(result: etree._Element, ind: Indicator) -> None:
    attrs = {"measure": ind.measure}
    if ind.measure != QUALITATIVE:
        attrs["ascending"] = "1"
    element = etree.SubElement(result, "indicator", attrs)
    _narratives(etree.SubElement(element, "title"), f"{ind.code} {ind.title}".strip(), f"{ind.code} {ind.title_es}")
    if ind.baseline:  # an empty baseline is left out: a unit or percentage baseline needs a value
        base_attrs = {"year": str(ind.baseline_year), "iso-date": ind.baseline_date.isoformat()}
        if ind.baseline_value is not None:
            base_attrs["value"] = _figure(ind.baseline_value)
        baseline = etree.SubElement(element, "baseline", base_attrs)
        if ind.baseline:
            _narratives(etree.SubElement(baseline, "comment"), ind.baseline, ind.baseline_es)
    for p in ind.periods:
        period = etree.SubElement(element, "period")
        _date(period, "period-start", p.start)
        _date(period, "period-end", p.end)
        for tag, text, text_es, value in (("target", p.target, p.target_es, p.target_value),
                                          ("actual", p.actual, p.actual_es, p.actual_value)):
            if not text and value is None:
                continue
            item = etree.SubElement(period, tag, {"value": _figure(value)} if value is not None else {})
            if text:
                _narratives(etree.SubElement(item, "comment"), text, text_es)
