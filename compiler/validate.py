"""Run the rule catalogue over a workbook: the one entry point of the CLI, the add-in and the compiler."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from compiler.findings import Report
from compiler.grid import Grid
from compiler.model import Budget
from compiler.read_budget import budget_from_grids, load_budget
from compiler.rules import CATALOGUE, Context, Rule


def select_rules(groups: Iterable[str] | None = None, codes: Iterable[str] | None = None) -> list[Rule]:
    """The rules of the given groups (arithmetic, policy, data, ...) and/or codes; all by default."""
    groups, codes = set(groups or ()), set(codes or ())
    if not groups and not codes:
        return list(CATALOGUE)
    return [r for r in CATALOGUE if r.group in groups or r.code in codes]


def validate(budget: Budget, *, lang: str = "en", groups: Iterable[str] | None = None,
             codes: Iterable[str] | None = None, logframe: object | None = None, as_of: int | None = None) -> Report:
    """Every finding of the selected rules on a budget model (and its logframe, when given).

    `as_of` is the semester being reported: the logframe rules judge the indicators due by its end and the
    execution rules name the semesters up to it with no record. By default, the latest semester with
    execution, progress or narrative recorded (a final report validates as of its own last semester)."""
    ctx = Context(budget, lang=lang, logframe=logframe, as_of=as_of)
    findings = [f for rule in select_rules(groups, codes) for f in rule.check(ctx)]
    sources = [budget.source] + ([logframe.source] if getattr(logframe, "source", None) else [])
    return Report(findings, sources)


def validate_grids(grids: dict[str, Grid], source: str, **options) -> Report:
    """Validate sheets read from live Excel (the add-in) or any other source of grids."""
    return validate(budget_from_grids(grids, source), **options)


def validate_file(path: str | Path, logframe_path: str | Path | None = None, **options) -> Report:
    """Validate a budget workbook file, and with it the logframe workbook file when given."""
    if logframe_path is not None:
        from compiler.read_logframe import load_logframe

        options["logframe"] = load_logframe(logframe_path)
    return validate(load_budget(path), **options)
