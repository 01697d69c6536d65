"""The project's structure, declared once: components, funders, lines outside the subtotal, periods.

Every project has its own shape.  The TC-03-02-01-0 example has four technical components, an
executing unit, administration and evaluation, the MIF and PROMPYME as funders and one line outside
the subtotal ("MIF cluster monitoring"); another project has twelve components, a third co-financier
or no counterpart at all.  The officer declares the shape (on the Project sheet, or in a PROJECT.toml
that `mifkit new budget --project` turns into a workbook), and everything else is derived from it:
the Budget and Summary columns and rows, the Execution sheet's periods and sources, which rows the
rules add up, what the reports name.

`Structure` is frozen and hashable, so the layout functions that derive columns from it can cache.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

MAX_COMPONENTS = 20
MAX_YEARS = 5

TECHNICAL, EXECUTING_UNIT, ADMINISTRATION, EVALUATION, OTHER = (
    "technical", "executing_unit", "administration", "evaluation", "other")
KINDS = (TECHNICAL, EXECUTING_UNIT, ADMINISTRATION, EVALUATION, OTHER)
# Section III of an MIF annex: B, C, D rows carry these components, under these names.
KIND_LABELS = {EXECUTING_UNIT: ("Project executing unit", "Unidad ejecutora del proyecto"),
               ADMINISTRATION: ("Administration and oversight", "Administración y supervisión"),
               EVALUATION: ("Evaluation and external audits", "Evaluación y auditorías externas")}

BOTH, DONOR, COUNTERPART = "both", "donor", "counterpart"
FUNDING_RULES = (BOTH, DONOR, COUNTERPART)
# Earlier templates wrote these words; a workbook made with them still reads.
FUNDING_ALIASES = {"mif and counterpart": BOTH, "mif only": DONOR, "counterpart only": COUNTERPART,
                   "donor only": DONOR, "both": BOTH, "donor": DONOR, "counterpart": COUNTERPART}

# How local-currency spending converts into the project currency (the agreement says which):
# the rate of the latest disbursement received, the month's rate on the Rates sheet, or a rate per entry.
DISBURSEMENT_RATE, MONTHLY, ENTRY_RATE = "disbursement", "monthly", "entry"
CONVERSION_RULES = (DISBURSEMENT_RATE, MONTHLY, ENTRY_RATE)

SEMESTER, QUARTER = "semester", "quarter"
PERIOD_MONTHS = {SEMESTER: 6, QUARTER: 3}

CONTINGENCIES = "contingencies"
CONTINGENCIES_NAMES = ("Contingencies", "Imprevistos")

# Money columns of a funder.  The counterpart gives in cash and in kind; a co-financier, one amount.
DONOR_KEY = "donor"
COUNTERPART_CASH, COUNTERPART_IN_KIND, COUNTERPART_SUBTOTAL = (
    "counterpart_cash", "counterpart_in_kind", "counterpart_subtotal")
COFIN_PREFIX = "cofin_"


class StructureError(ValueError):
    """A declared structure that cannot be a project (duplicate numbers, unknown kind...)."""


class _Named:
    """A name in English and, where given, in Spanish (for the Spanish report)."""

    name: str
    name_es: str

    def label(self, lang: str = "en") -> str:
        return (self.name_es or self.name) if lang == "es" else self.name


@dataclass(frozen=True)
class Component(_Named):
    number: int
    name: str
    name_es: str = ""
    kind: str = TECHNICAL
    funding: str = BOTH

    @property
    def key(self) -> str:
        """How the Budget's Ref. column and the model name the component: "3"."""
        return str(self.number)


@dataclass(frozen=True)
class OutsideLine(_Named):
    """A line below SUB-TOTAL and above TOTAL (the example's MIF cluster monitoring)."""

    key: str
    name: str
    name_es: str = ""
    funding: str = DONOR


@dataclass(frozen=True)
class Cofinancier:
    """A further source beside donor and counterpart (¶3.1: the beneficiary enterprises cofinance)."""

    key: str
    name: str
    share: float = 0.0

    @property
    def column(self) -> str:
        return COFIN_PREFIX + self.key


@dataclass(frozen=True)
class SummaryRow:
    """A row of the section III table.  `components` are the Budget rows it aggregates directly
    (component keys, "contingencies", outside-line keys); `parts` the Summary rows it adds up."""

    key: str
    label: str
    label_es: str = ""
    components: tuple[str, ...] = ()
    parts: tuple[str, ...] = ()
    has_pct: bool = False

    @property
    def lettered(self) -> bool:
        """Found on the sheet by its letter or numeral ("B. …", "IV. …") rather than by its label."""
        return self.label.startswith(f"{self.key}. ")


