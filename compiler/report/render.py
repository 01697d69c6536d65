"""Filling a Word template with the report context (docxtpl), safely.

Three guards that docxtpl does not give by default (ENGINEERING.md, "Word reports"):
- autoescape on, so that a cell text such as "R&D" or "<50%" comes out exactly as typed;
- the template's variables are checked against the context before rendering, and an unknown
  name stops the compile naming it (docxtpl would otherwise print nothing in its place);
- jinja2's StrictUndefined, so that a misspelt field inside a table row (row.budgte) fails too.
Charts become native Word charts: a chart part each, placed where its tag is (`_WordChart`).
Once filled, every table's columns are made wide enough for their longest word (fit.py).
The document is written through `atomic_output`: a failed render never leaves a half-written file.
"""

from __future__ import annotations

import io
import itertools
from pathlib import Path
from xml.sax.saxutils import quoteattr

import jinja2
from docx.opc.constants import RELATIONSHIP_TYPE
from docx.opc.part import Part
from docxtpl import DocxTemplate
from jinja2 import meta

from compiler.outputs import atomic_output
from compiler.problems import MifkitError
from compiler.report.charts import DATA_RELATIONSHIP, Chart
from compiler.report.fit import fit_tables


class TemplateError(MifkitError):
    """A report template that does not fit the context (unknown variable, broken tag)."""


def _environment() -> jinja2.Environment:
    return jinja2.Environment(undefined=jinja2.StrictUndefined, autoescape=True)


def template_variables(template: str | Path) -> set[str]:
    """The top-level names a template uses (what the context must provide)."""
    try:
        return DocxTemplate(str(template)).get_undeclared_template_variables(_environment())
    except jinja2.TemplateSyntaxError as exc:
        raise TemplateError(f"{template}: a tag is broken ({exc.message}); check the {{{{ }}}} and {{% %}} "
                            "tags in Word (each tag must be typed in one go, with straight quotes)") from None


CHART_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.drawingml.chart+xml"
WORKBOOK_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_EMU_PER_MM = 36_000


def data_workbook(rows: tuple[tuple, ...]) -> bytes:
    """A chart's data sheet as a workbook of one sheet (Sheet1, as the chart's references say), for Word's
    "Edit Data"; xlsxwriter writes it in a few milliseconds."""
    import xlsxwriter

    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = workbook.add_worksheet("Sheet1")
    for number, row in enumerate(rows):
        sheet.write_row(number, 0, row)
    sheet.set_column(0, 0, max((len(str(row[0])) for row in rows), default=10) + 2)
    workbook.close()
    return buffer.getvalue()


class _WordChart:
    """A chart where its tag is, as docxtpl's InlineImage places a picture: when the template is filled, the
    chart's part is added to the document and the tag's run gives way to a run holding the chart."""

    def __init__(self, tpl: DocxTemplate, chart: Chart, numbers: itertools.count):
        self.tpl, self.chart, self.numbers = tpl, chart, numbers

    def __html__(self) -> str:
        part = self.tpl.current_rendering_part
        package = part.package
        chart_part = Part(package.next_partname("/word/charts/chart%d.xml"), CHART_CONTENT_TYPE, self.chart.xml,
                          package)
        sheet = Part(package.next_partname("/word/embeddings/Microsoft_Excel_Worksheet%d.xlsx"),
                     WORKBOOK_CONTENT_TYPE, data_workbook(self.chart.data), package)
        if chart_part.relate_to(sheet, RELATIONSHIP_TYPE.PACKAGE) != DATA_RELATIONSHIP:
            raise AssertionError("a new chart part's first relationship is its data sheet")
        relationship = part.relate_to(chart_part, RELATIONSHIP_TYPE.CHART)
        number = next(self.numbers)   # its name in Word's selection pane; docxtpl renumbers the drawing ids
        width, height = round(self.chart.width_mm * _EMU_PER_MM), round(self.chart.height_mm * _EMU_PER_MM)
        inline = (
            '<wp:inline distT="0" distB="0" distL="0" distR="0" '
            'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing">'
            f'<wp:extent cx="{width}" cy="{height}"/><wp:effectExtent l="0" t="0" r="0" b="0"/>'
            f'<wp:docPr id="{number}" name="Chart {number}" descr={quoteattr(self.chart.title)}/>'
            '<wp:cNvGraphicFramePr/>'
            '<a:graphic xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main">'
            '<a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/chart">'
            '<c:chart xmlns:c="http://schemas.openxmlformats.org/drawingml/2006/chart" '
            'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" '
            f'r:id="{relationship}"/></a:graphicData></a:graphic></wp:inline>')
        return f'</w:t></w:r><w:r><w:drawing>{inline}</w:drawing></w:r><w:r><w:t xml:space="preserve">'

    __str__ = __html__


def _with_charts(tpl: DocxTemplate, context: dict) -> dict:
    """Charts become native Word charts of this document; everything else is passed as it is."""
    numbers = itertools.count(1)
    return {key: _WordChart(tpl, value, numbers) if isinstance(value, Chart) else value
            for key, value in context.items()}


class _CheckedTemplate(DocxTemplate):
    """A template whose names are checked against the context on the very text it fills, part by part (body,
    headers, footers), so that the template is read and prepared once, not once to check and again to fill."""

    def render_xml_part(self, xml, part, context, jinja_env=None):
        missing = sorted(meta.find_undeclared_variables(jinja_env.parse(xml)) - set(context))
        if missing:
            raise TemplateError(f"{self.template_file}: the template uses {', '.join(missing)}, which the report "
                                "does not provide; correct the tag in Word (see the README for the names a "
                                "template can use)")
        return super().render_xml_part(xml, part, context, jinja_env)


def render(template: str | Path, context: dict, out: str | Path, *, force: bool = False,
           inputs: tuple[str | Path, ...] = ()) -> Path:
    """Render `template` with `context` into `out` (atomically); fails naming any unknown variable."""
    tpl = _CheckedTemplate(str(template))
    with atomic_output(out, force=force, inputs=inputs) as tmp:
        try:
            tpl.render(_with_charts(tpl, context), jinja_env=_environment(), autoescape=True)
        except jinja2.UndefinedError as exc:
            raise TemplateError(f"{template}: {exc.message}; correct the tag in Word") from None
        except jinja2.TemplateSyntaxError as exc:
            raise TemplateError(f"{template}: a tag is broken ({exc.message})") from None
        fit_tables(tpl.docx)
        tpl.save(tmp)
    return Path(out)
