"""Funding-policy rules: the budget against the financing terms the approved document states.

Every parameter comes from the Project sheet (agreed shares, caps, tolerances, the funding sources
each component may use), so a project with other terms changes the sheet, not the code.  Shares
are read from the printed SUB-TOTAL row, the figure a reviewer reads; the arithmetic rules make sure
it agrees with the lines.
"""

from __future__ import annotations

from collections.abc import Iterator

from compiler.findings import WARNING, Finding
from compiler.rules.base import POLICY, Context, Rule, num
from workbook_templates import layout


def _subtotal(ctx: Context) -> dict | None:
    foot = ctx.budget.foot["subtotal"]
    keys = ("total", "donor", "counterpart_subtotal", "counterpart_in_kind")
    return None if ctx.any_odd(keys, foot["row"]) else foot


class MifShare(Rule):
    """The MIF share of SUB-TOTAL is the agreed share (Project sheet), within the share tolerance."""

    code, name, group = "FP01", "mif-share", POLICY
    message = "The MIF finances {actual_share:pct} of SUB-TOTAL ({actual:money} of {base:money}); the agreed " \
              "share is {agreed:pct} ({expected:money}), tolerance {tolerance:pct}"
    message_es = "El FOMIN financia {actual_share:pct} del SUB-TOTAL ({actual:money} de {base:money}); la " \
                 "proporción acordada es {agreed:pct} ({expected:money}), tolerancia {tolerance:pct}"
    fix = "Move amounts between MIF and counterpart until the split matches the agreed shares."
    fix_es = "Traslade montos entre FOMIN y contrapartida hasta que la distribución sea la acordada."

    def check(self, ctx: Context) -> Iterator[Finding]:
        foot = _subtotal(ctx)
        agreed = ctx.budget.project.get("donor_share")
        if foot is None or agreed is None or not num(foot["total"]):
            return
        base, mif = num(foot["total"]), num(foot["donor"])
        share = mif / base
        if abs(share - agreed) > ctx.share_tolerance + 1e-9:
            yield self.finding(ctx, layout.BUDGET_SHEET, ctx.cell("donor", foot["row"]), agreed * base, mif,
                               actual_share=share, base=base, agreed=agreed, tolerance=ctx.share_tolerance)


class AgreedShares(Rule):
    """The agreed MIF and counterpart shares on the Project sheet add up to 100%."""

    code, name, group = "FP02", "agreed-shares", POLICY
    message = "Project: the agreed MIF share {mif:pct} and counterpart share {actual:pct} add up to {sum:pct}, " \
              "not 100%"
    message_es = "Proyecto: la proporción FOMIN acordada {mif:pct} y la de contrapartida {actual:pct} suman " \
                 "{sum:pct}, no 100%"
    fix = "Enter the shares of the approved document; together they make 100%."
    fix_es = "Ingrese las proporciones del documento aprobado; juntas suman 100%."

    def check(self, ctx: Context) -> Iterator[Finding]:
        project = ctx.budget.project
        mif, counterpart = project.get("donor_share"), project.get("counterpart_share")
        if mif is None or counterpart is None or not project.cells.get("counterpart_share"):
            return
        if abs(mif + counterpart - 1) > 1e-6:
            yield self.finding(ctx, layout.PROJECT_SHEET, project.cells["counterpart_share"], 1 - mif, counterpart,
                               mif=mif, sum=mif + counterpart)


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
        if foot is None or cap is None or not num(foot["counterpart_subtotal"]):
            return
        base, kind = num(foot["counterpart_subtotal"]), num(foot["counterpart_in_kind"])
        limit = cap * base
        if kind >= limit - ctx.tolerance:
            yield self.finding(ctx, layout.BUDGET_SHEET, ctx.cell("counterpart_in_kind", foot["row"]), limit, kind,
                               share=kind / base, base=base, cap=cap)


class FundingSource(Rule):
    """A line is funded only from the sources its component may use (Project sheet: funding per component;
    section III: executing unit and administration counterpart only, evaluation/audits and MIF cluster
    monitoring MIF only)."""

    code, name, group = "FP04", "funding-source", POLICY
    message = "{where}: {column} is {actual:money}, but {component_name} is funded by {allowed}"
    message_es = "{where}: {column} es {actual:money}, pero {component_name} se financia con {allowed_es}"
    fix = "Move the amount to the source the component may use, or correct the funding rule on the Project sheet."
    fix_es = "Pase el monto a la fuente que el componente puede usar, o corrija la regla en la hoja Proyecto."

    FORBIDDEN = {layout.FUNDING_MIF_ONLY: ("counterpart_cash", "counterpart_in_kind"),
                 layout.FUNDING_COUNTERPART_ONLY: ("donor",)}
    ALLOWED_ES = {layout.FUNDING_MIF_ONLY: "el FOMIN solamente",
                  layout.FUNDING_COUNTERPART_ONLY: "la contrapartida solamente"}

    def check(self, ctx: Context) -> Iterator[Finding]:
        project = ctx.budget.project
        names = {c["component"]: c["item"] for c in ctx.budget.components.to_dict("records")}
        kinds = ("line", layout.CONTINGENCIES, layout.MIF_CLUSTER_MONITORING)
        for line in ctx.records(kinds):
            funding = project.funding_of(line["component"])
            for key in self.FORBIDDEN.get(funding, ()):
                if num(line[key]) and not ctx.is_odd(key, line["row"]):
                    name = names.get(line["component"], line["item"])
                    label = f"component {line['component']} ({name})" if line["component"] in names else name
                    yield self.finding(ctx, layout.BUDGET_SHEET, ctx.cell(key, line["row"]), 0.0, num(line[key]),
                                       where=ctx.describe(line), column=key, component_name=label,
                                       allowed=funding.lower(), allowed_es=self.ALLOWED_ES[funding])


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
        contingencies = ctx.lines((layout.CONTINGENCIES,))
        if foot is None or cap is None or contingencies.empty or not num(foot["total"]):
            return
        line = contingencies.iloc[0]
        if ctx.is_odd("total", line["row"]):
            return
        base, amount = num(foot["total"]), num(line["total"])
        if amount > cap * base + ctx.tolerance:
            yield self.finding(ctx, layout.BUDGET_SHEET, ctx.cell("total", line["row"]), cap * base, amount,
                               share=amount / base, base=base, cap=cap)


RULES = (MifShare(), AgreedShares(), InKindCap(), FundingSource(), ContingenciesShare())
