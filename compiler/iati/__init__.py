"""The project as an IATI 2.03 activity file (`mifkit iati`).

Flow, one way: workbooks -> models -> validation (refused on errors unless `allow_errors`, as for the
report) -> `Activity` (activity.py; Project fields IATI needs checked against their codelists) -> XML
(xml.py) -> the official schema and IATI's other rules (checks.py) -> the file, written atomically.
A file that fails the schema or a rule is never written: that would be a bug in mifkit, reported as such.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

from compiler.findings import ERROR
from compiler.iati import checks
from compiler.iati.activity import Activity, IatiFieldError, activity_of
from compiler.iati.xml import activity_document
from compiler.outputs import atomic_output, check_output
from compiler.problems import EXIT_FINDINGS, MifkitError

__all__ = ["Exported", "IatiFieldError", "export_iati"]


class NotExported(MifkitError):
    """The workbooks have validation errors and --allow-errors was not given."""

    exit_code = EXIT_FINDINGS


@dataclass
class Exported:
    path: Path
    activity: Activity
    errors: int  # validation errors exported anyway (--allow-errors)


def export_iati(budget_path: str | Path, logframe_path: str | Path | None, out: str | Path, *,
                allow_errors: bool = False, force: bool = False, now: dt.datetime | None = None) -> Exported:
    """Write the activity file of the workbooks to `out`; `now` (UTC) dates the file and is the day
    after which no transaction may fall."""
    from compiler.read_budget import load_budget
    from compiler.read_logframe import load_logframe
    from compiler.validate import validate

    inputs = tuple(p for p in (budget_path, logframe_path) if p)
    check_output(out, force=force, inputs=inputs)
    now = now or dt.datetime.now(dt.UTC)
    budget = load_budget(budget_path)
    logframe = load_logframe(logframe_path) if logframe_path else None
    report = validate(budget, logframe=logframe)
    errors = report.counts[ERROR]
    if errors and not allow_errors:
        first = next(f for f in report.findings if f.severity == ERROR)
        raise NotExported(f"{budget_path}: not exported: validation found {errors} error(s), first {first.code} at "
                          f"{first.location}: {first.message} (run `mifkit validate` for all; --allow-errors "
                          "exports the figures as they are)")
    activity = activity_of(budget, logframe, now.date())
    document = activity_document(activity, now)
    found = checks.problems(document, now.date())
    if found:
        raise RuntimeError(f"the activity file mifkit made does not conform to IATI 2.03: {found[0]}")
    with atomic_output(out, force=force, inputs=inputs) as tmp:
        document.write(str(tmp), xml_declaration=True, encoding="UTF-8", pretty_print=True)
    return Exported(Path(out), activity, errors)


def read_document(path: str | Path) -> etree._ElementTree:
    return etree.parse(str(path))
