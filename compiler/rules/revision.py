"""Revision rules (RV): each revision of the budget against the agreement and the Bank's approval.

They read `budget.revisions` (sheet Revisions) and the budget in force after each revision
(compiler/revisions.py).  A revision is measured against the budget the Bank last approved before it:
the approved budget, or the latest revision with an approval reference.  So small reallocations the
executing agency may make on its own add up, and once they pass the threshold on the Project sheet the
revision that passes it needs the Bank's reference.  A workbook without revisions gives no findings.
"""

from __future__ import annotations

from collections.abc import Iterator

from compiler import revisions
from compiler.findings import WARNING, Finding
from compiler.model import Revision
from compiler.rules.base import REVISION, Context, Rule
from compiler.sums import column_sum, zero_if_empty
from workbook_templates import layout

SUBTOTAL_KINDS = ("line", layout.CONTINGENCIES)  # the agreed shares are shares of the SUB-TOTAL


def _states(ctx: Context) -> list[tuple[Revision, list[dict], list[dict], list[dict]]]:
    """Per dated revision, in number order: (revision, lines before it, lines after it, lines of the budget
    last approved before it)."""
    def compute():
        out = []
        approved_number = revisions.ORIGINAL
        before_number = revisions.ORIGINAL
        for revision in revisions.dated(ctx.budget):
            before = revisions.rows_as_of(ctx.budget, before_number)
            after = revisions.rows_as_of(ctx.budget, revision.number)
            out.append((revision, before, after, revisions.rows_as_of(ctx.budget, approved_number)))
            if revision.approved:
                approved_number = revision.number
            before_number = revision.number
        return out
    return ctx.memo("revision_states", compute)


def _register_cell(ctx: Context, revision: Revision, key: str) -> str:
    return ctx.budget.revisions_sheet.register_cell(key, revision.row)


def _component_name(ctx: Context, key: str) -> str:
    shape = ctx.budget.structure
    if key in shape.component_keys:
        word = "componente" if ctx.lang == "es" else "component"
        return f"{word} {key} ({shape.name_of(key, ctx.lang)})"
    return shape.name_of(key, ctx.lang)


def _total(lines: list[dict], key: str = "total") -> float:
    """A column's total over line rows, empty cells as 0."""
    return column_sum(r[key] for r in lines)


def _by_component(lines: list[dict]) -> list[tuple[str, float]]:
    """(component, its lines' TOTAL), in the order the components first appear."""
    groups: dict[str, list[dict]] = {}
    for line in lines:
        groups.setdefault(line["component"], []).append(line)
    return [(component, _total(rows)) for component, rows in groups.items()]


def _by_line(keys: list[str], lines: list[dict]) -> list[tuple[str, float]]:
    """(line key, its TOTAL, empty as 0) per line row."""
    return [(key, zero_if_empty(r["total"])) for key, r in zip(keys, lines, strict=True)]


