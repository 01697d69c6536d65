"""Filling a Word template with the report context (docxtpl), safely.

Three guards that docxtpl does not give by default (ENGINEERING.md, "Word reports"):
- autoescape on, so that a cell text such as "R&D" or "<50%" comes out exactly as typed;
- the template's variables are checked against the context before rendering, and an unknown
  name stops the compile naming it (docxtpl would otherwise print nothing in its place);
- jinja2's StrictUndefined, so that a misspelt field inside a table row (row.budgte) fails too.
Once filled, every table's columns are made wide enough for their longest word (fit.py).
The document is written through `atomic_output`: a failed render never leaves a half-written file.
"""

from __future__ import annotations

import io
from pathlib import Path

import jinja2
from docx.shared import Mm
from docxtpl import DocxTemplate, InlineImage

from compiler.outputs import atomic_output
from compiler.problems import MifkitError
from compiler.report.charts import Chart
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


def missing_variables(template: str | Path, context: dict) -> list[str]:
    return sorted(template_variables(template) - set(context))


def _with_images(tpl: DocxTemplate, context: dict) -> dict:
    """Charts become InlineImages of this document; everything else is passed as it is."""
    return {key: InlineImage(tpl, io.BytesIO(value.png), width=Mm(value.width_mm)) if isinstance(value, Chart)
            else value for key, value in context.items()}


def render(template: str | Path, context: dict, out: str | Path, *, force: bool = False,
           inputs: tuple[str | Path, ...] = ()) -> Path:
    """Render `template` with `context` into `out` (atomically); fails naming any unknown variable."""
    missing = missing_variables(template, context)
    if missing:
        raise TemplateError(f"{template}: the template uses {', '.join(missing)}, which the report does not "
                            "provide; correct the tag in Word (see the README for the names a template can use)")
    tpl = DocxTemplate(str(template))
    with atomic_output(out, force=force, inputs=inputs) as tmp:
        try:
            tpl.render(_with_images(tpl, context), jinja_env=_environment(), autoescape=True)
        except jinja2.UndefinedError as exc:
            raise TemplateError(f"{template}: {exc.message}; correct the tag in Word") from None
        except jinja2.TemplateSyntaxError as exc:
            raise TemplateError(f"{template}: a tag is broken ({exc.message})") from None
        fit_tables(tpl.docx)
        tpl.save(tmp)
    return Path(out)
