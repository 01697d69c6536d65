"""Arithmetic rules: every figure of the budget follows from the figures it is made of.

An aggregate (component row, SUB-TOTAL, TOTAL, Summary) is reported only when it agrees neither with
its printed parts nor with the lines beneath them: a slip in one line is then reported at that line
(or at the lowest row that does not add up), not again at every total above it.
"""

from __future__ import annotations

from collections.abc import Iterator
from itertools import compress
from operator import itemgetter

from compiler.findings import WARNING, Finding
from compiler.rules.base import FORMATTER, Context, Rule, add, num
from compiler.sums import column_sum, figures_sum
from workbook_templates import layout

# Rows that carry money of their own: cost lines, contingencies, the lines outside the subtotal.
FUNDED = ("line", layout.CONTINGENCIES, layout.OUTSIDE)


def aggregated(ctx: Context) -> list[str]:
    """The columns every aggregate row adds up: year subtotals, TOTAL and each funder's columns."""
    return [*year_subtotal_keys(ctx.budget.years), *ctx.budget.structure.amount_keys]


def year_subtotal_keys(years: int) -> list[str]:
    return [layout.year_keys(y)[2] for y in range(1, years + 1)]


def costed_totals(ctx: Context, kinds: tuple[str, ...]) -> list[float]:
    """Σ unit cost × quantity over the years, per line of the given kinds: the totals the lines' inputs give."""
    def compute():
        products = []
        for y in range(1, ctx.budget.years + 1):
            uc, qty, _ = layout.year_keys(y)
            products.append([u * q for u, q in zip(ctx.figures(uc, kinds), ctx.figures(qty, kinds), strict=True)])
        return add(*products)
    return ctx.memo(("costed", kinds), compute)


def sum_of(rows: list[dict], key: str) -> float:
    """A column's total over rows, empty cells as 0 (added as the reports add it: compiler/sums.py)."""
    return column_sum(map(itemgetter(key), rows))


def total_of(ctx: Context, key: str, kinds: tuple[str, ...] = ("line",), components=None) -> float:
    """`sum_of` the lines of the given kinds (of the given components, a tuple or frozenset, if any), from the
    columns `ctx.figures` keeps: a column is read out of the rows once, not once per component and total."""
    numbers = ctx.figures(key, kinds)
    if components is not None:
        mask = ctx.memo(("of_component", kinds, components),
                        lambda: [r["component"] in components for r in ctx.records(kinds)])
        numbers = list(compress(numbers, mask))
    return figures_sum(numbers)


def of_component(rows: list[dict], components) -> list[dict]:
    """The rows of the given component keys."""
    return [r for r in rows if r["component"] in components]


class YearSubtotal(Rule):
    """Each year's subtotal of a cost line is its unit cost times its quantity."""

    code, name = "AR01", "year-subtotal"
    message = "{where}, year {year}: unit cost {unit_cost:money} × quantity {qty:money} = {expected:money}, " \
              "but the subtotal is {actual:money}"
    message_es = "{where}, año {year}: costo unitario {unit_cost:money} × cantidad {qty:money} = " \
                 "{expected:money}, pero el subtotal es {actual:money}"
    fix = "Correct the unit cost, the quantity or the subtotal so that the subtotal is their product."
    fix_es = "Corrija el costo unitario, la cantidad o el subtotal para que el subtotal sea su producto."

    def check(self, ctx: Context) -> Iterator[Finding]:
        lines = ctx.records()
        for y in range(1, ctx.budget.years + 1):
            uc, qty, sub = layout.year_keys(y)
            u, q, s = ctx.figures(uc), ctx.figures(qty), ctx.figures(sub)
            odd = ctx.odd_mask(lines, (uc, qty, sub))
            for i, line in enumerate(lines):
                # nothing to multiply: a subtotal alone is a data finding (DA04)
                if not (u[i] != 0 or q[i] != 0) or not abs(u[i] * q[i] - s[i]) > ctx.tolerance or odd[i]:
                    continue
                yield self.finding(ctx, layout.BUDGET_SHEET, ctx.cell(sub, line["row"]), u[i] * q[i], s[i],
                                   where=ctx.describe(line), year=y, unit_cost=u[i], qty=q[i])


