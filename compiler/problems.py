"""The errors that stop a command, and the exit codes the command line uses for them.

A `WorkbookError` means a file cannot be used at all (not a workbook, a required sheet or column
missing, headers moved).  It carries a one-line message that names the file and, where it applies,
the sheet and cell, and the command line turns it into exit code 2 without a traceback.  Problems
with the figures themselves are not errors: the rules report them as findings.
"""

from __future__ import annotations

EXIT_OK = 0         # no errors (warnings allowed)
EXIT_FINDINGS = 1   # the workbook has errors (validation findings of severity "error")
EXIT_UNUSABLE = 2   # a file cannot be used, or the command line was wrong


class MifkitError(Exception):
    """A problem the user can act on; its message is shown as it is, on one line."""

    exit_code = EXIT_UNUSABLE


class WorkbookError(MifkitError):
    """A workbook that cannot be read as the template lays it out."""

    def __init__(self, message: str, sheet: str | None = None, cell: str | None = None):
        super().__init__(message)
        self.sheet, self.cell = sheet, cell


class OutputError(MifkitError):
    """An output that cannot be written (exists without --force, folder missing, same as input)."""
