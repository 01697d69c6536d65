"""Funding-policy rules: the budget against the financing terms the approved document states.

Every parameter comes from the Project sheet (agreed shares, caps, tolerances, the funding sources
each component may use), so a project with other terms changes the sheet, not the code.  Shares
are read from the printed SUB-TOTAL row, the figure a reviewer reads; the arithmetic rules make sure
it agrees with the lines.
"""

from __future__ import annotations

from collections.abc import Iterator

from compiler.findings import WARNING, Finding
from compiler.rules.base import FORMATTER, POLICY, Context, Rule, num
from workbook_templates import layout, structure


def _subtotal(ctx: Context) -> dict | None:
    foot = ctx.budget.foot["subtotal"]
    keys = [k for k in ("total", "donor", "counterpart_subtotal", "counterpart_in_kind")
            if k in ctx.budget.structure.amount_keys]
    return None if ctx.any_odd(keys, foot["row"]) else foot


class DonorShare(Rule):
    """Each funder's share of SUB-TOTAL is its agreed share (Project sheet: donor, counterpart, each
    co-financier), within the share tolerance."""

    code, name, group = "FP01", "funder-share", POLICY
    message = "{funder} finances {actual_share:pct} of SUB-TOTAL ({actual:money} of {base:money}); the agreed " \
              "share is {agreed:pct} ({expected:money}), tolerance {tolerance:pct}"
    message_es = "{funder} financia {actual_share:pct} del SUB-TOTAL ({actual:money} de {base:money}); la " \
                 "proporción acordada es {agreed:pct} ({expected:money}), tolerancia {tolerance:pct}"
    fix = "Move amounts between the funders until the split matches the agreed shares."
    fix_es = "Traslade montos entre los financiadores hasta que la distribución sea la acordada."

    def check(self, ctx: Context) -> Iterator[Finding]:
        foot = _subtotal(ctx)
        if foot is None or not num(foot["total"]):
            return
        shape, base = ctx.budget.structure, num(foot["total"])
        agreed_shares = shape.shares(ctx.budget.project.values)
        # The counterpart's share follows from the donor's where there are only the two: one finding, not two.
        checked = [shape.funder_columns[0]] if len(shape.funder_columns) == 2 else shape.funder_columns
        for column in checked:
            agreed = agreed_shares.get(column)
            if agreed is None or ctx.is_odd(column, foot["row"]):
                continue
            amount = num(foot[column])
            share = amount / base
            if abs(share - agreed) > ctx.share_tolerance + 1e-9:
                yield self.finding(ctx, layout.BUDGET_SHEET, ctx.cell(column, foot["row"]), agreed * base, amount,
                                   funder=shape.funder_name(column, ctx.lang), actual_share=share, base=base,
                                   agreed=agreed, tolerance=ctx.share_tolerance)


class AgreedShares(Rule):
    """The agreed shares on the Project sheet (donor, counterpart, co-financiers) add up to 100%."""

    code, name, group = "FP02", "agreed-shares", POLICY
    message = "Project: the agreed shares ({shares}) add up to {sum:pct}, not 100%"
    message_es = "Proyecto: las proporciones acordadas ({shares}) suman {sum:pct}, no 100%"
    fix = "Enter the shares of the approved document; together they make 100%."
    fix_es = "Ingrese las proporciones del documento aprobado; juntas suman 100%."

    def check(self, ctx: Context) -> Iterator[Finding]:
        project, shape = ctx.budget.project, ctx.budget.structure
        shares = shape.shares(project.values)
        if any(v is None for v in shares.values()):
            return
        cell = project.cells.get("counterpart_share") or project.cells.get("donor_share")
        if not cell:
            return
        total = sum(shares.values())
        if abs(total - 1) > 1e-6:
            listed = ", ".join(f"{shape.funder_name(k, ctx.lang)} {FORMATTER.format_field(v, 'pct')}"
                               for k, v in shares.items())
            yield self.finding(ctx, layout.PROJECT_SHEET, cell, 1.0, total, shares=listed, sum=total)