class LineTotal(Rule):
    """A cost line's TOTAL is the sum of its year subtotals."""

    code, name = "AR02", "line-total"
    message = "{where}: the year subtotals add up to {expected:money}, but TOTAL is {actual:money}"
    message_es = "{where}: los subtotales anuales suman {expected:money}, pero el TOTAL es {actual:money}"
    fix = "Make TOTAL the sum of the year subtotals (the template's formula does it)."
    fix_es = "Haga que el TOTAL sea la suma de los subtotales anuales (la fórmula de la plantilla lo hace)."

    def check(self, ctx: Context) -> Iterator[Finding]:
        records = ctx.records()
        subs = year_subtotal_keys(ctx.budget.years)
        expected = add(*(ctx.figures(k) for k in subs))
        actual = ctx.figures("total")
        costed = costed_totals(ctx, ("line",))
        odd = ctx.odd_mask(records, (*subs, "total"))
        for i in range(len(records)):
            if not (abs(expected[i] - actual[i]) > ctx.tolerance and abs(actual[i] - costed[i]) > ctx.tolerance) \
                    or odd[i]:
                continue
            yield self.finding(ctx, layout.BUDGET_SHEET, ctx.cell("total", records[i]["row"]), expected[i],
                               actual[i], where=ctx.describe(records[i]))


class FundingCoversTotal(Rule):
    """The funders' amounts of a line (donor, counterpart subtotal, each co-financier) add up to its
    TOTAL: every amount has a funder."""

    code, name = "AR03", "funding-total"
    message = "{where}: {parts} = {expected:money}, but TOTAL is {actual:money}"
    message_es = "{where}: {parts} = {expected:money}, pero el TOTAL es {actual:money}"
    fix = "Adjust the funders' amounts so that together they fund the line's TOTAL."
    fix_es = "Ajuste los montos de los financiadores para que juntos financien el TOTAL de la línea."

    def check(self, ctx: Context) -> Iterator[Finding]:
        records, years = ctx.records(FUNDED), ctx.budget.years
        shape = ctx.budget.structure
        funders = shape.funder_columns
        amounts = {k: ctx.figures(k, FUNDED) for k in funders}
        actual = ctx.figures("total", FUNDED)
        expected = add(*amounts.values())
        costed = costed_totals(ctx, FUNDED)
        unit_costs = [ctx.figures(layout.year_keys(y)[0], FUNDED) for y in range(1, years + 1)]
        odd = ctx.odd_mask(records, ("total", *funders))
        for i, line in enumerate(records):
            # a wrong total with right funding is explained by AR01/AR02, where it is reported
            explained = line["kind"] == "line" and abs(expected[i] - costed[i]) <= ctx.tolerance \
                and any(u[i] != 0 for u in unit_costs)
            if not abs(expected[i] - actual[i]) > ctx.tolerance or explained or odd[i]:
                continue
            parts = " + ".join(f"{shape.funder_name(k, ctx.lang)} {FORMATTER.format_field(amounts[k][i], 'money')}"
                               for k in funders)
            yield self.finding(ctx, layout.BUDGET_SHEET, ctx.cell("total", records[i]["row"]), expected[i], actual[i],
                               where=ctx.describe(records[i]), parts=parts)


class CounterpartSubtotal(Rule):
    """A line's counterpart subtotal is its counterpart in cash plus in kind."""

    code, name = "AR04", "counterpart-subtotal"
    message = "{where}: counterpart in cash {cash:money} + in kind {kind:money} = {expected:money}, " \
              "but the counterpart subtotal is {actual:money}"
    message_es = "{where}: contrapartida en efectivo {cash:money} + en especie {kind:money} = " \
                 "{expected:money}, pero el subtotal de contrapartida es {actual:money}"
    fix = "Make the counterpart subtotal the sum of cash and in kind."
    fix_es = "Haga que el subtotal de contrapartida sea la suma de efectivo y especie."

    def check(self, ctx: Context) -> Iterator[Finding]:
        if not ctx.budget.structure.has_counterpart:
            return
        records = ctx.records(FUNDED)
        keys = ("counterpart_cash", "counterpart_in_kind", "counterpart_subtotal")
        cash, kind, actual = (ctx.figures(k, FUNDED) for k in keys)
        odd = ctx.odd_mask(records, keys)
        for i in range(len(records)):
            if not abs(cash[i] + kind[i] - actual[i]) > ctx.tolerance or odd[i]:
                continue
            yield self.finding(ctx, layout.BUDGET_SHEET, ctx.cell("counterpart_subtotal", records[i]["row"]),
                               cash[i] + kind[i], actual[i], where=ctx.describe(records[i]), cash=cash[i],
                               kind=kind[i])


