"""Findings and the report that carries them.

A finding says what is wrong, where (sheet, A1 cell, row, column), what was expected and what was
found, in one rendered message.  The same message is what the Excel note, the JSON output, the
annotated copy and the Word annex show, so the officer, the director and the Bank read the same
words.  The report gives a machine-readable form (`to_dict`) and a human one (`human`).
"""

from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass, field

ERROR = "error"
WARNING = "warning"
SEVERITIES = (ERROR, WARNING)


@dataclass(frozen=True)
class Finding:
    code: str
    severity: str
    sheet: str
    cell: str           # A1 address, "" for a finding about a whole sheet
    row: int | None
    column: str | None  # column letter
    expected: object
    actual: object
    message: str
    source: str = ""    # the workbook file the finding is about (not part of the JSON finding)

    def to_dict(self) -> dict:
        data = asdict(self)
        data.pop("source")
        return data

    @property
    def location(self) -> str:
        return f"{self.sheet}!{self.cell}" if self.cell else self.sheet


def split_cell(address: str) -> tuple[int | None, str | None]:
    """"I12" -> (12, "I")."""
    m = re.fullmatch(r"([A-Z]{1,3})(\d+)", address or "")
    return (int(m.group(2)), m.group(1)) if m else (None, None)


def _sort_key(f: Finding) -> tuple:
    row, col = split_cell(f.cell)
    width = len(col or "")
    return (f.source, f.sheet, row or 0, width, col or "", f.code)


@dataclass
class Report:
    """All findings of one validation, in sheet, row and column order."""

    findings: list[Finding] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.findings = sorted(self.findings, key=_sort_key)

    @property
    def counts(self) -> dict[str, int]:
        return {s: sum(1 for f in self.findings if f.severity == s) for s in SEVERITIES}

    @property
    def valid(self) -> bool:
        return self.counts[ERROR] == 0

    def to_dict(self) -> dict:
        return {"valid": self.valid, "counts": self.counts, "findings": [f.to_dict() for f in self.findings]}

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), indent=2, ensure_ascii=False, default=str)

    def by_cell(self) -> dict[tuple[str, str], list[Finding]]:
        """Findings grouped by (sheet, cell), for marking cells in Excel."""
        cells: dict[tuple[str, str], list[Finding]] = {}
        for f in self.findings:
            if f.cell:
                cells.setdefault((f.sheet, f.cell), []).append(f)
        return cells

    def human(self) -> str:
        lines = [f"{', '.join(self.sources) or 'workbook'}: "
                 + (f"{self.counts[ERROR]} error(s), {self.counts[WARNING]} warning(s)"
                    if self.findings else "no problems found")]
        for f in self.findings:
            lines.append(f"  {f.location:<14} {f.severity:<7} {f.code}  {f.message}")
        return "\n".join(lines)
