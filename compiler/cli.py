"""The `mifkit` command line.

Exit codes: 0 done (no errors), 1 the workbook has errors (findings), 2 a file cannot be used or the
command line is wrong, 3 an internal error (a bug: the message says to report it).  Messages are
one line on standard error, never a traceback (set MIFKIT_DEBUG=1 to see one).
"""

from __future__ import annotations

import argparse
import gc
import os
import sys
from pathlib import Path

from compiler.problems import EXIT_FINDINGS, EXIT_OK, EXIT_UNUSABLE, MifkitError

EXIT_INTERNAL = 3


class _Parser(argparse.ArgumentParser):
    """argparse that exits with code 2 and one line, like every other usage error here."""

    def error(self, message: str) -> None:
        self.exit(EXIT_UNUSABLE, f"mifkit: {message} (see: {self.prog} --help)\n")


def _note(message: str) -> None:
    print(f"mifkit: {message}", file=sys.stderr)


def _note_computed(budget) -> None:
    if budget.computed_cells:
        _note(f"note: {budget.source}: {budget.computed_cells} formula cells had no saved result (the file was "
              "written by a program that does not calculate); mifkit computed them from their formulas")


def _shown(value: object) -> str:
    """Text in quotes, an error value (#REF!) and anything else as the cell shows it."""
    return repr(value) if isinstance(value, str) else str(value)


def _reading(value: object) -> str:
    """" (1200 if typed as a number)" for text that looks like a figure, else nothing."""
    from compiler.export import plain_number
    from compiler.numbers import parse_number_text

    number = parse_number_text(value)
    return f" ({plain_number(number)} if typed as a number)" if number is not None else ""


# ------------------------------------------------------------------------------------------------
# Commands
# ------------------------------------------------------------------------------------------------

def cmd_new_budget(args: argparse.Namespace) -> int:
    from compiler.outputs import atomic_output
    from workbook_templates.build import FORMULAS, TYPED, with_derived_figures, write_budget
    from workbook_templates.layout import DERIVED_TYPED
    from workbook_templates.spec import EXAMPLES, example_spec

    if args.example and (args.project or args.lines):
        raise MifkitError("--example writes a bundled project; it cannot be combined with --project or --lines")
    if args.lines and not args.project:
        raise MifkitError("--lines needs --project: the lines are laid out in the project's structure")
    if not 1 <= args.rows <= 500:
        raise MifkitError(f"--rows must be 1 to 500, not {args.rows}")
    if args.example:
        if args.example not in EXAMPLES:
            raise MifkitError(f"unknown example {args.example!r}; known: {', '.join(EXAMPLES)}")
        spec, what = example_spec(args.example), f"example {args.example}"
        mode = FORMULAS if args.formulas else TYPED
    else:
        spec, what = _spec_of_project(args)
        mode = FORMULAS if args.formulas or not args.lines else TYPED
    if mode == TYPED and args.lines:
        spec = with_derived_figures(spec)
        spec.project["derived_cells"] = DERIVED_TYPED
    with atomic_output(args.path, force=args.force) as tmp:
        write_budget(spec, tmp, mode)
    print(f"wrote {args.path} ({what})")
    return EXIT_OK


def _spec_of_project(args: argparse.Namespace):
    """The spec of `new budget` without --example: a PROJECT.toml (with or without its lines), or the
    starter project's shape with --years."""
    from dataclasses import replace

    from workbook_templates import project_file
    from workbook_templates.spec import LinesFileError, blank_spec, spec_from_lines
    from workbook_templates.structure import StructureError

    if not args.project:
        args.years = 3 if args.years is None else args.years
        if not 1 <= args.years <= 5:
            raise MifkitError(f"--years must be 1 to 5, not {args.years}")
        spec = blank_spec(rows_per_component=args.rows)
        if args.years != spec.structure.years:
            try:
                spec = blank_spec(replace(spec.structure, years=args.years), args.rows)
            except StructureError as exc:
                raise MifkitError(str(exc)) from None
        return spec, "blank budget template"
    if args.years is not None:
        raise MifkitError("--years comes from the PROJECT.toml ([project] years) when --project is given")
    try:
        definition = project_file.load(args.project)
    except project_file.ProjectFileError as exc:
        raise MifkitError(str(exc)) from None
    if not args.lines:
        return blank_spec(definition.structure, args.rows, definition), f"blank budget of {args.project.name}"
    try:
        text = args.lines.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise MifkitError(f"{args.lines}: cannot be read ({exc})") from None
    try:
        return spec_from_lines(definition, text, str(args.lines)), f"{args.project.name} with {args.lines.name}"
    except LinesFileError as exc:
        raise MifkitError(str(exc)) from None