class ComponentRow(Rule):
    """Each component row equals the sum of its cost lines, column by column."""

    code, name = "AR05", "component-row"
    message = "Component {component} ({label}): {column} is {actual:money}, but its lines add up to " \
              "{expected:money} (difference {difference:money}){note}"
    message_es = "Componente {component} ({label}): {column} es {actual:money}, pero sus líneas suman " \
                 "{expected:money} (diferencia {difference:money}){note}"
    fix = "Correct the component row, or the line that is missing or mistyped beneath it."
    fix_es = "Corrija la fila del componente, o la línea que falta o está mal escrita debajo de ella."

    def check(self, ctx: Context) -> Iterator[Finding]:
        budget = ctx.budget
        keys = aggregated(ctx)
        lines = ctx.records()
        for comp in budget.component_rows:
            mine = [r["row"] for r in of_component(lines, (comp["component"],))]
            for key in keys:
                if ctx.is_odd(key, comp["row"]) or ctx.odd_in(key, mine):
                    continue
                expected, actual = total_of(ctx, key, components=(comp["component"],)), num(comp[key])
                if ctx.differs(expected, actual):
                    yield self.finding(ctx, layout.BUDGET_SHEET, ctx.cell(key, comp["row"]), expected, actual,
                                       component=comp["component"],
                                       label=budget.structure.name_of(comp["component"], ctx.lang), column=key,
                                       difference=actual - expected,
                                       note=self._note(ctx, actual - expected,
                                                       total_of(ctx, key, (layout.CONTINGENCIES,))))

    @staticmethod
    def _note(ctx: Context, difference: float, contingencies: float) -> str:
        if contingencies and not ctx.differs(difference, contingencies):
            return ("; the difference is the Contingencies amount: the row includes the contingencies"
                    if ctx.lang != "es" else
                    "; la diferencia es el monto de Imprevistos: la fila incluye los imprevistos")
        return ""


class SubtotalRow(Rule):
    """SUB-TOTAL is the sum of the components and the contingencies, column by column."""

    code, name = "AR06", "subtotal-row"
    message = "SUB-TOTAL: {column} is {actual:money}, but the cost lines and contingencies add up to " \
              "{expected:money} and the component rows to {parts:money}"
    message_es = "SUB-TOTAL: {column} es {actual:money}, pero las líneas de costo e imprevistos suman " \
                 "{expected:money} y las filas de componentes {parts:money}"
    fix = "Make SUB-TOTAL the sum of the component rows and Contingencies."
    fix_es = "Haga que el SUB-TOTAL sea la suma de las filas de componentes e Imprevistos."

    def check(self, ctx: Context) -> Iterator[Finding]:
        budget = ctx.budget
        foot = budget.foot["subtotal"]
        lines = ctx.records(("line", layout.CONTINGENCIES))
        rows = [*(r["row"] for r in lines), *(r["row"] for r in budget.component_rows), foot["row"]]
        for key in aggregated(ctx):
            if ctx.odd_in(key, rows):
                continue
            expected = total_of(ctx, key, ("line", layout.CONTINGENCIES))
            parts = sum_of(budget.component_rows, key) + total_of(ctx, key, (layout.CONTINGENCIES,))
            actual = num(foot[key])
            if ctx.differs(expected, actual) and ctx.differs(parts, actual):
                yield self.finding(ctx, layout.BUDGET_SHEET, ctx.cell(key, foot["row"]), expected, actual,
                                   column=key, parts=parts)


class TotalRow(Rule):
    """TOTAL is SUB-TOTAL plus the lines outside the subtotal (if the project has any), column by column."""

    code, name = "AR07", "total-row"
    message = "TOTAL: {column} is {actual:money}, but SUB-TOTAL{outside} is {parts:money} " \
              "and the lines add up to {expected:money}"
    message_es = "TOTAL: {column} es {actual:money}, pero SUB-TOTAL{outside_es} es " \
                 "{parts:money} y las líneas suman {expected:money}"
    fix = "Make TOTAL the sum of SUB-TOTAL and the lines outside the subtotal."
    fix_es = "Haga que el TOTAL sea la suma del SUB-TOTAL y las líneas fuera del subtotal."

    def check(self, ctx: Context) -> Iterator[Finding]:
        budget = ctx.budget
        total, subtotal = budget.foot["total"], budget.foot["subtotal"]
        monitoring = ctx.records((layout.OUTSIDE,))
        everything = budget.line_rows
        rows = [total["row"], subtotal["row"], *(r["row"] for r in everything)]
        names = [o.label(ctx.lang) for o in budget.structure.outside]
        outside = (" plus " + " and ".join(names)) if names else ""
        outside_es = (" más " + " y ".join(names)) if names else ""
        for key in aggregated(ctx):
            if ctx.odd_in(key, rows):
                continue
            phased = key.startswith("y")
            parts = num(subtotal[key]) + (0.0 if phased else sum_of(monitoring, key))
            expected = total_of(ctx, key) if phased else sum_of(everything, key)
            actual = num(total[key])
            if ctx.differs(parts, actual) and ctx.differs(expected, actual):
                yield self.finding(ctx, layout.BUDGET_SHEET, ctx.cell(key, total["row"]), expected, actual,
                                   column=key, parts=parts, outside=outside, outside_es=outside_es)