class ReallocationWithoutApproval(Rule):
    """A revision that moves money into or out of a component (or, when the Project sheet sets a threshold
    for lines, a line) by more than the threshold share of its approved budget, counted cumulatively since
    the budget the Bank last approved, and has no approval reference.  Reallocations above the threshold
    need the Bank's approval; the finding points at the revision's empty approval reference."""

    code, name, group = "RV01", "reallocation-without-approval", REVISION
    message = ("Revision {number}: {what} goes from {before:money} in the last approved budget to {actual:money}, "
               "a move of {moved:money} ({change:pct}), above the {threshold:pct} that needs the Bank's approval, "
               "and the revision has no approval reference")
    message_es = ("Revisión {number}: {what} pasa de {before:money} en el último presupuesto aprobado a "
                  "{actual:money}, un cambio de {moved:money} ({change:pct}), más del {threshold:pct} que requiere "
                  "aprobación del Banco, y la revisión no tiene referencia de aprobación")
    fix = "Write the Bank's approval reference (letter or no-objection number) in the register, or undo the move."
    fix_es = "Escriba la referencia de aprobación del Banco (carta o no objeción) en el registro, o deshaga el cambio."

    def check(self, ctx: Context) -> Iterator[Finding]:
        project = ctx.budget.project
        component_share = project.get("reallocation_threshold")
        line_share = project.get("reallocation_threshold_line")
        keys = ctx.budget.line_keys()
        for revision, before, after, approved in _states(ctx):
            if revision.approved:
                continue
            if component_share is not None:
                totals = [_by_component(lines) for lines in (approved, before, after)]
                yield from self._moves(ctx, revision, totals, float(component_share), by_line=False)
            if line_share is not None:
                totals = [_by_line(keys, lines) for lines in (approved, before, after)]
                yield from self._moves(ctx, revision, totals, float(line_share), by_line=True)

    def _moves(self, ctx: Context, revision: Revision, totals: list[list[tuple[str, float]]], threshold: float,
               by_line: bool) -> Iterator[Finding]:
        """Components (or lines) this revision moves, cumulatively beyond `threshold` of the approved budget.
        A line's finding points at its revised TOTAL; a component's at the revision's approval reference."""
        approved, before = ({k: v for k, v in reversed(pairs)} for pairs in totals[:2])  # the first of a key
        after = totals[2]
        for key, amount in after:
            base, previous = float(approved.get(key, 0.0)), float(before.get(key, 0.0))
            if not ctx.differs(amount, previous):  # this revision does not move it
                continue
            change = abs(amount - base)
            if change <= threshold * base + ctx.tolerance:
                continue
            if by_line:
                name = self._line_name(ctx, key)
                cell = revision.cells.get((key, "total")) or _register_cell(ctx, revision, "approval")
            else:
                name, cell = _component_name(ctx, key), _register_cell(ctx, revision, "approval")
            yield self.finding(ctx, layout.REVISIONS_SHEET, cell, base, amount, number=revision.number, what=name,
                               before=base, moved=change, change=change / base if base else 1.0,
                               threshold=threshold)

    @staticmethod
    def _line_name(ctx: Context, key: str) -> str:
        line = next((r for k, r in zip(ctx.budget.line_keys(), ctx.budget.line_rows, strict=True) if k == key), None)
        return ctx.describe(line) if line is not None else key