def cmd_new_project(args: argparse.Namespace) -> int:
    from compiler.outputs import atomic_output
    from workbook_templates.project_file import STARTER

    with atomic_output(args.path, force=args.force) as tmp:
        Path(tmp).write_text(STARTER, encoding="utf-8")
    print(f"wrote {args.path} (a PROJECT.toml to edit, then: mifkit new budget BUDGET.xlsx --project {args.path})")
    return EXIT_OK


def cmd_new_logframe(args: argparse.Namespace) -> int:
    from compiler.outputs import atomic_output
    from workbook_templates.build_logframe import write_logframe
    from workbook_templates.logframe_spec import LOGFRAME_EXAMPLES, blank_logframe_spec, example_logframe_spec
    from workbook_templates.spec import EXAMPLES

    if args.example and args.example not in EXAMPLES:
        raise MifkitError(f"unknown example {args.example!r}; known: {', '.join(EXAMPLES)}")
    if args.example and args.example not in LOGFRAME_EXAMPLES:
        raise MifkitError(f"example {args.example!r} has no logframe (its source prints none); examples with one: "
                          f"{', '.join(LOGFRAME_EXAMPLES)}")
    if args.example and args.project:
        raise MifkitError("--example writes a bundled project; it cannot be combined with --project")
    if args.project:
        from workbook_templates import project_file
        from workbook_templates.logframe_spec import logframe_spec_for_project

        try:
            spec = logframe_spec_for_project(project_file.load(args.project))
        except project_file.ProjectFileError as exc:
            raise MifkitError(str(exc)) from None
    else:
        spec = example_logframe_spec(args.example) if args.example else blank_logframe_spec()
    with atomic_output(args.path, force=args.force) as tmp:
        write_logframe(spec, tmp)
    what = f"example {args.example}" if args.example else "blank logframe template"
    print(f"wrote {args.path} ({what})")
    return EXIT_OK


def cmd_periods(args: argparse.Namespace) -> int:
    """The reporting periods of a budget workbook, with the day each report is due (paragraph 5.1)."""
    from compiler import periods
    from compiler.problems import WorkbookError
    from compiler.read_budget import load_budget

    budget = load_budget(args.budget)
    first = budget.project.first_disbursement_date
    if first is None:
        cell = budget.project.cells.get("first_disbursement") or "column B"
        raise WorkbookError(f"{args.budget}: Project!{cell}: no first-disbursement date; the reporting periods "
                            "count from it", sheet="Project", cell=cell)
    months = int(budget.project.get("disbursement_months") or 42)
    executing = int(budget.project.get("execution_months") or months)
    found = periods.quarters(first, months) if args.quarters else periods.semesters(first, months)
    es = args.lang == "es"
    due = "informe a más tardar el" if es else "report due"
    after = "después del período de ejecución" if es else "after the execution period"
    for p in found:
        line = f"{p.name(args.lang):<36} {periods.format_date(p.start, args.lang)} – " \
               f"{periods.format_date(p.end, args.lang)}"
        if not args.quarters:  # paragraph 5.1: within 60 days after the close of each six-month period
            line += f"   {due} {periods.format_date(p.report_due, args.lang)}"
        print(line + (f"  ({after})" if p.first_month > executing else ""))
    return EXIT_OK


def cmd_lines(args: argparse.Namespace) -> int:
    from compiler.export import lines_csv
    from compiler.read_budget import load_budget

    budget = load_budget(args.budget)
    _note_computed(budget)
    text, skipped = lines_csv(budget, current=args.which == "current")
    sys.stdout.write(text)
    for cell in skipped:
        _note(f"{args.budget}: {cell.sheet}!{cell.address} holds {_shown(cell.value)}, not a number"
              f"{_reading(cell.value)}; left empty")
    return EXIT_FINDINGS if skipped else EXIT_OK