class PercentContribution(Rule):
    """The % contribution columns are each row's TOTAL and each funder's amount over SUB-TOTAL's TOTAL.

    Percentages printed as whole numbers are accepted within the Project's share tolerance.
    """

    code, name = "AR08", "percent-contribution"
    message = "{label}: {column} is {actual:pct}, but {amount:money} of a SUB-TOTAL of {base:money} is " \
              "{expected:pct}"
    message_es = "{label}: {column} es {actual:pct}, pero {amount:money} de un SUB-TOTAL de {base:money} es " \
                 "{expected:pct}"
    fix = "Recompute the percentage from the row's amount and SUB-TOTAL's TOTAL."
    fix_es = "Recalcule el porcentaje con el monto de la fila y el TOTAL del SUB-TOTAL."

    def check(self, ctx: Context) -> Iterator[Finding]:
        budget = ctx.budget
        subtotal = budget.foot["subtotal"]
        lines = ctx.records(("line", layout.CONTINGENCIES))
        if ctx.is_odd("total", subtotal["row"]) or ctx.odd_in("total", [r["row"] for r in lines]):
            return
        funded = ("line", layout.CONTINGENCIES)
        base, lines_base = num(subtotal["total"]), total_of(ctx, "total", funded)
        rows = [(f"Component {c['component']}", c, of_component(lines, (c["component"],)), (c["component"],))
                for c in budget.component_rows]
        rows.append((layout.LABEL_SUBTOTAL, subtotal, lines, None))
        for label, row, beneath, components in rows:
            for pct_key, amount_key in layout.pct_pairs(budget.structure):
                printed = row.get(pct_key)
                if printed is None or printed != printed or ctx.any_odd((pct_key, amount_key), row["row"]) \
                        or ctx.odd_in(amount_key, [r["row"] for r in beneath]):
                    continue
                expected = num(row[amount_key]) / base if base else 0.0
                from_lines = total_of(ctx, amount_key, funded, components) / lines_base if lines_base else 0.0
                tolerance = ctx.share_tolerance + 1e-9
                if abs(expected - printed) > tolerance and abs(from_lines - printed) > tolerance:
                    yield self.finding(ctx, layout.BUDGET_SHEET, ctx.cell(pct_key, row["row"]), expected, printed,
                                       label=label, column=pct_key, amount=num(row[amount_key]), base=base)