class RevisionBreaksTerms(Rule):
    """A revision whose budget breaks the terms of the agreement: the agreed donor share of the subtotal
    (within the share tolerance), the cap on counterpart in kind, or a component's funding rule (a revised
    line funded from a source its component may not use).  Reported at the revision that breaks the term,
    not again at later ones while it stays broken."""

    code, name, group = "RV02", "revision-breaks-terms", REVISION
    message = "Revision {number}: {problem}"
    message_es = "Revisión {number}: {problem_es}"
    fix = "Correct the revised figures so that the budget keeps the agreed shares, the in-kind cap and funding rules."
    fix_es = "Corrija las cifras revisadas para que el presupuesto respete las proporciones, el tope en especie " \
             "y las reglas de financiamiento acordadas."

    def check(self, ctx: Context) -> Iterator[Finding]:
        for revision, before, after, _ in _states(ctx):
            for term in ("donor_share", "in_kind_cap"):
                now, then = self._term(ctx, term, after), self._term(ctx, term, before)
                if now is not None and then is None:
                    expected, actual, en, es = now
                    yield self.finding(ctx, layout.REVISIONS_SHEET, _register_cell(ctx, revision, "revision"),
                                       expected, actual, number=revision.number, problem=en, problem_es=es)
            yield from self._funding(ctx, revision)

    @staticmethod
    def _term(ctx: Context, term: str, lines: list[dict]):
        """(expected, actual, English, Spanish) when `lines` break `term`, else None."""
        shape, project = ctx.budget.structure, ctx.budget.project
        sub = [r for r in lines if r["kind"] in SUBTOTAL_KINDS]
        total = _total(sub)
        if term == "donor_share":
            agreed = project.get("donor_share")
            if agreed is None or not total or not shape.non_donor_funders:
                return None
            share = _total(sub, "donor") / total
            if abs(share - float(agreed)) <= ctx.share_tolerance:
                return None
            en, es = shape.funder_name("donor", "en"), shape.funder_name("donor", "es")
            return (agreed, share, f"the {en} share of the subtotal becomes {share:.1%}, not the agreed "
                    f"{float(agreed):.0%}", f"la proporción de {es} en el subtotal pasa a {share:.1%}, no el "
                    f"{float(agreed):.0%} acordado")
        cap = project.get("in_kind_cap")
        if not shape.has_counterpart or cap is None:
            return None
        base = _total(sub, "counterpart_subtotal")
        kind = _total(sub, "counterpart_in_kind")
        if not base or kind < float(cap) * base - ctx.tolerance:
            return None
        return (float(cap) * base, kind, f"counterpart in kind becomes {kind:,.0f}, {kind / base:.1%} of the "
                f"counterpart, not below the cap of {float(cap):.0%}", f"la contrapartida en especie pasa a "
                f"{kind:,.0f}, {kind / base:.1%} de la contrapartida, no por debajo del tope de {float(cap):.0%}")

    def _funding(self, ctx: Context, revision: Revision) -> Iterator[Finding]:
        shape = ctx.budget.structure
        budget = ctx.budget
        component_of = {key: r["component"] for key, r in zip(budget.line_keys(), budget.line_rows, strict=True)}
        for key, figures in revision.lines.items():
            if key not in component_of:
                continue
            funding = shape.funding_of(component_of[key])
            allowed = shape.allowed_sources(funding)
            for source in shape.sources:
                if source not in allowed and figures.get(source):
                    en_name, es_name = shape.funder_name(source, "en"), shape.funder_name(source, "es")
                    yield self.finding(ctx, layout.REVISIONS_SHEET, revision.cells[(key, source)], 0.0,
                                       figures[source], number=revision.number,
                                       problem=f"line {key} gets {figures[source]:,.0f} from {en_name}, a source its "
                                               f"component's funding rule ({funding}) does not allow",
                                       problem_es=f"la línea {key} recibe {figures[source]:,.0f} de {es_name}, una "
                                                  f"fuente que la regla de su componente ({funding}) no admite")


class TotalChangedWithoutApproval(Rule):
    """A revision that changes the budget's TOTAL without an approval reference.  Reallocations move money
    between lines and keep the total; a change of the total changes what the funders give, and only the
    Bank (with an amendment of the agreement) can approve it."""

    code, name, group = "RV03", "total-changed-without-approval", REVISION
    message = "Revision {number} changes the budget's TOTAL from {expected:money} to {actual:money} " \
              "({difference:money}) and has no approval reference"
    message_es = "La revisión {number} cambia el TOTAL del presupuesto de {expected:money} a {actual:money} " \
                 "({difference:money}) y no tiene referencia de aprobación"
    fix = "Write the Bank's approval reference in the register, or balance the revised lines so the TOTAL is kept."
    fix_es = "Escriba la referencia de aprobación del Banco en el registro, o equilibre las líneas para mantener el " \
             "TOTAL."

    def check(self, ctx: Context) -> Iterator[Finding]:
        for revision, before, after, _ in _states(ctx):
            old, new = _total(before), _total(after)
            if not revision.approved and ctx.differs(old, new):
                yield self.finding(ctx, layout.REVISIONS_SHEET, _register_cell(ctx, revision, "approval"), old, new,
                                   number=revision.number, difference=new - old)