def cmd_validate(args: argparse.Namespace) -> int:
    from compiler.validate import validate

    inputs = (args.budget, args.logframe) if args.logframe else (args.budget,)
    if args.annotate:
        from compiler.outputs import check_output
        check_output(args.annotate, force=args.force, inputs=inputs)
    groups = [g.strip() for g in args.only.split(",")] if args.only else None
    budget = _load_budget_first(args.budget)
    _note_computed(budget)
    logframe = None
    if args.logframe:
        from compiler.read_logframe import load_logframe
        logframe = load_logframe(args.logframe)
    report = validate(budget, lang=args.lang, groups=groups, logframe=logframe)
    print(report.to_json() if args.format == "json" else report.human())
    if args.annotate:
        from compiler.annotate import annotate
        done = annotate(args.budget, report, args.annotate, force=args.force)
        _note(f"wrote {args.annotate} ({done.marked} cells marked, findings listed on the sheet "
              f"'{done.findings_sheet}')")
    return EXIT_OK if report.valid else EXIT_FINDINGS


def _load_budget_first(path: Path):
    """The budget workbook; a logframe given first is named as such, so the fix is obvious."""
    from compiler.grid import XlsxFile
    from compiler.problems import WorkbookError
    from compiler.read_budget import load_budget

    try:
        return load_budget(path)
    except WorkbookError as exc:
        try:
            book = XlsxFile(path)
            is_logframe = "Logframe" in book.sheet_names and "Budget" not in book.sheet_names
            book.close()
        except MifkitError:
            is_logframe = False
        if is_logframe:
            raise WorkbookError(f"{path}: this is a logframe workbook; give the budget workbook first: "
                                "mifkit validate BUDGET.xlsx LOGFRAME.xlsx") from None
        raise exc from None


def cmd_rules(args: argparse.Namespace) -> int:
    from compiler.catalogue import catalogue_text

    print(catalogue_text(args.format, args.lang))
    return EXIT_OK


def cmd_compile(args: argparse.Namespace) -> int:
    from compiler.report import compile_report

    if args.out.suffix.lower() != ".docx":
        raise MifkitError(f"-o {args.out}: the report is a Word document; name it .docx")
    result = compile_report(args.budget, args.logframe, args.period, args.kind, args.lang, args.out, pdf=args.pdf,
                            allow_errors=args.allow_errors, force=args.force)
    if result.draft:
        _note(f"{args.budget}: compiled as a DRAFT with {result.validation.counts['error']} validation error(s) "
              "(--allow-errors); the cover says so")
    print(f"wrote {result.docx}" + (f" and {result.pdf}" if result.pdf else ""))
    return EXIT_OK


def cmd_iati(args: argparse.Namespace) -> int:
    from compiler.iati import export_iati

    if args.out.suffix.lower() != ".xml":
        raise MifkitError(f"-o {args.out}: the activity file is XML; name it .xml")
    done = export_iati(args.budget, args.logframe, args.out, allow_errors=args.allow_errors, force=args.force)
    if done.errors:
        _note(f"{args.budget}: exported with {done.errors} validation error(s) (--allow-errors): the figures are "
              "published as the workbook holds them")
    for note in done.activity.notes:
        _note(f"note: {note}")
    a = done.activity
    revised = " original and revised" if any(b.revised is not None for b in a.budgets) else ""
    print(f"wrote {done.path} (IATI 2.03 activity {a.identifier}: budgets of {len(a.budgets)} budget year(s){revised}, "
          f"{len(a.transactions)} transactions, {sum(len(r.indicators) for r in a.results)} indicators; "
          "checked against the IATI 2.03 schema and codelists)")
    return EXIT_OK


def cmd_addin(args: argparse.Namespace) -> int:
    if args.lite:
        return _lite_bundle(args)
    from addin.install import windows_interpreter, write_addins

    for path in write_addins(args.folder, force=args.force, interpreter=windows_interpreter()):
        print(f"wrote {path}")
    print("In Excel: File › Options › Add-ins › Manage: Excel Add-ins › Go › Browse, and choose each .xlam "
          "file; the mifkit tab then has Validate, Check funding split, Clear marks and Compile report")
    return EXIT_OK


def _lite_bundle(args: argparse.Namespace) -> int:
    from addin.lite_bundle import URL_PLACEHOLDER, write_lite_bundle

    main_py, requirements, wheel = write_lite_bundle(args.folder, args.url, force=args.force)
    for path in (main_py, requirements, wheel):
        print(f"wrote {path}")
    if not args.url:
        print(f"Put {wheel.name} online (a GitHub repository, for example) and write its address in place of "
              f"{URL_PLACEHOLDER} in {requirements.name}, or run this again with --url ADDRESS --force")
    print(f"In xlwings Lite: paste {requirements.name} into its requirements.txt tab, under the xlwings line, and "
          f"{main_py.name} into its main.py tab; the buttons appear in the xlwings Lite pane")
    return EXIT_OK