@dataclass(frozen=True)
class Structure:
    """The shape of one project.  Built from PROJECT.toml or read from the Project sheet."""

    components: tuple[Component, ...]
    years: int = 3
    outside: tuple[OutsideLine, ...] = ()
    contingencies: bool = True
    donor: str = "Donor"
    donor_es: str = ""
    counterpart: str = "Counterpart"   # "" for a project funded by the donor alone
    cofinanciers: tuple[Cofinancier, ...] = ()
    period: str = SEMESTER
    local_currency: str = ""           # "PEN": spending also recorded in this currency; "" none
    conversion_rule: str = MONTHLY     # one of CONVERSION_RULES

    def __post_init__(self) -> None:
        problems = self.problems()
        if problems:
            raise StructureError(problems[0])

    # -- checks ------------------------------------------------------------------------------
    def problems(self) -> list[str]:
        """What makes this structure impossible, in words for the officer."""
        out = []
        if not 1 <= len(self.components) <= MAX_COMPONENTS:
            out.append(f"a project has 1 to {MAX_COMPONENTS} components, not {len(self.components)}")
        if not 1 <= self.years <= MAX_YEARS:
            out.append(f"the number of budget years must be 1 to {MAX_YEARS}, not {self.years}")
        numbers = [c.number for c in self.components]
        dupes = sorted({n for n in numbers if numbers.count(n) > 1})
        if dupes:
            out.append(f"component number {dupes[0]} is declared twice")
        for c in self.components:
            if not 1 <= c.number <= 99:
                out.append(f"component number {c.number} must be a whole number from 1 to 99")
            if c.kind not in KINDS:
                out.append(f"component {c.number}: kind {c.kind!r} is not one of {', '.join(KINDS)}")
            if c.funding not in FUNDING_RULES:
                out.append(f"component {c.number}: funding {c.funding!r} is not one of {', '.join(FUNDING_RULES)}")
            if c.funding == COUNTERPART and not self.non_donor_funders:
                out.append(f"component {c.number} is funded by the counterpart, but the project has none")
        keys = [o.key for o in self.outside] + [f.key for f in self.cofinanciers]
        for key in keys:
            if not key.replace("_", "").isalnum() or key.isdigit() or key == CONTINGENCIES:
                out.append(f"key {key!r}: use letters, digits and _ (not a number, not 'contingencies')")
        if len(set(keys)) != len(keys):
            out.append("a key of a line outside the subtotal or of a co-financier is used twice")
        if self.period not in PERIOD_MONTHS:
            out.append(f"execution is recorded per {' or '.join(PERIOD_MONTHS)}, not {self.period!r}")
        if self.conversion_rule not in CONVERSION_RULES:
            out.append(f"the conversion rule must be one of {', '.join(CONVERSION_RULES)}, "
                       f"not {self.conversion_rule!r}")
        return out

    # -- funders and their columns ---------------------------------------------------------
    @property
    def has_counterpart(self) -> bool:
        return bool(self.counterpart)

    @property
    def non_donor_funders(self) -> tuple[str, ...]:
        """Keys of the funders other than the donor: "counterpart", then each co-financier's key."""
        return (("counterpart",) if self.has_counterpart else ()) + tuple(f.key for f in self.cofinanciers)

    @property
    def funding_columns(self) -> tuple[str, ...]:
        """The Budget's money columns after TOTAL, left to right."""
        cols = [DONOR_KEY]
        if self.has_counterpart:
            cols += [COUNTERPART_CASH, COUNTERPART_IN_KIND, COUNTERPART_SUBTOTAL]
        return (*cols, *(f.column for f in self.cofinanciers))

    @property
    def sources(self) -> tuple[str, ...]:
        """Where money comes from, as the Execution sheet records it (input columns, no subtotal)."""
        return tuple(c for c in self.funding_columns if c != COUNTERPART_SUBTOTAL)

    @property
    def funder_columns(self) -> tuple[str, ...]:
        """One column per funder giving its whole amount: donor, counterpart subtotal, each co-financier."""
        return tuple(c for c in self.funding_columns if c not in (COUNTERPART_CASH, COUNTERPART_IN_KIND))

    @property
    def amount_keys(self) -> tuple[str, ...]:
        return ("total", *self.funding_columns)

    def funder_name(self, column: str, lang: str = "en") -> str:
        """The name the officer knows a money column by: "MIF", "PROMPYME (in kind)", "Enterprises"."""
        if column == DONOR_KEY:
            return (self.donor_es or self.donor) if lang == "es" else self.donor
        if column.startswith(COFIN_PREFIX):
            return next(f.name for f in self.cofinanciers if f.column == column)
        suffix = {COUNTERPART_CASH: (" (in cash)", " (en efectivo)"),
                  COUNTERPART_IN_KIND: (" (in kind)", " (en especie)")}.get(column, ("", ""))
        return self.counterpart + suffix[1 if lang == "es" else 0]

    def shares(self, values: dict) -> dict[str, float | None]:
        """Agreed share per funder column, from the Project values and the co-financiers."""
        out = {DONOR_KEY: values.get("donor_share")}
        if self.has_counterpart:
            out[COUNTERPART_SUBTOTAL] = values.get("counterpart_share")
        for f in self.cofinanciers:
            out[f.column] = f.share
        return out

    def allowed_sources(self, funding: str) -> tuple[str, ...]:
        """Money columns a line under this funding rule may use."""
        if funding == DONOR:
            return (DONOR_KEY,)
        if funding == COUNTERPART:
            return tuple(c for c in self.funding_columns if c != DONOR_KEY)
        return self.funding_columns

    # -- components and foot lines -----------------------------------------------------------
    @property
    def component_keys(self) -> tuple[str, ...]:
        return tuple(c.key for c in self.components)

    def component(self, key: str) -> Component | None:
        return next((c for c in self.components if c.key == key), None)

    def outside_line(self, key: str) -> OutsideLine | None:
        return next((o for o in self.outside if o.key == key), None)

    def funding_of(self, key: str) -> str:
        """Funding rule of a component key, "contingencies" or an outside-line key."""
        comp = self.component(key)
        if comp:
            return comp.funding
        out = self.outside_line(key)
        return out.funding if out else BOTH

    def name_of(self, key: str, lang: str = "en") -> str:
        comp = self.component(key)
        if comp:
            return comp.label(lang)
        out = self.outside_line(key)
        if out:
            return out.label(lang)
        if key == CONTINGENCIES:
            return CONTINGENCIES_NAMES[1 if lang == "es" else 0]
        return key

    # -- periods ------------------------------------------------------------------------------
    @property
    def period_months(self) -> int:
        return PERIOD_MONTHS[self.period]

    def period_count(self, disbursement_months: int) -> int:
        """Periods the Execution sheet carries: the disbursement period in semesters or quarters."""
        return max(1, math.ceil(disbursement_months / self.period_months))

    # -- the section III table ---------------------------------------------------------------
    def summary_rows(self) -> tuple[SummaryRow, ...]:
        """A. Components with I…N, then B, C, D… by kind, contingencies, SUBTOTAL, %, the lines outside
        the subtotal, TOTAL.  Letters are given in that order to the kinds the project has."""
        rows: list[SummaryRow] = []
        letters = iter("ABCDEFGHJKLMNOPQRSTUWYZ")  # no I, V, X: they are numerals
        lettered: list[str] = []
        technical = [c for c in self.components if c.kind == TECHNICAL]
        if technical:
            letter = next(letters)
            numerals = [roman(i) for i in range(1, len(technical) + 1)]
            rows.append(SummaryRow(letter, f"{letter}. Components", f"{letter}. Componentes", parts=tuple(numerals)))
            lettered.append(letter)
            for numeral, c in zip(numerals, technical, strict=True):
                rows.append(SummaryRow(numeral, f"{numeral}. {c.name}", f"{numeral}. {c.name_es or c.name}",
                                       components=(c.key,), has_pct=True))
        for kind in (EXECUTING_UNIT, ADMINISTRATION, EVALUATION):
            group = [c for c in self.components if c.kind == kind]
            if group:
                letter = next(letters)
                en, es = (group[0].name, group[0].name_es or group[0].name) if len(group) == 1 else KIND_LABELS[kind]
                rows.append(SummaryRow(letter, f"{letter}. {en}", f"{letter}. {es}",
                                       components=tuple(c.key for c in group)))
                lettered.append(letter)
        for c in (c for c in self.components if c.kind == OTHER):
            letter = next(letters)
            rows.append(SummaryRow(letter, f"{letter}. {c.name}", f"{letter}. {c.name_es or c.name}",
                                   components=(c.key,)))
            lettered.append(letter)
        subtotal_parts = list(lettered)
        if self.contingencies:
            rows.append(SummaryRow(CONTINGENCIES, *CONTINGENCIES_NAMES, components=(CONTINGENCIES,)))
            subtotal_parts.append(CONTINGENCIES)
        rows.append(SummaryRow("subtotal", "SUBTOTAL", "SUBTOTAL", parts=tuple(subtotal_parts), has_pct=True))
        rows.append(SummaryRow("pct", "%", "%"))
        for o in self.outside:
            rows.append(SummaryRow(o.key, o.name, o.name_es or o.name, components=(o.key,)))
        rows.append(SummaryRow("total", "TOTAL", "TOTAL", parts=("subtotal", *(o.key for o in self.outside))))
        return tuple(rows)

    def summary_columns(self) -> tuple[str, ...]:
        """Money columns of the Summary sheet: donor, counterpart, each co-financier, then total."""
        cols = [DONOR_KEY] + (["counterpart"] if self.has_counterpart else [])
        return (*cols, *(f.column for f in self.cofinanciers), "total")

    @staticmethod
    def budget_key_of_summary(column: str) -> str:
        """The Budget column a Summary column adds up."""
        return COUNTERPART_SUBTOTAL if column == "counterpart" else column


def roman(n: int) -> str:
    """1 -> I, 14 -> XIV."""
    out = ""
    for value, letters in ((10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")):
        while n >= value:
            out, n = out + letters, n - value
    return out


def normalise_funding(text: str) -> str | None:
    return FUNDING_ALIASES.get(" ".join(str(text or "").split()).lower())
