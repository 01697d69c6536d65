"""An annotated copy of a workbook: each flagged cell coloured by severity with the finding in its
comment, and a Findings sheet whose rows link to their cells.

The copy is made with openpyxl, which keeps the officer's styles, comments, validation and (for a
.xlsm, with keep_vba) macros; the officer's own comment on a flagged cell is kept, with the findings
added below it.  The input is never written: the copy goes through `atomic_output`.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from compiler.findings import ERROR, Report
from compiler.outputs import atomic_output
from compiler.problems import OutputError

ERROR_FILL = "FFC7CE"    # light red
WARNING_FILL = "FFEB9C"  # light amber
FINDINGS_SHEET = "Findings"
AUTHOR = "mifkit"


def _comment_text(findings, previous: str | None) -> str:
    ours = "\n".join(f"[{f.code}] {f.message}" for f in findings)
    return f"{previous.rstrip()}\n—\n{AUTHOR}: {ours}" if previous else f"{AUTHOR}: {ours}"


def annotate(source: str | Path, report: Report, output: str | Path, force: bool = False) -> int:
    """Write the annotated copy of `source` to `output`; returns the number of cells marked."""
    import openpyxl
    from openpyxl.comments import Comment
    from openpyxl.styles import PatternFill

    source, output = Path(source), Path(output)
    macros = source.suffix.lower() == ".xlsm"
    if macros and output.suffix.lower() != ".xlsm":
        raise OutputError(f"{output}: the annotated copy of a .xlsm workbook must also end in .xlsm, "
                          "or Excel would refuse it and its macros would be lost")
    book = openpyxl.load_workbook(source, keep_vba=macros)
    marked = 0
    for (sheet, address), findings in report.by_cell().items():
        if sheet not in book.sheetnames:
            continue
        cell = book[sheet][address]
        severity = ERROR if any(f.severity == ERROR for f in findings) else "warning"
        cell.fill = PatternFill("solid", fgColor=ERROR_FILL if severity == ERROR else WARNING_FILL)
        previous = cell.comment.text if cell.comment else None
        comment = Comment(_comment_text(findings, previous), AUTHOR)
        comment.width, comment.height = 320, 60 + 40 * len(findings)
        cell.comment = comment
        marked += 1
    _findings_sheet(book, report)
    book.calculation.fullCalcOnLoad = True  # openpyxl drops saved formula results: let Excel recompute
    with atomic_output(output, force=force, inputs=(source,)) as tmp:
        book.save(tmp)
    return marked


def _findings_sheet(book, report: Report) -> None:
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.worksheet.hyperlink import Hyperlink

    if FINDINGS_SHEET in book.sheetnames:
        del book[FINDINGS_SHEET]
    ws = book.create_sheet(FINDINGS_SHEET)
    counts = report.counts
    ws["A1"] = f"Checked by mifkit on {dt.datetime.now():%Y-%m-%d %H:%M}: {counts['error']} error(s), " \
               f"{counts['warning']} warning(s)"
    ws["A1"].font = Font(bold=True, size=12)
    headers = ("Code", "Severity", "Cell", "Message", "Expected", "Actual")
    for col, text in enumerate(headers, start=1):
        c = ws.cell(3, col, text)
        c.font = Font(bold=True)
        c.fill = PatternFill("solid", fgColor="D9D9D9")
    for i, f in enumerate(report.findings, start=4):
        ws.cell(i, 1, f.code)
        severity = ws.cell(i, 2, f.severity)
        severity.fill = PatternFill("solid", fgColor=ERROR_FILL if f.severity == ERROR else WARNING_FILL)
        link = ws.cell(i, 3, f.location)
        if f.cell and f.sheet in book.sheetnames:
            link.hyperlink = Hyperlink(ref=link.coordinate, location=f"'{f.sheet}'!{f.cell}",
                                       tooltip="Go to the cell")
            link.font = Font(color="0563C1", underline="single")
        ws.cell(i, 4, f.message).alignment = Alignment(wrap_text=True, vertical="top")
        for col, value in ((5, f.expected), (6, f.actual)):
            c = ws.cell(i, col, value if isinstance(value, int | float | str) or value is None else str(value))
            c.number_format = "#,##0.##"
    if not report.findings:
        ws["A4"] = "No problems found."
    for col, width in zip("ABCDEF", (8, 9, 14, 100, 14, 14), strict=True):
        ws.column_dimensions[col].width = width
    ws.freeze_panes = "A4"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = "3:3"