# ------------------------------------------------------------------------------------------------
# Parser
# ------------------------------------------------------------------------------------------------

def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="mifkit", description="Budget and logframe workbooks for MIF-funded projects: "
                     "templates, validation and Word progress reports.")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    sub.required = True

    new = sub.add_parser("new", help="write a blank template or a bundled example workbook")
    new_sub = new.add_subparsers(dest="what", metavar="WHAT", parser_class=_Parser)
    new_sub.required = True
    nb = new_sub.add_parser("budget", help="the budget workbook (Project, Budget, Summary)")
    nb.add_argument("path", type=Path, help="the .xlsx file to write")
    nb.add_argument("--example", metavar="NAME",
                    help="write a bundled example instead (tc-03-02-01-0, us-glo-04-158)")
    nb.add_argument("--formulas", action="store_true",
                    help="with --example: put the example's inputs into the formula template instead of "
                         "typing every figure as printed")
    nb.add_argument("--project", type=Path, metavar="PROJECT.toml",
                    help="the project's structure and terms (mifkit new project writes one to start from)")
    nb.add_argument("--lines", type=Path, metavar="LINES.csv",
                    help="the cost lines, with the columns of `mifkit lines --format csv` (needs --project)")
    nb.add_argument("--years", type=int, default=None, help="number of budget years, 1 to 5 (blank template)")
    nb.add_argument("--rows", type=int, default=12, help="empty line rows per component (blank template)")
    nb.add_argument("--force", action="store_true", help="replace PATH if it exists")
    nb.set_defaults(func=cmd_new_budget)

    npj = new_sub.add_parser("project", help="a commented PROJECT.toml to start a project of your own from")
    npj.add_argument("path", type=Path, help="the .toml file to write")
    npj.add_argument("--force", action="store_true", help="replace PATH if it exists")
    npj.set_defaults(func=cmd_new_project)

    nl = new_sub.add_parser("logframe", help="the logframe workbook (Logframe, Activities, Progress, Narrative)")
    nl.add_argument("path", type=Path, help="the .xlsx file to write")
    nl.add_argument("--example", metavar="NAME", help="write a bundled example instead (tc-03-02-01-0)")
    nl.add_argument("--project", type=Path, metavar="PROJECT.toml",
                    help="the blank logframe of this project (its components and semesters)")
    nl.add_argument("--force", action="store_true", help="replace PATH if it exists")
    nl.set_defaults(func=cmd_new_logframe)

    per = sub.add_parser("periods", help="list the reporting periods of a budget workbook and their report due dates")
    per.add_argument("budget", type=Path, help="the budget workbook (.xlsx)")
    per.add_argument("--quarters", action="store_true", help="quarters (management reports, para 5.2) instead")
    per.add_argument("--lang", choices=["en", "es"], default="en", help="language of the period names")
    per.set_defaults(func=cmd_periods)

    lines = sub.add_parser("lines", help="print the cost lines of a budget workbook")
    lines.add_argument("budget", type=Path, help="the budget workbook (.xlsx)")
    lines.add_argument("--format", choices=["csv"], default="csv", help="output format (csv)")
    lines.add_argument("--budget", dest="which", choices=["original", "current"], default="original",
                       help="the budget as approved (original, the default) or with its revisions (current)")
    lines.set_defaults(func=cmd_lines)

    val = sub.add_parser("validate", help="check a budget workbook (and its logframe) against the rule catalogue")
    val.add_argument("budget", type=Path, help="the budget workbook (.xlsx or .xlsm)")
    val.add_argument("logframe", type=Path, nargs="?",
                     help="the logframe workbook (.xlsx), checked with the budget (rules LF01-LF07)")
    val.add_argument("--format", choices=["human", "json"], default="human", help="output format")
    val.add_argument("--annotate", type=Path, metavar="OUT.xlsx",
                     help="also write a copy with flagged cells coloured and commented, and a Findings sheet")
    val.add_argument("--force", action="store_true", help="replace the --annotate file if it exists")
    val.add_argument("--lang", choices=["en", "es"], default="en", help="language of the messages")
    val.add_argument("--only", metavar="GROUPS", help="only these rule groups, e.g. policy or arithmetic,data")
    val.set_defaults(func=cmd_validate)

    rules = sub.add_parser("rules", help="list the rule catalogue")
    rules.add_argument("--format", choices=["human", "json", "markdown"], default="human")
    rules.add_argument("--lang", choices=["en", "es"], default="en")
    rules.set_defaults(func=cmd_rules)

    comp = sub.add_parser("compile", help="compile the progress report (Word, and PDF) from the workbooks")
    comp.add_argument("budget", type=Path, help="the budget workbook, with its execution record (.xlsx)")
    comp.add_argument("logframe", type=Path, nargs="?", help="the logframe workbook (.xlsx)")
    comp.add_argument("--period", required=True, help="the reporting period: a semester (3 or S3), a quarter "
                      "(Q5), or latest (the last semester with execution recorded)")
    comp.add_argument("--kind", choices=["semiannual", "quarterly", "final"], default="semiannual",
                      help="semiannual progress report (5.1), quarterly management report (5.2), final report")
    comp.add_argument("--lang", choices=["en", "es"], default="en", help="language of the report")
    comp.add_argument("--pdf", action="store_true", help="also write a PDF next to it (needs LibreOffice)")
    comp.add_argument("--allow-errors", action="store_true",
                      help="compile even if validation finds errors; the cover then says DRAFT and why")
    comp.add_argument("--force", action="store_true", help="replace the output files if they exist")
    comp.add_argument("-o", "--out", type=Path, required=True, help="the Word file to write (.docx)")
    comp.set_defaults(func=cmd_compile)

    iati = sub.add_parser("iati", help="write the project as an IATI 2.03 activity file (budgets, transactions, "
                          "results), checked against the official schema")
    iati.add_argument("budget", type=Path, help="the budget workbook, with its execution record (.xlsx)")
    iati.add_argument("logframe", type=Path, nargs="?", help="the logframe workbook (.xlsx): results and objectives")
    iati.add_argument("-o", "--out", type=Path, required=True, help="the activity file to write (.xml)")
    iati.add_argument("--allow-errors", action="store_true",
                      help="export even if validation finds errors (the figures as the workbook holds them)")
    iati.add_argument("--force", action="store_true", help="replace the output file if it exists")
    iati.set_defaults(func=cmd_iati)

    addin = sub.add_parser("addin", help="write the Excel add-ins (Validate, Check funding split, "
                           "Clear marks, Compile report) for desktop Excel")
    addin.add_argument("folder", type=Path, help="the folder to write the four mifkit_*.xlam add-ins "
                       "and their .py files into (keep them together)")
    addin.add_argument("--force", action="store_true", help="replace the files if they exist")
    addin.add_argument("--lite", action="store_true", help="write instead what xlwings Lite (Excel on the web) "
                       "needs: main.py, requirements.txt and mifkit's wheel")
    addin.add_argument("--url", metavar="ADDRESS", help="with --lite: where the wheel will be downloaded from "
                       "(its folder's address, or the .whl's)")
    addin.set_defaults(func=cmd_addin)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    # A command is one short run that builds large tables of cells and frees them by reference counting; the
    # cyclic garbage collector would only rescan them over and over (an eighth to a sixth of a validation's
    # CPU time, for 1-2 MB of memory saved), so it is paused while the command runs and resumed after.
    collecting = gc.isenabled()
    gc.disable()
    try:
        return args.func(args)
    except MifkitError as exc:
        _note(str(exc))
        return exc.exit_code
    except KeyboardInterrupt:
        _note("interrupted")
        return 130
    except BrokenPipeError:
        return EXIT_OK
    except OSError as exc:  # a full disk, a file locked by Excel, no permission: the user can act on these
        _note(f"{exc.filename or ''}: {exc.strerror or exc}".lstrip(": "))
        return EXIT_UNUSABLE
    except Exception as exc:  # a bug: say so in one line, keep the traceback for MIFKIT_DEBUG
        if os.environ.get("MIFKIT_DEBUG"):
            raise
        _note(f"internal error: {type(exc).__name__}: {exc} (please report this; "
              "set MIFKIT_DEBUG=1 for details)")
        return EXIT_INTERNAL
    finally:
        if collecting:
            gc.enable()


if __name__ == "__main__":
    sys.exit(main())
