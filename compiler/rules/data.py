"""Data rules: what is in the cells, before any arithmetic — text or errors where numbers belong,
negative amounts, incomplete lines, typed numbers over formulas, duplicates, figures outside the
budget, blank rows, and Project values that cannot be read.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from compiler.findings import WARNING, Finding
from compiler.formula import CellError
from compiler.model import OddCell
from compiler.numbers import parse_number_text
from compiler.rules.arithmetic import aggregated, summary_cell, year_subtotal_keys
from compiler.rules.base import DATA, Context, Rule, num, render
from workbook_templates import layout, structure
from workbook_templates.structure import Structure


def _row_kinds(ctx: Context) -> dict[int, tuple[str, str]]:
    """Excel row -> (kind, component) for every Budget row the model knows."""
    budget = ctx.budget
    kinds = {line["row"]: (line["kind"], line["component"]) for line in budget.line_rows}
    kinds.update({c["row"]: ("component", c["component"]) for c in budget.component_rows})
    for name, foot in budget.foot.items():
        kinds[foot["row"]] = (name, "")
    return kinds


def _is_input(kind: str, key: str, shape: Structure) -> bool:
    if kind == "line":
        return any(key in layout.year_keys(y)[:2] for y in range(1, shape.years + 1)) or key in shape.sources
    if kind in (layout.CONTINGENCIES, layout.OUTSIDE):
        return key in shape.sources
    return False


def _dependencies(ctx: Context, kind: str, component: str, row: int, key: str) -> list[tuple[str, int]]:
    """The Budget cells a derived cell is made of, as (column key, row)."""
    budget, years = ctx.budget, ctx.budget.years
    if key.startswith("pct_"):
        amount = dict(layout.pct_pairs(budget.structure))[key]
        return [(amount, row), ("total", budget.foot["subtotal"]["row"])]
    if kind in ("line", layout.CONTINGENCIES, layout.OUTSIDE):
        if key == "counterpart_subtotal":
            return [("counterpart_cash", row), ("counterpart_in_kind", row)]
        if key == "total" and kind != "line":
            return [(k, row) for k in budget.structure.funder_columns]
        if key == "total":
            return [(k, row) for k in year_subtotal_keys(years)]
        year = next((y for y in range(1, years + 1) if key == layout.year_keys(y)[2]), None)
        if year is None:
            return []  # not a derived cell on this row (a year cell of the Contingencies row): nothing behind it
        return [(layout.year_keys(year)[0], row), (layout.year_keys(year)[1], row)]
    if kind == "component":
        rows = [r["row"] for r in ctx.records() if r["component"] == component]
    elif kind == "subtotal":
        rows = [*(c["row"] for c in budget.component_rows), *(r["row"] for r in ctx.records((layout.CONTINGENCIES,)))]
    else:
        rows = [budget.foot["subtotal"]["row"], *(r["row"] for r in ctx.records((layout.OUTSIDE,)))]
    return [(key, r) for r in rows]


def _describe_value(value: object) -> tuple[str, str]:
    """How a finding names what a numeric cell holds instead of a number (English, Spanish)."""
    if isinstance(value, CellError):
        return f"the error {value}", f"el error {value}"
    if isinstance(value, bool):
        return f"the value {value}", f"el valor {value}"
    if isinstance(value, dt.date | dt.datetime):
        return f"a date ({value:%Y-%m-%d})", f"una fecha ({value:%Y-%m-%d})"
    return f"the text {str(value)!r}", f"el texto {str(value)!r}"


class NotANumber(Rule):
    """Numeric cells hold numbers: not text, error values (#REF!, #VALUE!, #DIV/0!), dates or booleans.

    Text counts as zero in Excel's sums, so a figure typed as text silently drops out of every total.
    An error that a formula only passes on from another bad cell is not reported again.
    """

    code, name, group = "DA01", "not-a-number", DATA
    message = "{where}: {column} holds {what}, not a number{hint}"
    message_es = "{where}: {column} contiene {what}, no un número{hint}"
    fix = "Type the figure as a plain number (no currency sign, no thousands separators as text), " \
          "or repair the formula."
    fix_es = "Escriba la cifra como un número (sin símbolo de moneda ni separadores como texto), o repare la fórmula."

    def check(self, ctx: Context) -> Iterator[Finding]:
        kinds = _row_kinds(ctx)
        shape = ctx.budget.structure
        budget_odd = [o for o in ctx.budget.odd_cells if o.sheet == layout.BUDGET_SHEET]
        for odd in budget_odd:
            kind, component = kinds.get(odd.row, ("line", ""))
            if not _is_input(kind, odd.key, shape) and any(
                    ctx.is_odd(k, r) for k, r in _dependencies(ctx, kind, component, odd.row, odd.key)):
                continue  # passed on from a cell that is reported
            yield self._finding(ctx, odd, self._where(ctx, kind, component, odd.row))
        summary_odd = [o for o in ctx.budget.odd_cells if o.sheet == layout.SUMMARY_SHEET]
        summary_rows = {r["row"]: r["key"] for r in ctx.budget.summary_rows}
        for odd in summary_odd:
            if budget_odd and isinstance(odd.value, CellError):
                continue  # the Summary's formulas pass on the Budget's errors
            key = summary_rows.get(odd.row, "")
            labels = {r.key: r.label for r in shape.summary_rows()}
            yield self._finding(ctx, odd, f"Summary, {labels[key] if key else odd.row}")

    def _where(self, ctx: Context, kind: str, component: str, row: int) -> str:
        if kind == "component":
            return f"Component {component}"
        if kind in ("subtotal", "total"):
            return layout.LABEL_SUBTOTAL if kind == "subtotal" else layout.LABEL_TOTAL
        line = next((r for r in ctx.budget.line_rows if r["row"] == row), None)
        return ctx.describe(line) if line is not None else f"Budget row {row}"

    def _finding(self, ctx: Context, odd: OddCell, where: str) -> Finding:
        what_en, what_es = _describe_value(odd.value)
        meant = parse_number_text(odd.value) if isinstance(odd.value, str) else None
        hint = ""
        if meant is not None:
            hint = render("; it looks like {n:money} typed as text: type it as a number" if ctx.lang != "es" else
                          "; parece {n:money} escrito como texto: escríbalo como número", {"n": meant})
        return self.finding(ctx, odd.sheet, odd.address, "a number", str(odd.value), where=where, column=odd.key,
                            what=what_es if ctx.lang == "es" else what_en, hint=hint)


class NegativeAmount(Rule):
    """Unit costs, quantities and amounts are not negative: a budget line does not earn money."""

    code, name, group = "DA02", "negative-amount", DATA
    message = "{where}: {column} is negative ({actual:money})"
    message_es = "{where}: {column} es negativo ({actual:money})"
    fix = "Enter the amount as a positive number; a reduction is a smaller amount, not a negative one."
    fix_es = "Ingrese el monto como número positivo; una reducción es un monto menor, no uno negativo."

    def check(self, ctx: Context) -> Iterator[Finding]:
        shape = ctx.budget.structure
        for kinds in (("line",), (layout.CONTINGENCIES, layout.OUTSIDE)):
            records = ctx.records(kinds)
            keys = [k for k in layout.numeric_keys(shape) if not k.startswith("pct")]
            inputs = [k for k in keys if _is_input(kinds[0], k, shape)]
            negative = {k: [v < 0 for v in ctx.figures(k, kinds)] for k in keys}
            inputs_negative = [any(negative[k][i] for k in inputs) for i in range(len(records))]
            for key in keys:
                # a derived figure made negative by a negative input is reported at the input only
                for i, line in enumerate(records):
                    if not negative[key][i] or (key not in inputs and inputs_negative[i]):
                        continue
                    yield self.finding(ctx, layout.BUDGET_SHEET, ctx.cell(key, line["row"]), 0.0, num(line[key]),
                                       where=ctx.describe(line), column=key)


class LineLabel(Rule):
    """Every cost line names its item and its unit, so that the Bank can tell what is being bought (a project
    whose Project sheet says its lines are costed as amounts needs no unit)."""

    code, name, group, severity = "DA03", "line-label", DATA, WARNING
    message = "{where}: the line has no {missing}"
    message_es = "{where}: la línea no tiene {missing_es}"
    fix = "Type the item and its unit (month/consultant, package, day…)."
    fix_es = "Escriba el ítem y su unidad (mes/consultor, paquete, día…)."

    def check(self, ctx: Context) -> Iterator[Finding]:
        labels = (("item", "item", "ítem"), ("unit", "unit", "unidad"))
        if ctx.budget.project.get("costing") == layout.AMOUNTS:
            labels = labels[:1]
        for line in ctx.records():
            for key, en, es in labels:
                if not line[key]:
                    yield self.finding(ctx, layout.BUDGET_SHEET, ctx.cell(key, line["row"]), en, "",
                                       where=ctx.describe(line) if line["item"] else f"Budget row {line['row']}",
                                       missing=en, missing_es=es)
                    break


class IncompleteCosting(Rule):
    """A year is costed with both a unit cost and a quantity: one without the other, or a subtotal with
    neither, leaves the line's amount unexplained.  Where the Project sheet says the lines are costed as
    amounts, a subtotal alone is how a year is given; a unit cost or quantity without the other still is
    reported."""

    code, name, group, severity = "DA04", "incomplete-costing", DATA, WARNING
    message = "{where}, year {year}: {problem}"
    message_es = "{where}, año {year}: {problem_es}"
    fix = "Give the year both a unit cost and a quantity, or clear the stray figure."
    fix_es = "Dé al año un costo unitario y una cantidad, o borre la cifra suelta."

    PROBLEMS = {"qty": ("a unit cost of {v:money} without a quantity", "un costo unitario de {v:money} sin cantidad"),
                "unit_cost": ("a quantity of {v:money} without a unit cost",
                              "una cantidad de {v:money} sin costo unitario"),
                "subtotal": ("a subtotal of {v:money} without a unit cost or quantity",
                             "un subtotal de {v:money} sin costo unitario ni cantidad")}

    def check(self, ctx: Context) -> Iterator[Finding]:
        kinds = ("line", layout.OUTSIDE)
        records = ctx.records(kinds)
        for y in range(1, ctx.budget.years + 1):
            uc, qty, sub = layout.year_keys(y)
            u, q, s = ([v != 0 for v in ctx.figures(k, kinds)] for k in (uc, qty, sub))
            values = {"qty": ctx.figures(uc, kinds), "unit_cost": ctx.figures(qty, kinds),
                      "subtotal": ctx.figures(sub, kinds)}
            cases = (("qty", qty, [a and not b for a, b in zip(u, q, strict=True)]),
                     ("unit_cost", uc, [b and not a for a, b in zip(u, q, strict=True)]),
                     ("subtotal", uc, [c and not a and not b for a, b, c in zip(u, q, s, strict=True)]))
            if ctx.budget.project.get("costing") == layout.AMOUNTS:
                cases = cases[:2]
            odd = ctx.odd_mask(records, (uc, qty, sub))
            for problem, key, mask in cases:
                en, es = self.PROBLEMS[problem]
                for i in (i for i, bad in enumerate(mask) if bad and not odd[i]):
                    value = values[problem][i]
                    yield self.finding(ctx, layout.BUDGET_SHEET, ctx.cell(key, records[i]["row"]),
                                       "a unit cost and a quantity", value, where=ctx.describe(records[i]), year=y,
                                       problem=render(en, {"v": value}), problem_es=render(es, {"v": value}))


class TypedOverFormula(Rule):
    """In a workbook whose derived figures are formulas (Project: "Derived figures" = formulas), a
    subtotal or total typed over its formula no longer follows its inputs: the next change to a
    quantity will not reach it.  The finding says whether the typed number still agrees."""

    code, name, group, severity = "DA05", "typed-over-formula", DATA, WARNING
    message = "{where}: {column} holds a typed number ({actual:money}) where the template has a formula; " \
              "{agreement}"
    message_es = "{where}: {column} contiene un número escrito ({actual:money}) donde la plantilla tiene una " \
                 "fórmula; {agreement}"
    fix = "Restore the formula (copy it from the row above or below)."
    fix_es = "Restituya la fórmula (cópiela de la fila de arriba o de abajo)."

    def check(self, ctx: Context) -> Iterator[Finding]:
        budget = ctx.budget
        if budget.project.get("derived_cells") != layout.DERIVED_FORMULAS or budget.formula_cells is None:
            return
        for kind, component, row, key, value, where in self._typed_derived_cells(ctx):
            expected = self._expected(ctx, kind, component, row, key)
            agrees = expected is not None and not ctx.differs(expected, value)
            agreement = ({True: "it still agrees with its inputs", False: "it no longer agrees with its inputs"}
                         if ctx.lang != "es" else
                         {True: "todavía coincide con sus datos", False: "ya no coincide con sus datos"})[agrees]
            yield self.finding(ctx, layout.BUDGET_SHEET, ctx.cell(key, row), expected, value, where=where,
                               column=key, agreement=agreement)
        yield from self._summary(ctx)

    def _typed_derived_cells(self, ctx: Context):
        """(kind, component, row, key, value, where) of each derived cell that holds a typed number: not empty,
        not a formula, not a non-number (a data finding of its own).  A large budget has tens of thousands of
        derived cells and nearly all are formulas, so they are passed over before anything is made for them."""
        budget, years = ctx.budget, ctx.budget.years
        formulas = budget.formula_cells.get(layout.BUDGET_SHEET, set())
        cols = layout.column_index(budget.structure)

        def typed(row: int, key: str, value: float) -> bool:
            return value == value and (row, cols[key]) not in formulas and not ctx.is_odd(key, row)

        own = ["counterpart_subtotal"] if budget.structure.has_counterpart else []
        line_keys = [*year_subtotal_keys(years), "total", *own]
        for line in ctx.records(("line", layout.CONTINGENCIES, layout.OUTSIDE)):  # converted once for all rules
            keys = line_keys if line["kind"] == "line" else ["total", *own]
            row = line["row"]
            for key in keys:
                if typed(row, key, line[key]):
                    yield line["kind"], line["component"], row, key, line[key], ctx.describe(line)
        agg_keys = aggregated(ctx)
        for comp in budget.component_rows:
            for key in agg_keys:
                if typed(comp["row"], key, comp[key]):
                    yield ("component", comp["component"], comp["row"], key, comp[key],
                           f"Component {comp['component']}")
        for name, foot in budget.foot.items():
            for key in agg_keys:
                label = layout.LABEL_SUBTOTAL if name == "subtotal" else layout.LABEL_TOTAL
                if typed(foot["row"], key, foot[key]):
                    yield name, "", foot["row"], key, foot[key], label

    def _expected(self, ctx: Context, kind: str, component: str, row: int, key: str) -> float | None:
        deps = _dependencies(ctx, kind, component, row, key)
        values = {(k, r): self._value(ctx, k, r) for k, r in deps}
        if kind == "line" and key.endswith("_subtotal") and key.startswith("y"):
            (a, b) = values.values()
            return a * b
        return sum(values.values())

    @staticmethod
    def _value(ctx: Context, key: str, row: int) -> float:
        budget = ctx.budget
        by_row = ctx.memo("rows_by_row", lambda: {r["row"]: r for r in (*reversed(budget.component_rows),
                                                                        *reversed(budget.line_rows))})
        if row in by_row:
            return num(by_row[row][key])
        for foot in budget.foot.values():
            if foot["row"] == row:
                return num(foot[key])
        return 0.0

    def _summary(self, ctx: Context) -> Iterator[Finding]:
        formulas = ctx.budget.formula_cells.get(layout.SUMMARY_SHEET, set())
        for record in ctx.budget.summary_rows:
            columns = layout.summary_columns(ctx.budget.structure)
            for key in columns[1:]:
                value = record[key]
                col = columns.index(key) + 1
                if value != value or (record["row"], col) in formulas:
                    continue
                yield self.finding(ctx, layout.SUMMARY_SHEET, summary_cell(ctx, record["row"], key), None, value,
                                   where=f"Summary, {record['label']}", column=key,
                                   agreement="see the Summary checks" if ctx.lang != "es" else
                                   "vea las verificaciones del Resumen")


def _norm(text: str) -> str:
    return " ".join(str(text or "").lower().split())


class DuplicateLine(Rule):
    """The same item with the same unit under the same sub-heading of a component is usually a line
    pasted twice, counted twice in every total."""

    code, name, group, severity = "DA06", "duplicate-line", DATA, WARNING
    message = "{where} repeats row {first} (same component, sub-heading, item and unit)"
    message_es = "{where} repite la fila {first} (mismo componente, subtítulo, ítem y unidad)"
    fix = "Delete the copy, or tell the two lines apart in their item text."
    fix_es = "Borre la copia, o distinga las dos líneas en el texto del ítem."

    def check(self, ctx: Context) -> Iterator[Finding]:
        seen: dict[tuple, int] = {}
        for line in ctx.records():
            if not line["item"]:
                continue
            key = (line["component"], _norm(line["line_group"]), _norm(line["item"]), _norm(line["unit"]))
            if key in seen:
                yield self.finding(ctx, layout.BUDGET_SHEET, ctx.cell("item", line["row"]), "a distinct line",
                                   line["item"], where=ctx.describe(line), first=seen[key])
            else:
                seen[key] = line["row"]


class DuplicateRef(Rule):
    """Each cost line has its own Ref.: the execution record and the findings point at lines by it."""

    code, name, group = "DA07", "duplicate-ref", DATA
    message = "{where}: Ref. {actual} is also used on row {first}"
    message_es = "{where}: la Ref. {actual} también se usa en la fila {first}"
    fix = "Give the line a Ref. of its own (component number, a dot, two digits: 2.04)."
    fix_es = "Dé a la línea una Ref. propia (número de componente, punto, dos dígitos: 2.04)."

    def check(self, ctx: Context) -> Iterator[Finding]:
        seen: dict[str, int] = {}
        for line in ctx.records():
            ref = line["ref"]
            if not ref:
                continue
            if ref in seen:
                yield self.finding(ctx, layout.BUDGET_SHEET, ctx.cell("ref", line["row"]), "a unique Ref.", ref,
                                   where=ctx.describe(line), first=seen[ref])
            else:
                seen[ref] = line["row"]


class OutsideBudget(Rule):
    """Figures belong inside the budget table: a number below TOTAL, right of the last column or in a row
    outside any component is counted in no total."""

    code, name, group = "DA08", "outside-budget", DATA
    message = "Budget row {row}: {actual} in {column_letter}{row} is {where_en}; no total counts it"
    message_es = "Fila {row} del Presupuesto: {actual} en {column_letter}{row} está {where_es}; ningún total lo cuenta"
    fix = "Move the line into its component (above SUB-TOTAL), or delete the stray figure."
    fix_es = "Mueva la línea a su componente (encima del SUB-TOTAL), o borre la cifra suelta."

    def check(self, ctx: Context) -> Iterator[Finding]:
        budget = ctx.budget
        width = len(layout.budget_columns(budget.structure))
        total_row = budget.foot["total"]["row"]
        reported: set[int] = set()
        for stray in sorted(budget.stray_cells, key=lambda s: (s.row, s.col)):
            value = stray.value
            if stray.row in reported or isinstance(value, bool) or not isinstance(value, int | float):
                continue
            reported.add(stray.row)
            if stray.col > width:
                en, es = "right of the budget table", "a la derecha del cuadro del presupuesto"
            elif stray.row > total_row:
                en, es = "below TOTAL", "debajo del TOTAL"
            else:
                en, es = "outside any component", "fuera de todo componente"
            yield self.finding(ctx, stray.sheet, stray.address, "nothing", value, row=stray.row,
                               column_letter=layout.column_letter(stray.col), where_en=en, where_es=es)


class BlankRow(Rule):
    """A blank row inside a component: harmless to the totals, but often a line deleted by mistake, and
    it breaks the sums of a template whose formulas stop at the gap when rows are copied."""

    code, name, group, severity = "DA09", "blank-row", DATA, WARNING
    message = "Budget row {row} is empty, inside component {component}"
    message_es = "La fila {row} del Presupuesto está vacía, dentro del componente {component}"
    fix = "Delete the empty row, or fill in the line that belongs there."
    fix_es = "Elimine la fila vacía, o complete la línea que corresponde."

    def check(self, ctx: Context) -> Iterator[Finding]:
        for row, component in ctx.budget.blank_rows:
            yield self.finding(ctx, layout.BUDGET_SHEET, f"A{row}", "a line or nothing", "an empty row", row=row,
                               component=component)


class MissingRef(Rule):
    """A cost line without a Ref. cannot be followed in the execution record."""

    code, name, group, severity = "DA10", "missing-ref", DATA, WARNING
    message = "{where} has no Ref."
    message_es = "{where} no tiene Ref."
    fix = "Give the line a Ref. (component number, a dot, two digits: 2.04)."
    fix_es = "Dé a la línea una Ref. (número de componente, punto, dos dígitos: 2.04)."

    def check(self, ctx: Context) -> Iterator[Finding]:
        for line in ctx.records():
            if not line["ref"]:
                where = ctx.describe(line) if line["item"] else f"Budget row {line['row']}"
                yield self.finding(ctx, layout.BUDGET_SHEET, ctx.cell("ref", line["row"]), "a Ref.", "", where=where)


class ProjectValue(Rule):
    """The Project sheet's values can be read as what they are: dates, whole numbers, shares, one of the
    offered choices.  An unreadable value makes mifkit fall back to the template's default."""

    code, name, group = "DA11", "project-value", DATA
    message = "Project: {label} holds {actual!r}, which is not {kind}"
    message_es = "Proyecto: {label} contiene {actual!r}, que no es {kind_es}"
    fix = "Enter the value in the form the cell asks for (its input message says which)."
    fix_es = "Ingrese el valor en la forma que pide la celda (su mensaje de entrada lo indica)."

    KINDS = {"text": ("text", "texto"), "date": ("a date", "una fecha"), "int": ("a whole number", "un número entero"),
             "money": ("an amount", "un monto"), "share": ("a share (a percentage)", "una proporción (porcentaje)"),
             "points": ("a number of percentage points", "un número de puntos porcentuales"),
             "choice": ("one of the offered choices", "una de las opciones ofrecidas")}

    def check(self, ctx: Context) -> Iterator[Finding]:
        project = ctx.budget.project
        for key, cell, raw in project.odd:
            if key.startswith("funding:"):  # a rule of the Components or outside-lines table
                choices = ", ".join(structure.FUNDING_RULES)
                yield self.finding(ctx, layout.PROJECT_SHEET, cell, "one of the offered choices", str(raw),
                                   label=f"funding of {key[8:]}", kind=f"one of: {choices}",
                                   kind_es=f"una de: {choices}")
                continue
            field = layout.PROJECT_FIELD_BY_KEY[key]
            en, es = self.KINDS[field.kind]
            yield self.finding(ctx, layout.PROJECT_SHEET, cell, en, str(raw), label=field.label, kind=en, kind_es=es)
        for stated in project.stated:
            if stated.compared_with not in layout.STATED_COMPARED_WITH:
                yield self.finding(ctx, layout.PROJECT_SHEET, f"B{stated.row}", "TOTAL or SUB-TOTAL",
                                   stated.compared_with, label=f"'{stated.statement}' compared with",
                                   kind="TOTAL or SUB-TOTAL", kind_es="TOTAL o SUB-TOTAL")


RULES = (NotANumber(), NegativeAmount(), LineLabel(), IncompleteCosting(), TypedOverFormula(), DuplicateLine(),
         DuplicateRef(), OutsideBudget(), BlankRow(), MissingRef(), ProjectValue())
