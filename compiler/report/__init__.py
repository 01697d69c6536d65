"""Compiling the progress reports (Word, and PDF through LibreOffice) from the workbooks.

`compile_report` is the one entry point for the command line (`mifkit compile`) and the Excel
add-in.  The flow is one way: workbooks -> models -> validation -> context -> template -> .docx
(-> .pdf).  A workbook with validation errors is refused unless `allow_errors`, and then the
cover says DRAFT and why.
"""

from __future__ import annotations

import datetime as dt
import shutil
import tempfile
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from compiler.findings import ERROR, Report
from compiler.outputs import atomic_output, check_output
from compiler.problems import EXIT_FINDINGS, MifkitError
from compiler.report.context import KINDS, ReportInputs, build_context
from compiler.report.formatting import LANGUAGES
from compiler.report.render import render

# The templates ship as package data of `report_templates` (pyproject), next to this package when installed.
TEMPLATES = Path(str(resources.files("report_templates")))


class ValidationRefused(MifkitError):
    """The workbooks have validation errors and --allow-errors was not given."""

    exit_code = EXIT_FINDINGS


@dataclass
class Compiled:
    """What a compile wrote, and the validation it was based on."""

    docx: Path
    pdf: Path | None
    validation: Report
    draft: bool
    seconds: dict[str, float] = field(default_factory=dict)


def template_path(kind: str, lang: str, folder: Path | None = None) -> Path:
    if kind not in KINDS:
        raise MifkitError(f"--kind must be one of {', '.join(KINDS)}, not {kind!r}")
    if lang not in LANGUAGES:
        raise MifkitError(f"--lang must be one of {', '.join(LANGUAGES)}, not {lang!r}")
    path = (folder or TEMPLATES) / f"{kind}_{lang}.docx"
    if not path.is_file():
        raise MifkitError(f"{path}: report template not found")
    return path


def _refusal(report: Report, source: str) -> ValidationRefused:
    first = next(f for f in report.findings if f.severity == ERROR)
    return ValidationRefused(
        f"{source}: not compiled: validation found {report.counts[ERROR]} error(s), first {first.code} at "
        f"{first.location}: {first.message} (run `mifkit validate` for all; --allow-errors compiles a DRAFT)")


def compile_report(budget_path: str | Path, logframe_path: str | Path | None, period: str, kind: str = "semiannual",
                   lang: str = "en", out: str | Path = "report.docx", *, pdf: bool = False,
                   allow_errors: bool = False, force: bool = False, templates: Path | None = None,
                   today: dt.date | None = None) -> Compiled:
    """Compile one report; see `compile_reports` for several (one LibreOffice call for all PDFs)."""
    return compile_reports(budget_path, logframe_path, period, [(kind, lang, out)], pdf=pdf,
                           allow_errors=allow_errors, force=force, templates=templates, today=today)[0]


def compile_reports(budget_path: str | Path, logframe_path: str | Path | None, period: str,
                    jobs: list[tuple[str, str, str | Path]], *, pdf: bool = False, allow_errors: bool = False,
                    force: bool = False, templates: Path | None = None,
                    today: dt.date | None = None) -> list[Compiled]:
    """Compile reports (kind, lang, out) of one period from the same workbooks.

    Raises ValidationRefused (exit 1) when validation finds errors and not `allow_errors`;
    MifkitError (exit 2) for unusable input, a bad period or an output that may not be written.
    """
    from compiler.report.inputs import load_inputs

    inputs_paths = tuple(p for p in (budget_path, logframe_path) if p)
    outs = [Path(o) for _k, _l, o in jobs]
    for job_kind, job_lang, out in jobs:
        template_path(job_kind, job_lang, templates)
        check_output(out, force, inputs_paths)
        if pdf:
            check_output(Path(out).with_suffix(".pdf"), force, inputs_paths)
    loaded = load_inputs(budget_path, logframe_path, period)
    results = []
    for (job_kind, job_lang, out) in jobs:
        validation = loaded.validate(job_lang, job_kind)
        if not validation.valid and not allow_errors:
            raise _refusal(validation, str(budget_path))
        draft = not validation.valid
        inputs = ReportInputs(budget=loaded.budget, logframe=loaded.logframe, validation=validation,
                              period=loaded.period(job_kind), semesters=loaded.semesters, kind=job_kind,
                              lang=job_lang, compiled_on=today or dt.date.today(), draft=draft,
                              budget_file=Path(budget_path).name,
                              logframe_file=Path(logframe_path).name if logframe_path else "")
        context = build_context(inputs)
        render(template_path(job_kind, job_lang, templates), context, out, force=force, inputs=inputs_paths)
        results.append(Compiled(Path(out), None, validation, draft))
    if pdf:
        for result, written in zip(results, to_pdf(outs, force=force), strict=True):
            result.pdf = written
    return results


def report_context(budget_path: str | Path, logframe_path: str | Path | None, period: str,
                   kind: str = "semiannual", lang: str = "en", today: dt.date | None = None) -> dict:
    """The context a template would be filled with (validation errors allowed): for checks and previews."""
    from compiler.report.inputs import load_inputs

    loaded = load_inputs(budget_path, logframe_path, period)
    validation = loaded.validate(lang, kind)
    return build_context(ReportInputs(
        budget=loaded.budget, logframe=loaded.logframe, validation=validation, period=loaded.period(kind),
        semesters=loaded.semesters, kind=kind, lang=lang, compiled_on=today or dt.date.today(),
        draft=not validation.valid, budget_file=Path(budget_path).name,
        logframe_file=Path(logframe_path).name if logframe_path else ""))


def to_pdf(documents: list[Path], force: bool = False) -> list[Path]:
    """PDF copies next to the documents, in one LibreOffice call, each moved into place atomically."""
    from compiler.libreoffice import documents_to_pdf

    with tempfile.TemporaryDirectory(prefix="mifkit-pdf-") as folder:
        converted = documents_to_pdf(documents, Path(folder))
        written = []
        for doc, made in zip(documents, converted, strict=True):
            target = doc.with_suffix(".pdf")
            with atomic_output(target, force=force, inputs=(doc,)) as tmp:
                shutil.move(made, tmp)
            written.append(target)
    return written