class SummaryTable(Rule):
    """The Summary sheet (section III table) equals the aggregates of the Budget sheet."""

    code, name = "AR09", "summary-table"
    message = "Summary, {label}: {column} is {actual:money}, but the Budget gives {expected:money}"
    message_es = "Resumen, {label}: {column} es {actual:money}, pero el Presupuesto da {expected:money}"
    fix = "Make the Summary row equal the Budget's figures for the same components."
    fix_es = "Haga que la fila del Resumen sea igual a las cifras del Presupuesto para los mismos componentes."

    def check(self, ctx: Context) -> Iterator[Finding]:
        summary = summary_by_key(ctx)
        shape = ctx.budget.structure
        if any(o.sheet == layout.SUMMARY_SHEET for o in ctx.budget.odd_cells):
            return  # a non-number in the Summary: the data rule reports it
        line_rows = [r["row"] for r in ctx.budget.line_rows]
        for srow in shape.summary_rows():
            if srow.key == "pct":
                continue
            row = summary[srow.key]
            components = self._components(ctx, srow)
            for key in shape.summary_columns():
                if ctx.odd_in(shape.budget_key_of_summary(key), line_rows):
                    continue
                from_lines = total_of(ctx, shape.budget_key_of_summary(key), FUNDED, components)
                from_parts = self._from_parts(ctx, summary, srow, key)
                actual = num(row[key])
                if ctx.differs(from_lines, actual) and (from_parts is None or ctx.differs(from_parts, actual)):
                    yield self.finding(ctx, layout.SUMMARY_SHEET, summary_cell(ctx, row["row"], key), from_lines,
                                       actual, label=row["label"], column=key)

    @staticmethod
    def _components(ctx: Context, srow: layout.SummaryRow) -> frozenset[str]:
        """The components whose lines a Summary row adds up: the row's own, or its parts' (every kind of line:
        `FUNDED` is every line of the Budget sheet, in the sheet's order)."""
        components = set(srow.components)
        for part in srow.parts:
            components |= set(_components_of(ctx, part))
        return frozenset(components)

    def _from_parts(self, ctx: Context, summary: dict[str, dict], srow: layout.SummaryRow, key: str) -> float | None:
        if srow.parts:
            return sum(num(summary[p][key]) for p in srow.parts)
        printed = of_component(ctx.budget.component_rows, srow.components)
        budget_key = ctx.budget.structure.budget_key_of_summary(key)
        return sum_of(printed, budget_key) if len(printed) == len(srow.components) else None


def _components_of(ctx: Context, key: str) -> tuple[str, ...]:
    """Budget components (and contingencies, outside lines) a Summary row stands for, through its parts."""
    rows = {r.key: r for r in ctx.budget.structure.summary_rows()}
    row = rows[key]
    out = tuple(row.components)
    for part in row.parts:
        out += _components_of(ctx, part)
    return out


def summary_by_key(ctx: Context) -> dict[str, dict]:
    """The Summary's rows by their key (II, subtotal, pct ...)."""
    return {r["key"]: r for r in ctx.budget.summary_rows}


def summary_cell(ctx: Context, row: int, key: str) -> str:
    """A1 address of a Summary column on `row`."""
    return f"{layout.column_letter(layout.summary_columns(ctx.budget.structure).index(key) + 1)}{row}"


class SummaryPercent(Rule):
    """The Summary's % column and % row are the shares of its SUBTOTAL, within the share tolerance."""

    code, name = "AR10", "summary-percent"
    message = "Summary, {label}: the percentage is {actual:pct}, but {amount:money} of {base:money} is {expected:pct}"
    message_es = "Resumen, {label}: el porcentaje es {actual:pct}, pero {amount:money} de {base:money} es " \
                 "{expected:pct}"
    fix = "Recompute the percentage from the Summary's amounts."
    fix_es = "Recalcule el porcentaje con los montos del Resumen."

    def check(self, ctx: Context) -> Iterator[Finding]:
        if any(o.sheet == layout.SUMMARY_SHEET for o in ctx.budget.odd_cells):
            return
        shape = ctx.budget.structure
        summary = summary_by_key(ctx)
        base = num(summary["subtotal"]["total"])
        checks = [(r.key, "pct", num(summary[r.key]["total"])) for r in shape.summary_rows() if r.has_pct]
        checks += [("pct", k, num(summary["subtotal"][k])) for k in shape.summary_columns()]
        for key, column, amount in checks:
            printed = summary[key][column]
            if printed != printed:  # empty: nothing printed, nothing to check
                continue
            expected = amount / base if base else 0.0
            if abs(expected - printed) > ctx.share_tolerance + 1e-9:
                row = summary[key]
                yield self.finding(ctx, layout.SUMMARY_SHEET, summary_cell(ctx, row["row"], column), expected,
                                   float(printed), label=row["label"], amount=amount, base=base)