class RevisionEntry(Rule):
    """A Revisions-sheet entry mifkit cannot use as written: a revision without a whole number or a date
    (it then applies to no period), a revised line of a revision the register lacks, a Ref. that is no line
    of the Budget sheet, a line given twice in one revision, a figure that is not a number."""

    code, name, group = "RV04", "revision-entry", REVISION
    message = "{problem}"
    message_es = "{problem_es}"
    fix = "Complete or correct the entry on the Revisions sheet (add a line to the Budget sheet with 0 first)."
    fix_es = "Complete o corrija la entrada en la hoja Revisions (una línea nueva va antes al Budget con 0)."

    def check(self, ctx: Context) -> Iterator[Finding]:
        sheet = ctx.budget.revisions_sheet
        if sheet is None:
            return
        for cell, en, es in sheet.problems:
            yield self.finding(ctx, layout.REVISIONS_SHEET, cell, None, None, problem=en, problem_es=es)
        known = set(ctx.budget.line_keys())
        for revision in ctx.budget.revisions:
            for key in revision.lines:
                if key not in known:
                    cell = f"B{revision.rows[key]}"
                    if sheet.line_columns.get("ref"):
                        cell = f"{layout.column_letter(sheet.line_columns['ref'])}{revision.rows[key]}"
                    yield self.finding(ctx, layout.REVISIONS_SHEET, cell, None, key,
                                       problem=f"revision {revision.number} revises line {key!r}, which the Budget "
                                               "sheet does not have; the row is left out",
                                       problem_es=f"la revisión {revision.number} revisa la línea {key!r}, que la "
                                                  "hoja Budget no tiene; la fila no se toma en cuenta")


class RevisedLineSums(Rule):
    """A revised line's figures add up: its year amounts to its TOTAL, and its sources (donor, counterpart
    in cash and in kind, co-financiers) to its TOTAL."""

    code, name, group = "RV05", "revised-line-sums", REVISION
    message = "Revision {number}, line {line}: {what} add up to {expected:money}, but TOTAL is {actual:money}"
    message_es = "Revisión {number}, línea {line}: {what_es} suman {expected:money}, pero el TOTAL es {actual:money}"
    fix = "Correct the revised figures so that years and sources both add up to the line's TOTAL."
    fix_es = "Corrija las cifras revisadas para que años y fuentes sumen el TOTAL de la línea."

    def check(self, ctx: Context) -> Iterator[Finding]:
        shape = ctx.budget.structure
        years = [layout.year_keys(y)[2] for y in range(1, shape.years + 1)]
        for revision in ctx.budget.revisions:
            for key, figures in revision.lines.items():
                total = figures["total"]
                for parts, en, es in ((years, "the year amounts", "los montos de los años"),
                                      (shape.sources, "the sources", "las fuentes")):
                    summed = sum(figures.get(k, 0.0) for k in parts)
                    if ctx.differs(summed, total):
                        yield self.finding(ctx, layout.REVISIONS_SHEET, revision.cells[(key, "total")], summed, total,
                                           number=revision.number, line=key, what=en, what_es=es)


class RevisedAboveContribution(Rule):
    """The donor's part of the budget after a revision above the donor's part of the approved budget (its
    contribution in the agreement).  An approved revision may move the donor's money between lines, but it
    gives more of it only with an amendment of the agreement: a warning to check that the amendment exists,
    or that the revised figures are right.  Reported at the revision that first goes above."""

    code, name, group, severity = "RV06", "revised-above-contribution", REVISION, WARNING
    message = "Revision {number}: the {donor} part of the budget becomes {actual:money}, above the {donor} " \
              "contribution of {expected:money} in the approved budget, by {over:money}"
    message_es = "Revisión {number}: la parte de {donor} en el presupuesto pasa a {actual:money}, más que el aporte " \
                 "de {donor} de {expected:money} del presupuesto aprobado, por {over:money}"
    fix = "Check the revised figures, or note on the register the amendment of the agreement that raised it."
    fix_es = "Revise las cifras revisadas, o anote en el registro la enmienda del convenio que lo aumentó."

    def check(self, ctx: Context) -> Iterator[Finding]:
        limit = _total(ctx.budget.line_rows, "donor")
        for revision, before, after, _ in _states(ctx):
            new, old = _total(after, "donor"), _total(before, "donor")
            if new - limit > ctx.tolerance and not old - limit > ctx.tolerance:
                yield self.finding(ctx, layout.REVISIONS_SHEET, _register_cell(ctx, revision, "revision"), limit,
                                   new, number=revision.number, over=new - limit)


RULES: tuple[Rule, ...] = (ReallocationWithoutApproval(), RevisionBreaksTerms(), TotalChangedWithoutApproval(),
                           RevisionEntry(), RevisedLineSums(), RevisedAboveContribution())
