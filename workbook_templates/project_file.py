"""PROJECT.toml: a project's structure and terms as a text file, turned into a workbook by
`mifkit new budget PATH --project PROJECT.toml`.

The same format carries the bundled examples, so an officer starting her own project copies a file
that is known to work.  `mifkit new project PATH` writes a commented one to start from.  Every key
maps to a Project-sheet field or to a row of one of its structure tables (Components, Lines outside
the subtotal, Co-financiers); nothing in the file is read again once the workbook exists: from then
on the Project sheet is where the structure lives.
"""

from __future__ import annotations

import datetime as dt
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from workbook_templates import layout, structure
from workbook_templates.structure import Cofinancier, Component, OutsideLine, Structure, StructureError

# [project] keys -> Project fields (the file says `number`, the sheet "Project number").
PROJECT_KEYS = {"number": "project_number", "title": "title", "executing_agency": "executing_agency",
                "country": "country", "currency": "currency", "first_disbursement": "first_disbursement",
                "execution_months": "execution_months", "disbursement_months": "disbursement_months",
                "years": "years", "execution_period": "execution_period", "costing": "costing"}
FUNDING_KEYS = {"donor": "donor", "donor_es": "donor_es", "donor_share": "donor_share",
                "counterpart": "counterpart", "counterpart_share": "counterpart_share",
                "in_kind_cap": "in_kind_cap", "revolving_fund_cap": "revolving_fund_cap",
                "contingencies": "contingencies", "contingencies_cap": "contingencies_cap",
                "reallocation_threshold": "reallocation_threshold",
                "reallocation_threshold_line": "reallocation_threshold_line"}
CURRENCY_KEYS = {"local": "local_currency", "rule": "conversion_rule", "rate_tolerance": "rate_tolerance"}
TOLERANCE_KEYS = {"share_tolerance", "tolerance", "pari_passu_tolerance"}


class ProjectFileError(ValueError):
    """A PROJECT.toml that cannot describe a project; the message names the key."""


@dataclass
class ProjectDefinition:
    """What a PROJECT.toml declares: the structure, the Project-sheet values, and notes per key."""

    structure: Structure
    values: dict[str, object]
    sources: dict[str, str] = field(default_factory=dict)        # Project field key -> "Source / note"
    component_sources: dict[str, str] = field(default_factory=dict)  # component / outside key -> note
    stated: list[dict] = field(default_factory=list)             # [[stated]] tables as given
    title: str = ""
    illustrative_note: str = ""
    execution_note: str = ""


