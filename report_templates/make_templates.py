"""Write the first versions of the Word report templates (one per kind and language).

Run once: `python -m report_templates.make_templates [--force]`.  After that the committed .docx
files are the source of truth: people edit them in Word, and this script is kept only to show how
they were made.  Rules the templates follow (so docxtpl can read them after editing in Word):
every tag is written as one run; table rows repeat with `{%tr for row in rows %}` … `{%tr endfor %}`
(never nested); paragraphs repeat with `{%p for para in problems %}` … `{%p endfor %}`.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor, Twips

HERE = Path(__file__).parent
RED = RGBColor(0xC6, 0x28, 0x28)

L = {
    "en": {
        "project": "Project", "agency": "Executing agency", "country": "Country", "period": "Period",
        "due": "Due date", "compiled": "Compiled on", "from": "Compiled by mifkit from",
        "summary": "Executive summary", "key": "Key figures", "figure": "Figure", "value": "Value",
        "financial": "Financial performance", "by_component": "Budget and execution by component",
        "by_source": "Budget and execution by source", "component": "Component", "source": "Source",
        "budget": "Budget", "in_period": "Executed in the period", "to_date": "Executed to date",
        "pct": "% executed", "pari": "Pari passu", "semester": "Semester", "donor": "{{ donor_name }}",
        "counterpart": "Counterpart", "share": "Counterpart share", "agreed": "Agreed", "owed": "Counterpart owed",
        "status": "Status", "disb": "{{ donor_name }} disbursements and revolving fund",
        "disb_text": "{{ donor_name }} disbursed to date: ", "cap_text": "Revolving fund cap: ",
        "requested": "Requested", "received": "Received", "cumulative": "Received to date",
        "advance": "Revolving-fund advance", "justified": "Justified", "outstanding": "Advance outstanding",
        "overspent": "Lines overspent", "ref": "Ref.", "item": "Item", "executed": "Executed", "over": "Over budget",
        "activities": "Activities", "activity": "Activity", "outcomes": "Outcomes",
        "indicator": "Indicator", "code": "Code", "baseline": "Baseline", "target": "Target",
        "milestone": "Milestone", "actual": "Actual", "comment": "Comment",
        "problems": "Problems and actions taken", "problems_h": "Problems", "actions_h": "Actions taken",
        "admin": "Administrative matters", "achievements": "Achievements",
        "council": "Follow-up on the decisions of the strategy councils",
        "plan": "Outcomes against the work plan", "budget_perf": "Budget performance",
        "annex": "Annex: validation findings still open", "cell": "Cell", "message": "Message",
        "severity": "Severity", "whole": "Financial performance over the whole project",
        "charts": "Charts", "contents": "Contents", "page": "Page", "of": "of", "amounts": "Amounts in",
        "donor_cum": "{{ donor_name }} to date", "cp_cum": "Counterpart to date",
        "by_year": "Planned and executed by budget year", "year_h": "Budget year", "planned": "Planned",
        "note": "Note", "ind_comments": "Comments on the indicators",
        "fund": "Into the revolving fund", "fund_type": "Advance or replenishment",
        "evaluations": "Evaluations", "evaluation": "Evaluation", "rule": "Falls due when",
        "basis": "In this project", "due_on": "Due on",
        "signature": "Signature", "submitted": "Submitted by the executing agency,", "role": "Role",
        "name": "Name", "sign": "Signature", "date": "Date", "director": "Project director",
        "plan_disb": "Disbursement milestones and projection", "projected": "Projected", "met": "Met",
        "condition": "Milestone (condition of the disbursement)", "projection_h": "Projection to the end",
        "next_plan": "Work plan for the next semester", "risks": "Risks", "risk": "Risk", "rating": "Rating",
        "mitigation": "Mitigation", "audits": "External audits", "audit": "Audit", "covers": "Period audited",
        "delivered": "Delivered", "opinion": "Opinion",
        "compliance": "Environmental and occupational safety compliance", "lessons": "Lessons learned",
        "closing_h": "End-of-project assessment",
        "revisions_h": "Budget revisions", "rev_no": "No.", "approval": "Approval reference",
        "in_force": "In force", "by_line": "Approved, current and executed budget by line",
        "original": "Approved budget", "current": "Current budget", "pct_original": "% of approved",
        "pct_current": "% of current spent",
        "local": "Spending in local currency and exchange differences", "local_amount": "Paid in {{ local_code }}",
        "converted": "In {{ currency }}", "rates": "Rate(s) used", "difference": "Exchange difference",
    },
    "es": {
        "project": "Proyecto", "agency": "Organismo ejecutor", "country": "País", "period": "Período",
        "due": "Fecha de entrega", "compiled": "Compilado el", "from": "Compilado por mifkit a partir de",
        "summary": "Resumen ejecutivo", "key": "Cifras clave", "figure": "Cifra", "value": "Valor",
        "financial": "Desempeño financiero", "by_component": "Presupuesto y ejecución por componente",
        "by_source": "Presupuesto y ejecución por fuente", "component": "Componente", "source": "Fuente",
        "budget": "Presupuesto", "in_period": "Ejecutado en el período", "to_date": "Ejecutado a la fecha",
        "pct": "% ejecutado", "pari": "Pari passu", "semester": "Semestre", "donor": "{{ donor_name }}",
        "counterpart": "Contrapartida", "share": "Participación de la contrapartida", "agreed": "Acordada",
        "owed": "Contrapartida pendiente", "status": "Estado",
        "disb": "Desembolsos {{ donor_of }} y fondo rotatorio",
        "disb_text": "Desembolsado por {{ donor_the }} a la fecha: ",
        "cap_text": "Tope del fondo rotatorio: ",
        "requested": "Solicitado", "received": "Recibido", "cumulative": "Recibido a la fecha",
        "advance": "Anticipo del fondo rotatorio", "justified": "Justificado", "outstanding": "Anticipo pendiente",
        "overspent": "Líneas sobreejecutadas", "ref": "Ref.", "item": "Rubro", "executed": "Ejecutado",
        "over": "Exceso", "activities": "Actividades", "activity": "Actividad", "outcomes": "Resultados",
        "indicator": "Indicador", "code": "Código", "baseline": "Línea de base", "target": "Meta",
        "milestone": "Hito", "actual": "Real", "comment": "Comentario",
        "problems": "Problemas y medidas adoptadas", "problems_h": "Problemas", "actions_h": "Medidas adoptadas",
        "admin": "Asuntos administrativos", "achievements": "Logros",
        "council": "Seguimiento de las decisiones de los consejos estratégicos",
        "plan": "Resultados frente al plan de trabajo", "budget_perf": "Desempeño presupuestario",
        "annex": "Anexo: observaciones de validación pendientes", "cell": "Celda", "message": "Mensaje",
        "severity": "Gravedad", "whole": "Desempeño financiero de todo el proyecto",
        "charts": "Gráficos", "contents": "Contenido", "page": "Página", "of": "de", "amounts": "Cifras en",
        "donor_cum": "{{ donor_name }} acumulado", "cp_cum": "Contrapartida acumulada",
        "by_year": "Programado y ejecutado por año del presupuesto", "year_h": "Año del presupuesto",
        "planned": "Programado", "note": "Nota", "ind_comments": "Comentarios sobre los indicadores",
        "fund": "Al fondo rotatorio", "fund_type": "Anticipo o reposición",
        "evaluations": "Evaluaciones", "evaluation": "Evaluación", "rule": "Vence cuando",
        "basis": "En este proyecto", "due_on": "Vence el",
        "signature": "Firma", "submitted": "Presentado por el organismo ejecutor,", "role": "Cargo",
        "name": "Nombre", "sign": "Firma", "date": "Fecha", "director": "Director del proyecto",
        "plan_disb": "Hitos de desembolso y proyección", "projected": "Proyectado", "met": "Cumplido",
        "condition": "Hito (condición del desembolso)", "projection_h": "Proyección hasta el final",
        "next_plan": "Plan de trabajo del próximo semestre", "risks": "Riesgos", "risk": "Riesgo",
        "rating": "Calificación", "mitigation": "Mitigación", "audits": "Auditorías externas", "audit": "Auditoría",
        "covers": "Período auditado", "delivered": "Entregada", "opinion": "Opinión",
        "compliance": "Cumplimiento ambiental y de seguridad ocupacional", "lessons": "Lecciones aprendidas",
        "closing_h": "Evaluación de cierre del proyecto",
        "revisions_h": "Revisiones del presupuesto", "rev_no": "N.º", "approval": "Referencia de aprobación",
        "in_force": "Vigente", "by_line": "Presupuesto aprobado, vigente y ejecutado por línea",
        "original": "Presupuesto aprobado", "current": "Presupuesto vigente", "pct_original": "% del aprobado",
        "pct_current": "% del vigente gastado",
        "local": "Gasto en moneda local y diferencias cambiarias", "local_amount": "Pagado en {{ local_code }}",
        "converted": "En {{ currency }}", "rates": "Tipo(s) de cambio", "difference": "Diferencia cambiaria",
    },
}


LANG_TAG = {"en": "en-US", "es": "es-PE"}
FONT = "Arial"            # in Word; LibreOffice prints it with the metric-compatible Liberation Sans
PAGE_CM = (21.0, 29.7)    # A4
MARGIN_CM = 2.0
TEXT_CM = PAGE_CM[0] - 2 * MARGIN_CM
GREY = RGBColor(0x59, 0x59, 0x59)
HEADER_FILL = "D9E2F3"

TEXT_FIELDS = {"item", "text", "message", "activity", "comment", "target", "actual", "label", "name", "rule",
               "basis", "condition", "risk", "mitigation", "opinion", "approval", "revision_note"}

# Starting widths: wide columns share the room in proportion to these weights (an indicator's text is
# long, its target short).  The renderer widens any column whose longest word would not fit
# (compiler/report/fit.py), so these only need to be sensible.
WIDE_WEIGHT = {"text": 2.6, "activity": 2.2, "message": 2.4, "item": 1.6, "name": 1.8, "label": 2.4,
               "condition": 2.6, "risk": 2.0, "mitigation": 2.0, "comment": 1.6, "opinion": 2.0}
FIXED_CM = {"code": 1.4, "ref": 1.2, "baseline": 2.0, "milestone": 1.9, "status": 2.2, "severity": 2.0,
            "component": 2.0, "cell": 2.6, "value": 3.0, "type": 2.2, "due": 2.9, "note": 2.0,
            "met": 2.0, "rating": 1.9, "covers": 3.1, "delivered": 2.9, "audit": 2.1, "number": 1.0, "date": 2.8,
            "in_force": 1.5}
NOT_FIGURES = {"code", "ref", "status", "severity", "component", "cell", "source", "type", "due", "note", "met",
               "rating", "covers", "delivered", "audit", "number", "date", "in_force"}
SEMESTER_CM = 2.9  # "Semestre 1: jul–dic 2004" on two lines


def _el(tag: str, **attrs: str):
    element = OxmlElement(tag)
    for key, value in attrs.items():
        element.set(qn(key), value)
    return element


def _widths(table, columns: list[tuple[str, str]]) -> None:
    """Text columns wide, figure columns narrow and right-aligned (the page's text width in all)."""
    fields = [field for _label, field in columns]
    wide = [field in TEXT_FIELDS for field in fields]
    fixed = {n: FIXED_CM[f] for n, f in enumerate(fields) if f in FIXED_CM and not wide[n]}
    fixed.update({n: SEMESTER_CM for n, (label, _f) in enumerate(columns) if label == "semester"})
    free = [n for n in range(len(fields)) if not wide[n] and n not in fixed]
    room = TEXT_CM - sum(fixed.values())
    narrow_cm = min(2.6, (room - 3.5 * wide.count(True)) / max(1, len(free)))
    weights = {n: WIDE_WEIGHT.get(fields[n], 1.0) for n in range(len(fields)) if wide[n]}
    spare = room - narrow_cm * len(free)
    sizes = [spare * weights[n] / sum(weights.values()) if wide[n] else fixed.get(n, narrow_cm)
             for n in range(len(fields))]
    if not any(wide):  # nothing wide: the figures share the room left
        sizes = [fixed.get(n, (room / max(1, len(free)))) for n in range(len(fields))]
    for column, size in zip(table.columns, sizes, strict=True):
        column.width = Cm(size)
    for row in table.rows:
        for n, (cell, size) in enumerate(zip(row.cells, sizes, strict=True)):
            cell.width = Cm(size)
            figure = not wide[n] and fields[n] not in NOT_FIGURES and columns[n][0] != "semester"
            if figure and not cell.paragraphs[0].text.startswith("{%tr"):
                cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
            cell.paragraphs[0].paragraph_format.space_after = Pt(0)
            for run in cell.paragraphs[0].runs:
                run.font.size = Pt(8)


def _row_rules(table) -> None:
    """The header row repeats on every page the table runs onto; no row is split across two pages."""
    for n, row in enumerate(table.rows):
        properties = row._tr.get_or_add_trPr()
        properties.append(_el("w:cantSplit"))
        if n == 0:
            properties.append(_el("w:tblHeader"))
            for cell in row.cells:
                cell._tc.get_or_add_tcPr().append(_el("w:shd", **{"w:val": "clear", "w:color": "auto",
                                                                     "w:fill": HEADER_FILL}))


def _field(paragraph, instruction: str, shown: str, size: int | None = None) -> None:
    """A Word field (PAGE, NUMPAGES, TOC...) that Word and LibreOffice compute; `shown` until they do."""
    def run(child=None, text: str | None = None):
        r = paragraph.add_run(text)
        if size:
            r.font.size = Pt(size)
        if child is not None:
            r._r.append(child)
    run(_el("w:fldChar", **{"w:fldCharType": "begin", "w:dirty": "true"}))
    code = _el("w:instrText")
    code.set(qn("xml:space"), "preserve")
    code.text = f" {instruction} "
    run(code)
    run(_el("w:fldChar", **{"w:fldCharType": "separate"}))
    run(text=shown)
    run(_el("w:fldChar", **{"w:fldCharType": "end"}))


class _Doc:
    def __init__(self, lang: str):
        self.doc = Document()
        self.w = L[lang]
        self.new_page = False
        self._styles(lang)
        self._page()

    def _styles(self, lang: str) -> None:
        """One font throughout (theme fonts removed, so Word and LibreOffice agree), and the document's
        language, so that Word checks the spelling of the Spanish report in Spanish."""
        styles = self.doc.styles
        defaults = styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
        fonts = defaults.find(qn("w:rFonts"))
        for key in list(fonts.attrib):
            del fonts.attrib[key]
        for key in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
            fonts.set(qn(key), FONT)
        language = defaults.find(qn("w:lang"))
        language.set(qn("w:val"), LANG_TAG[lang])
        language.set(qn("w:eastAsia"), LANG_TAG[lang])
        for style in styles:
            r_fonts = style.element.find(qn("w:rPr") + "/" + qn("w:rFonts")) if style.element is not None else None
            if r_fonts is not None:
                for key in list(r_fonts.attrib):
                    if "Theme" in key or "theme" in key:
                        del r_fonts.attrib[key]
        normal = styles["Normal"]
        normal.font.name = FONT
        normal.font.size = Pt(10)
        normal.paragraph_format.space_after = Pt(6)
        normal.paragraph_format.line_spacing = 1.1
        for level, size in ((1, 14), (2, 12)):
            heading = styles[f"Heading {level}"]
            heading.font.name = FONT
            heading.font.size = Pt(size)
            heading.paragraph_format.space_before = Pt(14 if level == 1 else 10)
            heading.paragraph_format.space_after = Pt(4)
        self.doc.core_properties.language = LANG_TAG[lang]

    def _page(self) -> None:
        """A4 with 2 cm margins; the running header (project, report, period, and DRAFT on a draft) and
        the footer (page X of Y, Word fields) on every page."""
        section = self.doc.sections[0]
        section.page_width, section.page_height = Cm(PAGE_CM[0]), Cm(PAGE_CM[1])
        section.left_margin = section.right_margin = Cm(MARGIN_CM)
        section.top_margin, section.bottom_margin = Cm(2.3), Cm(2.0)
        section.header_distance = section.footer_distance = Cm(1.0)
        header = section.header.paragraphs[0]
        stops = header.paragraph_format.tab_stops
        for inherited in (4680, 9360):  # the Header style's centre and right stops, for US Letter margins
            stops.add_tab_stop(Twips(inherited), WD_TAB_ALIGNMENT.CLEAR)
        stops.add_tab_stop(Cm(TEXT_CM), WD_TAB_ALIGNMENT.RIGHT)
        for piece in ("{{ project_number }}", " · ", "{{ report_title }}", " · ", "{{ period_name }}", "\t"):
            run = header.add_run(piece)
            run.font.size, run.font.color.rgb = Pt(8), GREY
        mark = header.add_run("{{ draft_mark }}")
        mark.font.size, mark.font.color.rgb, mark.bold = Pt(10), RED, True
        footer = section.footer.paragraphs[0]
        footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
        footer.add_run(f"{self.w['page']} ").font.size = Pt(8)
        _field(footer, "PAGE", "1", size=8)
        footer.add_run(f" {self.w['of']} ").font.size = Pt(8)
        _field(footer, "NUMPAGES", "1", size=8)

    def para(self, *runs: str, bold: bool = False, color: RGBColor | None = None, size: int | None = None,
             center: bool = False, italic: bool = False, keep: bool = False) -> None:
        """A paragraph whose runs are the given pieces: a tag is always one whole piece.  `keep`: on the
        same page as what follows (the sentence that introduces a table)."""
        p = self.doc.add_paragraph()
        p.paragraph_format.keep_with_next = keep or None
        if center:
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        for text in runs:
            run = p.add_run(text)
            run.bold = bold
            run.italic = italic
            if color is not None:
                run.font.color.rgb = color
            if size:
                run.font.size = Pt(size)

    def field(self, label: str, tag: str) -> None:
        p = self.doc.add_paragraph()
        p.add_run(f"{self.w[label]}: ").bold = True
        p.add_run(tag)

    def heading(self, key_or_text: str, level: int = 1) -> None:
        """A heading; the first after the contents starts a new page (a page break of its own would leave a blank
        page whenever the contents fill their page exactly)."""
        heading = self.doc.add_heading(self.w.get(key_or_text, key_or_text), level)
        if self.new_page:
            heading.paragraph_format.page_break_before = True
            self.new_page = False

    def paragraphs(self, var: str) -> None:
        """Repeat one paragraph per item of the list `var`."""
        self.para(f"{{%p for para in {var} %}}")
        self.para("{{ para }}")
        self.para("{%p endfor %}")

    def amounts(self) -> None:
        """The currency of a money table, said once above it."""
        self.para(f"{self.w['amounts']} ", "{{ currency }}", italic=True, size=8, color=GREY, keep=True)

    def table(self, var: str, columns: list[tuple[str, str]], total: str | None = None, whole: bool = False) -> None:
        """A table with a header row, one row per item of `var`, and an optional total row (dict `total`).

        `whole`: a short table kept on one page (each row kept with the next); a long one runs on, its header
        row repeated, but its header row is never left alone at the foot of a page."""
        table = self.doc.add_table(rows=0, cols=len(columns))
        table.style = "Table Grid"
        table.autofit = False
        cells = table.add_row().cells
        for cell, (label, _field) in zip(cells, columns, strict=True):
            cell.paragraphs[0].add_run(self.w.get(label, label)).bold = True
        table.add_row().cells[0].paragraphs[0].add_run(f"{{%tr for row in {var} %}}")
        for cell, (_label, field) in zip(table.add_row().cells, columns, strict=True):
            cell.paragraphs[0].add_run(f"{{{{ row.{field} }}}}")
        table.add_row().cells[0].paragraphs[0].add_run("{%tr endfor %}")
        if total:
            for n, (cell, (_label, field)) in enumerate(zip(table.add_row().cells, columns, strict=True)):
                cell.paragraphs[0].add_run(f"{{{{ {total}.{'name' if n == 0 else field} }}}}").bold = True
        _widths(table, columns)
        _row_rules(table)
        for n, row in enumerate(table.rows):
            if n == 0 or (whole and n < len(table.rows) - 1):
                for cell in row.cells:
                    cell.paragraphs[0].paragraph_format.keep_with_next = True
        self.doc.add_paragraph()

    def image(self, var: str) -> None:
        self.para(f"{{{{ {var} }}}}", center=True)

    # -- shared blocks --------------------------------------------------------------------------------
    def cover(self) -> None:
        self.para("{{ draft_banner }}", bold=True, color=RED, size=16, center=True)
        self.para("{{ draft_reason }}", color=RED)
        self.para("{{ report_title }}", bold=True, size=20, center=True)
        self.para("{{ project_title }}", bold=True, size=13, center=True)
        self.field("project", "{{ project_number }}")
        self.field("agency", "{{ executing_agency }}")
        self.field("country", "{{ country }}")
        p = self.doc.add_paragraph()
        p.add_run(f"{self.w['period']}: ").bold = True
        for piece in ("{{ period_name }}", " (", "{{ period_start }}", " – ", "{{ period_end }}", ")"):
            p.add_run(piece)
        self.field("due", "{{ due_date }}")
        self.field("compiled", "{{ compiled_on }}")
        p = self.doc.add_paragraph()
        for piece in (f"{self.w['from']} ", "{{ budget_file }}", " · ", "{{ logframe_file }}"):
            p.add_run(piece)
        self.contents()

    def contents(self) -> None:
        """The table of contents: a Word TOC field (headings 1-2), filled when the PDF is made and by
        Word's Update Field."""
        self.para(self.w["contents"], bold=True, size=14)
        _field(self.doc.add_paragraph(), 'TOC \\o "1-2" \\h \\z \\u', "–")
        self.new_page = True  # the next heading starts the body on a page of its own

    def summary(self) -> None:
        self.heading("summary")
        self.para("{{ summary_text }}")
        self.heading("key", 2)
        self.amounts()
        self.table("key_figures", [("figure", "label"), ("value", "value")], whole=True)

    def components(self) -> None:
        self.heading("by_component", 2)
        self.para("{{ financial_basis }}", keep=True)
        self.amounts()
        self.table("components", [("component", "name"), ("budget", "budget"), ("in_period", "period"),
                                  ("to_date", "cumulative"), ("pct", "pct")], total="components_total",
                   whole=True)
        self.image("chart_components")

    def years(self) -> None:
        self.heading("by_year", 2)
        self.amounts()
        self.table("years", [("year_h", "name"), ("planned", "planned"), ("executed", "executed"), ("pct", "pct"),
                             ("note", "note")], total="years_total", whole=True)

    def sources(self) -> None:
        self.heading("by_source", 2)
        self.amounts()
        self.table("sources", [("source", "name"), ("budget", "budget"), ("in_period", "period"),
                               ("to_date", "cumulative"), ("pct", "pct")], total="sources_total", whole=True)

    def pari(self) -> None:
        self.heading("pari", 2)
        self.para("{{ pari_passu_text }}", keep=True)
        self.para("{%p if pari_passu_applies %}")
        self.amounts()
        self.table("pari_passu", [("semester", "period"), ("donor_cum", "donor"), ("cp_cum", "counterpart"),
                                  ("share", "share"), ("agreed", "agreed"), ("owed", "owed"), ("status", "status")],
                   whole=True)
        self.image("chart_pari_passu")
        self.para("{%p endif %}")

    def disbursements(self) -> None:
        self.heading("disb", 2)
        self.para(self.w["disb_text"], "{{ currency }}", " ", "{{ mif_disbursed }}")
        self.para(self.w["cap_text"], "{{ currency }}", " ", "{{ revolving_fund_cap }}")
        self.amounts()
        self.table("disbursements", [("semester", "period"), ("requested", "requested"), ("received", "received"),
                                     ("cumulative", "cumulative"), ("fund", "advance"), ("fund_type", "type"),
                                     ("justified", "justified"), ("outstanding", "outstanding")], whole=True)
        self.para("{{ cash_text }}")
        self.image("chart_cumulative")

    def local(self) -> None:
        """Spending paid in the local currency, shown only when the project has some."""
        self.para("{%p if has_local %}")
        self.heading("local", 2)
        self.para("{{ local_text }}", keep=True)
        self.amounts()
        self.table("local_rows", [("semester", "period"), ("local_amount", "local"), ("converted", "converted"),
                                  ("rates", "rates"), ("difference", "difference")], total="local_total", whole=True)
        self.para("{%p endif %}")

    def evaluations(self) -> None:
        self.heading("evaluations", 2)
        self.table("evaluations", [("evaluation", "name"), ("rule", "rule"), ("basis", "basis"),
                                   ("due_on", "due"), ("status", "status")], whole=True)

    def milestones(self, projection: bool = True) -> None:
        """The disbursement milestones to date (met or not) and the projection of the semesters ahead."""
        self.heading("plan_disb", 2)
        self.para("{{ milestones_text }}", keep=True)
        self.amounts()
        self.table("milestones", [("semester", "period"), ("condition", "condition"), ("projected", "projected"),
                                  ("received", "received"), ("met", "met")], whole=True)
        self.para("{{ projection_text }}", keep=projection)
        if projection:
            self.amounts()
            self.table("projection", [("semester", "period"), ("condition", "condition"), ("projected", "projected")],
                       total="projection_total", whole=True)

    def audits(self) -> None:
        self.heading("audits", 2)
        self.para("{{ audits_text }}", keep=True)
        self.table("audits", [("audit", "audit"), ("covers", "covers"), ("due_on", "due"), ("delivered", "delivered"),
                              ("status", "status"), ("opinion", "opinion")], whole=True)

    def risks(self, level: int = 1) -> None:
        self.heading("risks", level)
        self.para("{{ risks_text }}", keep=True)
        self.table("risks", [("code", "code"), ("risk", "risk"), ("rating", "rating"), ("mitigation", "mitigation"),
                             ("status", "status"), ("comment", "comment")], whole=True)

    def closing(self) -> None:
        """The final report's end-of-project assessment: one paragraph per topic, its name in bold."""
        self.heading("closing_h")
        self.para("{{ closing_advance }}")
        self.para("{%p for item in closing %}")
        p = self.doc.add_paragraph()
        p.add_run("{{ item.topic }}").bold = True
        p.add_run(". ")
        p.add_run("{{ item.text }}")
        self.para("{%p endfor %}")

    def overspent(self) -> None:
        self.heading("overspent", 2)
        self.para("{{ overspent_text }}", keep=True)
        self.amounts()
        self.table("overspent", [("ref", "ref"), ("item", "item"), ("source", "source"), ("budget", "budget"),
                                 ("executed", "executed"), ("over", "over")], whole=True)

    def revisions(self) -> None:
        """The register of revisions and the budget by line as approved, in force and executed; only in the
        report of a project whose budget has been revised."""
        self.para("{%p if revisions %}")
        self.heading("revisions_h", 2)
        self.para("{{ revisions_text }}", keep=True)
        self.table("revisions", [("rev_no", "number"), ("date", "date"), ("approval", "approval"),
                                 ("note", "revision_note"), ("in_force", "in_force")], whole=True)
        self.heading("by_line", 3)
        self.amounts()
        self.table("revision_lines", [("ref", "ref"), ("item", "item"), ("original", "original"),
                                      ("current", "current"), ("pct_original", "pct_original"),
                                      ("executed", "executed"), ("pct_current", "pct_current")],
                   total="revision_total")
        self.para("{%p endif %}")

    def activities(self, level: int = 1) -> None:
        self.heading("activities", level)
        self.para("{%p if activities %}")
        self.table("activities", [("component", "component"), ("activity", "activity"), ("status", "status"),
                                  ("comment", "comment")])
        self.para("{%p else %}")
        self.para("{{ activities_none }}")
        self.para("{%p endif %}")

    def outcomes(self, level: int = 1) -> None:
        self.heading("outcomes", level)
        self.para("{{ indicators_text }}", keep=True)
        self.para("{%p if indicators %}")
        self.table("indicators", [("code", "code"), ("indicator", "text"), ("baseline", "baseline"),
                                  ("target", "target"), ("milestone", "milestone"), ("actual", "actual"),
                                  ("status", "status")])
        self.image("chart_indicators")
        self.para("{{ indicator_summary }}")
        self.para("{%p endif %}")
        self.para(self.w["ind_comments"], bold=True, keep=True)
        self.paragraphs("indicator_comments")

    def problems(self) -> None:
        self.heading("problems")
        self.paragraphs("problems")

    def narrative(self, heading: str, var: str) -> None:
        self.heading(heading)
        self.paragraphs(var)

    def signature(self) -> None:
        """Where the project director signs: the report goes to the Bank under the executing agency's name."""
        self.heading("signature")
        self.para(f"{self.w['submitted']} ", "{{ executing_agency }}", ".", keep=True)
        table = self.doc.add_table(rows=2, cols=4)
        table.style = "Table Grid"
        table.autofit = False
        for n, key in enumerate(("role", "name", "sign", "date")):
            table.rows[0].cells[n].paragraphs[0].add_run(self.w[key]).bold = True
        table.rows[1].cells[0].paragraphs[0].add_run(self.w["director"])
        for column, size in zip(table.columns, (4.0, 5.0, 5.0, 3.0), strict=True):
            column.width = Cm(size)
        for row, height in zip(table.rows, (None, Cm(1.6)), strict=True):
            row.height = height
            for cell, size in zip(row.cells, (4.0, 5.0, 5.0, 3.0), strict=True):
                cell.width = Cm(size)
                for run in cell.paragraphs[0].runs:
                    run.font.size = Pt(9)
        _row_rules(table)
        for cell in table.rows[0].cells:
            cell.paragraphs[0].paragraph_format.keep_with_next = True

    def annex(self) -> None:
        self.doc.add_page_break()
        self.heading("annex")
        self.para("{{ findings_text }}", keep=True)
        self.table("findings", [("code", "code"), ("severity", "severity"), ("cell", "cell"),
                                ("message", "message")])


def semiannual(d: _Doc) -> None:
    d.cover()
    d.summary()
    d.heading("financial")
    d.components()
    d.years()
    d.sources()
    d.pari()
    d.disbursements()
    d.milestones()
    d.local()
    d.evaluations()
    d.audits()
    d.overspent()
    d.revisions()
    d.activities()
    d.outcomes()
    d.narrative("achievements", "achievements")
    d.problems()
    d.narrative("admin", "admin_matters")
    d.risks()
    d.narrative("compliance", "compliance")
    d.narrative("lessons", "lessons")
    d.narrative("next_plan", "next_plan")
    d.signature()
    d.annex()


def quarterly(d: _Doc) -> None:
    d.cover()
    d.narrative("achievements", "achievements")
    d.heading("plan")
    d.outcomes(2)
    d.activities(2)
    d.heading("budget_perf")
    d.para("{{ summary_text }}")
    d.components()
    d.sources()
    d.milestones()
    d.revisions()
    d.local()
    d.narrative("admin", "admin_matters")
    d.narrative("council", "council_followup")
    d.problems()
    d.risks()
    d.narrative("compliance", "compliance")
    d.narrative("next_plan", "next_plan")
    d.signature()
    d.annex()


def final(d: _Doc) -> None:
    d.cover()
    d.summary()
    d.heading("whole")
    d.components()
    d.years()
    d.sources()
    d.pari()
    d.disbursements()
    d.milestones(projection=False)
    d.local()
    d.evaluations()
    d.audits()
    d.overspent()
    d.revisions()
    d.activities()
    d.outcomes()
    d.narrative("achievements", "achievements")
    d.problems()
    d.narrative("admin", "admin_matters")
    d.risks()
    d.narrative("compliance", "compliance")
    d.narrative("lessons", "lessons")
    d.closing()
    d.signature()
    d.annex()


KINDS = {"semiannual": semiannual, "quarterly": quarterly, "final": final}


def write_templates(folder: Path, force: bool = False) -> list[Path]:
    written = []
    for kind, build in KINDS.items():
        for lang in L:
            path = folder / f"{kind}_{lang}.docx"
            if path.exists() and not force:
                continue
            d = _Doc(lang)
            build(d)
            d.doc.save(path)
            written.append(path)
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--force", action="store_true", help="overwrite templates edited since (careful)")
    args = parser.parse_args(argv)
    for path in write_templates(HERE, args.force):
        print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