class InKindCap(Rule):
    """Counterpart in kind stays below its cap as a share of the counterpart (paragraph 3.1: "less than 25%")."""

    code, name, group = "FP03", "in-kind-cap", POLICY
    message = "Counterpart in kind is {actual:money}, {share:pct} of the counterpart ({base:money}); it must " \
              "stay below {cap:pct} ({expected:money})"
    message_es = "La contrapartida en especie es {actual:money}, {share:pct} de la contrapartida ({base:money}); " \
                 "debe quedar por debajo de {cap:pct} ({expected:money})"
    fix = "Move counterpart amounts from in kind to cash, or raise the cash contribution."
    fix_es = "Pase montos de contrapartida de especie a efectivo, o aumente el aporte en efectivo."

    def check(self, ctx: Context) -> Iterator[Finding]:
        foot = _subtotal(ctx)
        cap = ctx.budget.project.get("in_kind_cap")
        if not ctx.budget.structure.has_counterpart or foot is None or cap is None \
                or not num(foot["counterpart_subtotal"]):
            return
        base, kind = num(foot["counterpart_subtotal"]), num(foot["counterpart_in_kind"])
        limit = cap * base
        if kind >= limit - ctx.tolerance:
            yield self.finding(ctx, layout.BUDGET_SHEET, ctx.cell("counterpart_in_kind", foot["row"]), limit, kind,
                               share=kind / base, base=base, cap=cap)


class FundingSource(Rule):
    """A line is funded only from the sources its component may use (Project sheet, Components: "donor"
    only, "counterpart" and co-financiers only, or "both"; section III of an MIF annex: executing unit and
    administration counterpart only, evaluation/audits and MIF cluster monitoring MIF only)."""

    code, name, group = "FP04", "funding-source", POLICY
    message = "{where}: {column} is {actual:money}, but {component_name} is funded by {allowed}"
    message_es = "{where}: {column} es {actual:money}, pero {component_name} se financia con {allowed_es}"
    fix = "Move the amount to the source the component may use, or correct the funding rule on the Project sheet."
    fix_es = "Pase el monto a la fuente que el componente puede usar, o corrija la regla en la hoja Proyecto."

    def check(self, ctx: Context) -> Iterator[Finding]:
        shape = ctx.budget.structure
        names = {key: shape.name_of(key, ctx.lang) for key in shape.component_keys}
        barred: dict[str, list[str]] = {}  # component -> its funding columns it may not use (worked out once)
        for line in ctx.records(("line", layout.CONTINGENCIES, layout.OUTSIDE)):
            funding = shape.funding_of(line["component"])
            if line["component"] not in barred:
                allowed = shape.allowed_sources(funding)
                barred[line["component"]] = [k for k in shape.funding_columns if k not in allowed]
            for key in barred[line["component"]]:
                if num(line[key]) and not ctx.is_odd(key, line["row"]):
                    name = names.get(line["component"], line["item"])
                    word = "componente" if ctx.lang == "es" else "component"
                    label = f"{word} {line['component']} ({name})" if line["component"] in names else name
                    yield self.finding(ctx, layout.BUDGET_SHEET, ctx.cell(key, line["row"]), 0.0, num(line[key]),
                                       where=ctx.describe(line), column=key, component_name=label,
                                       allowed=self._allowed(shape, funding, "en"),
                                       allowed_es=self._allowed(shape, funding, "es"))

    @staticmethod
    def _allowed(shape, funding: str, lang: str) -> str:
        if funding == structure.DONOR:
            return f"{shape.funder_name('donor', lang)} " + ("solamente" if lang == "es" else "only")
        names = [shape.counterpart] if shape.has_counterpart else []
        names += [f.name for f in shape.cofinanciers]
        joined = (" y " if lang == "es" else " and ").join(names)
        return f"{joined} " + ("solamente" if lang == "es" else "only")


class ContingenciesShare(Rule):
    """Contingencies stay within their cap as a share of SUB-TOTAL (Project sheet)."""

    code, name, group, severity = "FP05", "contingencies-share", POLICY, WARNING
    message = "Contingencies are {actual:money}, {share:pct} of SUB-TOTAL ({base:money}); the cap is {cap:pct} " \
              "({expected:money})"
    message_es = "Los imprevistos son {actual:money}, {share:pct} del SUB-TOTAL ({base:money}); el tope es " \
                 "{cap:pct} ({expected:money})"
    fix = "Reduce the contingencies or justify the higher share to the Bank."
    fix_es = "Reduzca los imprevistos o justifique ante el Banco la proporción mayor."

    def check(self, ctx: Context) -> Iterator[Finding]:
        foot = _subtotal(ctx)
        cap = ctx.budget.project.get("contingencies_cap")
        contingencies = ctx.records((layout.CONTINGENCIES,))
        if foot is None or cap is None or not contingencies or not num(foot["total"]):
            return
        line = contingencies[0]
        if ctx.is_odd("total", line["row"]):
            return
        base, amount = num(foot["total"]), num(line["total"])
        if amount > cap * base + ctx.tolerance:
            yield self.finding(ctx, layout.BUDGET_SHEET, ctx.cell("total", line["row"]), cap * base, amount,
                               share=amount / base, base=base, cap=cap)


RULES = (DonorShare(), AgreedShares(), InKindCap(), FundingSource(), ContingenciesShare())