def load(path: str | Path) -> ProjectDefinition:
    """Read a PROJECT.toml file."""
    path = Path(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise ProjectFileError(f"{path}: cannot be read ({exc})") from None
    except tomllib.TOMLDecodeError as exc:
        raise ProjectFileError(f"{path}: not valid TOML: {exc}") from None
    try:
        return parse(data)
    except ProjectFileError as exc:
        raise ProjectFileError(f"{path}: {exc}") from None


def parse(data: dict) -> ProjectDefinition:
    """A PROJECT.toml's contents (already parsed) as a definition."""
    values = {f.key: f.default for f in layout.PROJECT_FIELDS}
    sources: dict[str, str] = {}
    for table, keys in (("project", PROJECT_KEYS), ("funding", FUNDING_KEYS), ("currency", CURRENCY_KEYS)):
        section = data.get(table, {})
        if not isinstance(section, dict):
            raise ProjectFileError(f"[{table}] must be a table")
        for key, value in section.items():
            if key.endswith("_source"):
                target = keys.get(key[: -len("_source")])
                if target:
                    sources[target] = str(value)
                continue
            if key not in keys:
                raise ProjectFileError(f"[{table}] has an unknown key {key!r}; known: {', '.join(keys)}")
            values[keys[key]] = value
    for key, value in data.get("tolerances", {}).items():
        if key not in TOLERANCE_KEYS:
            raise ProjectFileError(f"[tolerances] has an unknown key {key!r}; known: {', '.join(TOLERANCE_KEYS)}")
        values[key] = value
    values["contingencies"] = _yes_no(values.get("contingencies", True))
    if isinstance(values.get("first_disbursement"), str):
        try:
            values["first_disbursement"] = dt.date.fromisoformat(values["first_disbursement"])
        except ValueError:
            raise ProjectFileError("[project] first_disbursement must be a date (2024-07-01)") from None
    if isinstance(values.get("first_disbursement"), dt.datetime):
        values["first_disbursement"] = values["first_disbursement"].date()
    if not values.get("counterpart"):
        values["counterpart"] = ""
        values["counterpart_share"] = 0.0
    components, notes = _components(data.get("components", []))
    outside, outside_notes = _outside(data.get("outside_subtotal", []))
    notes.update(outside_notes)
    cofinanciers = tuple(_cofinancier(i, c) for i, c in enumerate(data.get("cofinanciers", []), start=1))
    try:
        shape = Structure(components=components, years=int(values.get("years") or 3), outside=outside,
                          contingencies=values["contingencies"] == layout.YES, donor=str(values.get("donor") or
                          "Donor"), donor_es=str(values.get("donor_es") or ""),
                          counterpart=str(values.get("counterpart") or ""), cofinanciers=cofinanciers,
                          period=str(values.get("execution_period") or structure.SEMESTER),
                          local_currency=str(values.get("local_currency") or "").strip().upper(),
                          conversion_rule=str(values.get("conversion_rule") or structure.MONTHLY))
    except StructureError as exc:
        raise ProjectFileError(str(exc)) from None
    return ProjectDefinition(shape, values, sources, notes, list(data.get("stated", [])), data.get("title", ""),
                             data.get("illustrative_note", ""), data.get("execution_note", ""))


def _yes_no(value: object) -> str:
    if isinstance(value, bool):
        return layout.YES if value else layout.NO
    text = str(value).strip().lower()
    if text in (layout.YES, layout.NO):
        return text
    raise ProjectFileError(f"[funding] contingencies must be true or false, not {value!r}")


def _components(items: list) -> tuple[tuple[Component, ...], dict[str, str]]:
    if not items:
        raise ProjectFileError("no [[components]]: a project has at least one component")
    out, notes = [], {}
    for i, item in enumerate(items, start=1):
        where = f"[[components]] number {i}"
        number = item.get("number", i)
        if not isinstance(number, int) or isinstance(number, bool):
            raise ProjectFileError(f"{where}: number must be a whole number, not {number!r}")
        funding = structure.normalise_funding(item.get("funding", structure.BOTH))
        if funding is None:
            raise ProjectFileError(f"{where}: funding {item.get('funding')!r} is not one of "
                                   f"{', '.join(structure.FUNDING_RULES)}")
        if not item.get("name"):
            raise ProjectFileError(f"{where}: a component needs a name")
        out.append(Component(number, str(item["name"]), str(item.get("name_es", "")),
                             str(item.get("kind", structure.TECHNICAL)), funding))
        if item.get("source"):
            notes[str(number)] = str(item["source"])
    return tuple(out), notes


def _outside(items: list) -> tuple[tuple[OutsideLine, ...], dict[str, str]]:
    out, notes = [], {}
    for i, item in enumerate(items, start=1):
        where = f"[[outside_subtotal]] number {i}"
        if not item.get("key") or not item.get("name"):
            raise ProjectFileError(f"{where}: a line outside the subtotal needs a key and a name")
        funding = structure.normalise_funding(item.get("funding", structure.DONOR))
        if funding is None:
            raise ProjectFileError(f"{where}: funding {item.get('funding')!r} is not one of "
                                   f"{', '.join(structure.FUNDING_RULES)}")
        out.append(OutsideLine(str(item["key"]), str(item["name"]), str(item.get("name_es", "")), funding))
        if item.get("source"):
            notes[str(item["key"])] = str(item["source"])
    return tuple(out), notes


def _cofinancier(i: int, item: dict) -> Cofinancier:
    if not item.get("key") or not item.get("name"):
        raise ProjectFileError(f"[[cofinanciers]] number {i}: a co-financier needs a key and a name")
    share = item.get("share", 0.0)
    if not isinstance(share, int | float) or not 0 <= share <= 1:
        raise ProjectFileError(f"[[cofinanciers]] number {i}: share must be a fraction from 0 to 1, not {share!r}")
    return Cofinancier(str(item["key"]), str(item["name"]), float(share))


STARTER = '''\
# PROJECT.toml: the structure and terms of one project, for `mifkit new budget BUDGET.xlsx --project PROJECT.toml`.
# Edit the values, keep the keys.  Once the workbook exists, its Project sheet holds all of this.

[project]
number = "XX-00-00-00-0"              # the operation number on the cover of the project document
title = "Title of the project"
executing_agency = "Executing agency"
country = "Peru"
currency = "USD"                       # every amount of the budget is in this currency
first_disbursement = 2025-07-01        # reporting periods count from this date
execution_months = 36                  # the execution period (paragraph on the execution period)
disbursement_months = 42               # the disbursement period; the Execution sheet has its periods
years = 3                              # budget years: one block of columns (unit cost, qty, subtotal) each
execution_period = "semester"          # "semester" or "quarter": how the Execution sheet records spending
costing = "unit cost and quantity"     # or "amounts": each line's yearly amounts only, no unit cost × quantity

[funding]
donor = "MIF"                          # the grant's funder: MIF, IDB Lab, or another donor
donor_es = "FOMIN"                     # its name in the Spanish report
donor_share = 0.60                     # agreed share of the subtotal
counterpart = "Executing agency"       # who gives the local contribution; "" when the donor funds all
counterpart_share = 0.40
in_kind_cap = 0.25                     # counterpart in kind stays below this share of the counterpart
revolving_fund_cap = 0.10              # revolving fund: up to this share of the donor's contribution
contingencies = true                   # a Contingencies line above SUB-TOTAL
contingencies_cap = 0.05               # at most this share of the subtotal
reallocation_threshold = 0.10          # a revision moving more than this share of a component's approved
                                       # budget (cumulatively) needs the Bank's approval reference
# reallocation_threshold_line = 0.15   # the same for each line (left out: lines are not checked one by one)

# Spending paid in a local currency, if the executing agency pays in one (the Local spending sheet):
# [currency]
# local = "PEN"                        # its code; reports stay in the project currency above
# rule = "disbursement"                # the agreement's exchange rule: "disbursement" (the rate of the
#                                      # latest disbursement received), "monthly" (the Rates sheet) or
#                                      # "entry" (the rate typed on each entry)
# rate_tolerance = 0.05                # a rate farther than 5% from the Rates sheet's month is reported

# Further co-financiers, if the project has them (each gets a column on Budget and Execution):
# [[cofinanciers]]
# key = "enterprises"
# name = "Beneficiary enterprises"
# share = 0.10                         # the agreed shares of all funders add up to 100%

# Components in the order of the budget annex (1 to 20 of them).  kind: technical, executing_unit,
# administration, evaluation or other; the section III table groups them (A. Components I…N for the
# technical ones, then B., C., D. …).  funding: both, donor (the donor only) or counterpart (the
# counterpart and co-financiers only).  name_es is the name in the Spanish report.
[[components]]
number = 1
name = "Component 1"
name_es = "Componente 1"
kind = "technical"
funding = "both"

[[components]]
number = 2
name = "Component 2"
name_es = "Componente 2"
kind = "technical"
funding = "both"

[[components]]
number = 3
name = "Component 3"
name_es = "Componente 3"
kind = "technical"
funding = "both"

[[components]]
number = 4
name = "Component 4"
name_es = "Componente 4"
kind = "technical"
funding = "both"

[[components]]
number = 5
name = "Project executing unit"
name_es = "Unidad ejecutora del proyecto"
kind = "executing_unit"
funding = "counterpart"

[[components]]
number = 6
name = "Administration and oversight"
name_es = "Administración y supervisión"
kind = "administration"
funding = "counterpart"

[[components]]
number = 7
name = "Evaluation and external audits"
name_es = "Evaluación y auditorías externas"
kind = "evaluation"
funding = "donor"

# Lines below SUB-TOTAL and above TOTAL, if any (the MIF's own monitoring, for example):
# [[outside_subtotal]]
# key = "donor_monitoring"
# name = "MIF cluster monitoring"
# name_es = "Monitoreo de clusters del FOMIN"
# funding = "donor"
'''