class StatedTotals(Rule):
    """The totals the approved text states (entered on the Project sheet) equal the budget tables."""

    code, name = "AR11", "stated-totals"
    message = "{statement} ({source}): {column} stated as {actual:money}, but the budget's {row} row gives " \
              "{expected:money} (difference {difference:money})"
    message_es = "{statement} ({source}): {column} declarado como {actual:money}, pero la fila {row} del " \
                 "presupuesto da {expected:money} (diferencia {difference:money})"
    fix = "Reconcile the text with the tables: one of them has to change, and the approved document says which."
    fix_es = "Concilie el texto con los cuadros: uno de los dos debe cambiar, y el documento aprobado dice cuál."

    COLUMNS = (("total", "total", "C"), ("donor", "donor", "D"), ("counterpart", "counterpart_subtotal", "E"))

    def check(self, ctx: Context) -> Iterator[Finding]:
        budget = ctx.budget
        columns = [c for c in self.COLUMNS if c[1] in budget.structure.amount_keys]
        for stated in budget.project.stated:
            foot = budget.foot["subtotal" if stated.compared_with == "SUB-TOTAL" else "total"]
            for attr, key, letter in columns:
                figure = getattr(stated, attr)
                if figure is None or ctx.is_odd(key, foot["row"]):
                    continue
                expected = num(foot[key])
                if ctx.differs(expected, figure):
                    yield self.finding(ctx, layout.PROJECT_SHEET, f"{letter}{stated.row}", expected, figure,
                                       statement=stated.statement or "Statement", column=attr,
                                       source=stated.source or f"Project row {stated.row}",
                                       row=stated.compared_with, difference=figure - expected)


class YearPhasing(Rule):
    """The year columns are the budget's annual plan: where SUB-TOTAL's or TOTAL's year subtotals do not add
    up to its TOTAL because contingencies or lines outside the subtotal are not phased by year, the finding
    names those amounts, once, at the TOTAL row. A warning: the approved budget may leave them unphased, but
    whoever reads the year columns as the whole plan should know what they leave out (the reports show the
    amounts apart, as not phased by year). A gap that no such amount explains is an arithmetic slip, reported
    where it is by the rules above."""

    code, name = "AR12", "year-phasing"
    severity = WARNING
    message = "The year columns (the annual plan) do not add up to TOTAL: {rows}. Not phased by year: " \
              "{amounts} ({gap:money} in all)"
    message_es = "Las columnas de los años (el plan anual) no suman el TOTAL: {rows}. No programado por año: " \
                 "{amounts} ({gap:money} en total)"
    fix = "Nothing to correct if the approved budget leaves them unphased; plan them per year in the annual " \
          "work plan when it is known when they will be spent."
    fix_es = "Nada que corregir si el presupuesto aprobado no los programa por año; prográmelos por año en el " \
             "plan operativo anual cuando se sepa cuándo se gastarán."

    def check(self, ctx: Context) -> Iterator[Finding]:
        years = year_subtotal_keys(ctx.budget.years)
        unphased = self._unphased(ctx, years)
        rows = [(label, phased, num(row["total"])) for label, row in self._foot(ctx)
                if not ctx.any_odd((*years, "total"), row["row"])
                for phased in [sum(num(row.get(k)) for k in years)] if ctx.differs(phased, num(row["total"]))]
        if not unphased or not rows:
            return
        word = " de " if ctx.lang == "es" else " of "
        listed = "; ".join(f"{label} {FORMATTER.format_field(p, 'money')}{word}{FORMATTER.format_field(t, 'money')}"
                           for label, p, t in rows)
        amounts = ", ".join(f"{name} {FORMATTER.format_field(amount, 'money')}" for name, amount in unphased)
        row = (ctx.budget.foot.get("total") or ctx.budget.foot["subtotal"])["row"]
        _label, phased, total = rows[-1]
        yield self.finding(ctx, layout.BUDGET_SHEET, ctx.cell("total", row), phased, total, rows=listed,
                           amounts=amounts, gap=sum(amount for _name, amount in unphased))

    @staticmethod
    def _unphased(ctx: Context, years: list[str]) -> list[tuple[str, float]]:
        """(name, amount not phased) of the contingencies and the lines outside the subtotal."""
        records = ctx.records(FUNDED[1:])
        if any(ctx.odd_mask(records, (*years, "total"))):
            return []
        phased = add(*(ctx.figures(k, FUNDED[1:]) for k in years))
        gaps = [total - p for total, p in zip(ctx.figures("total", FUNDED[1:]), phased, strict=True)]
        return [(ctx.describe(line), gap) for line, gap in zip(records, gaps, strict=True) if gap > ctx.tolerance]

    @staticmethod
    def _foot(ctx: Context) -> list[tuple[str, dict]]:
        foot = ctx.budget.foot
        labels = (("subtotal", layout.LABEL_SUBTOTAL), ("total", layout.LABEL_TOTAL))
        return [(label, foot[key]) for key, label in labels if key in foot]


RULES = (YearSubtotal(), LineTotal(), FundingCoversTotal(), CounterpartSubtotal(), ComponentRow(), SubtotalRow(),
         TotalRow(), PercentContribution(), SummaryTable(), SummaryPercent(), StatedTotals(), YearPhasing())
