"""Where the time of one validation (or compile) goes: imports, read, model, rules, report.

Run as its own process by `bench/run.py` (so the imports are timed cold, as a user meets them):
`python -m bench.phases validate budget.xlsx [logframe.xlsx]` or `... compile budget.xlsx logframe.xlsx out.docx`.
Prints one JSON object of CPU seconds per phase, and the process's peak memory in MB.
"""

from __future__ import annotations

import gc
import json
import resource
import sys
import time


def _clock() -> float:
    """CPU time of this process: on a shared machine, what the work costs, whatever else runs beside it."""
    return time.process_time()


def validate_phases(budget_path: str, logframe_path: str | None) -> dict[str, float]:
    start = _clock()
    from compiler.grid import read_grids
    from compiler.read_budget import budget_from_grids
    from compiler.validate import validate
    from workbook_templates import layout
    from workbook_templates import logframe_layout as lf

    if logframe_path:  # the logframe's reader (and pandas with it) only when there is one, as `mifkit validate`
        from compiler.read_logframe import logframe_from_grids
    phases = {"imports": _clock() - start}
    start = _clock()
    grids = read_grids(budget_path, layout.READ_SHEETS)
    logframe_grids = read_grids(logframe_path, lf.LOGFRAME_SHEETS + lf.OPTIONAL_SHEETS) if logframe_path else None
    phases["read"] = _clock() - start
    start = _clock()
    budget = budget_from_grids(grids, budget_path)
    logframe = logframe_from_grids(logframe_grids, logframe_path) if logframe_grids else None
    del grids, logframe_grids  # as load_budget does: the cells are not kept once the model has them
    phases["model"] = _clock() - start
    start = _clock()
    report = validate(budget, logframe=logframe)
    phases["rules"] = _clock() - start
    start = _clock()
    text = report.human()
    phases["report"] = _clock() - start
    phases["_findings"] = len(report.findings) + 0 * len(text)
    return phases


def compile_phases(budget_path: str, logframe_path: str, out: str) -> dict[str, float]:
    """The compile's phases; "report" is the context (charts included) and the .docx written."""
    start = _clock()
    from compiler.grid import read_grids
    from compiler.read_budget import budget_from_grids
    from compiler.read_logframe import logframe_from_grids
    from compiler.report import build_context, render, template_path
    from compiler.report.context import ReportInputs
    from compiler.report.inputs import LoadedInputs
    from compiler.report.period import SEMESTER, parse_period, project_periods
    from compiler.validate import validate
    from workbook_templates import layout
    from workbook_templates import logframe_layout as lf

    phases = {"imports": _clock() - start}
    start = _clock()
    grids = read_grids(budget_path, layout.READ_SHEETS)
    logframe_grids = read_grids(logframe_path, lf.LOGFRAME_SHEETS + lf.OPTIONAL_SHEETS)
    phases["read"] = _clock() - start
    start = _clock()
    budget = budget_from_grids(grids, budget_path)
    logframe = logframe_from_grids(logframe_grids, logframe_path)
    del grids, logframe_grids  # as load_budget does: the cells are not kept once the model has them
    available = project_periods(budget.project.first_disbursement_date,
                                int(budget.project.get("disbursement_months", 42)))
    latest = int(max(budget.execution["period"])) if len(budget.execution) else None
    loaded = LoadedInputs(budget, logframe, available[SEMESTER], parse_period("latest", available, latest))
    phases["model"] = _clock() - start
    start = _clock()
    report = validate(budget, logframe=logframe)
    phases["rules"] = _clock() - start
    start = _clock()
    import datetime as dt
    from pathlib import Path

    inputs = ReportInputs(budget=budget, logframe=logframe, validation=report, period=loaded.period("semiannual"),
                          semesters=loaded.semesters, kind="semiannual", lang="en", compiled_on=dt.date.today(),
                          draft=not report.valid, budget_file=Path(budget_path).name,
                          logframe_file=Path(logframe_path).name)
    render(template_path("semiannual", "en"), build_context(inputs), out, force=True, inputs=(budget_path,))
    phases["report"] = _clock() - start
    return phases


def main(argv: list[str]) -> int:
    command, *paths = argv
    gc.disable()  # as the command line does while a command runs (compiler/cli.py)
    phases = validate_phases(paths[0], paths[1] if len(paths) > 1 else None) if command == "validate" \
        else compile_phases(*paths)
    phases["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps(phases))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
