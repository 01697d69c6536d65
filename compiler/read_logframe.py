"""Grids of a logframe workbook into the `Logframe` model (compiler/logframe_model.py).

Structure stops the reading (`WorkbookError` naming sheet and cell): a missing sheet, a moved or
renamed header.  Data does not: a milestone typed as text, an amount that is not a number, a
status mifkit does not know are recorded for the LF rules to report, all in one pass.

Lenient where a person would be: "By month 14" in the milestone column reads as 14, Spanish levels,
kinds and statuses are accepted, a row without a kind is an indicator when it has a code.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from pathlib import Path

import pandas as pd

from compiler import logframe_model as m
from compiler import periods
from compiler.grid import Grid, read_grids
from compiler.logframe_model import Logframe
from compiler.model import OddCell
from compiler.problems import WorkbookError
from compiler.read_budget import as_number, as_text, norm_label
from workbook_templates import logframe_layout as lf
from workbook_templates.layout import column_letter

NAN = float("nan")
LEVEL_WORDS = {"goal": lf.GOAL, "fin": lf.GOAL, "purpose": lf.PURPOSE, "propósito": lf.PURPOSE,
               "proposito": lf.PURPOSE, "component": lf.COMPONENT, "componente": lf.COMPONENT}
KIND_WORDS = {"objective": lf.OBJECTIVE, "objetivo": lf.OBJECTIVE, "indicator": lf.INDICATOR,
              "indicador": lf.INDICATOR}
STATUS_WORDS = {s.lower(): s for s in (*lf.INDICATOR_STATUSES, *lf.ACTIVITY_STATUSES)} | lf.STATUS_SPANISH


def load_logframe(path: str | Path) -> Logframe:
    """Read a logframe workbook file."""
    return logframe_from_grids(read_grids(path, lf.LOGFRAME_SHEETS + lf.OPTIONAL_SHEETS), str(path))


def logframe_from_grids(grids: dict[str, Grid], source: str) -> Logframe:
    missing = [s for s in lf.LOGFRAME_SHEETS if s not in grids]
    if missing:
        raise WorkbookError(f"{source}: no sheet named {missing[0]!r}; a logframe workbook has the sheets "
                            f"{', '.join(lf.LOGFRAME_SHEETS)}", sheet=missing[0])
    present = [s for s in lf.LOGFRAME_SHEETS + lf.OPTIONAL_SHEETS if s in grids]
    columns = {sheet: find_columns(grids[sheet], sheet, source) for sheet in present}
    reader = _Reader(source, columns)
    objectives, indicators = reader.logframe(grids[lf.LOGFRAME_SHEET])
    amounts, activities = reader.activities(grids[lf.ACTIVITIES_SHEET])
    progress = reader.progress(grids[lf.PROGRESS_SHEET], set(indicators["code"]), set(activities["code"]))
    narrative = reader.narrative(grids[lf.NARRATIVE_SHEET])
    subtitle = as_text(grids[lf.LOGFRAME_SHEET].value(lf.SUBTITLE_ROW, 1)).split("·")
    number = subtitle[0].strip() if len(subtitle) > 1 else ""
    logframe = Logframe(source, number, objectives, indicators, amounts, activities, progress, narrative,
                        reader.odd, reader.unreadable)
    if lf.RISKS_SHEET in grids:
        logframe.risks = reader.risks(grids[lf.RISKS_SHEET])
    if lf.AUDITS_SHEET in grids:
        logframe.audits = reader.audits(grids[lf.AUDITS_SHEET])
    if lf.CLOSING_SHEET in grids:
        logframe.closing = reader.closing(grids[lf.CLOSING_SHEET])
    return logframe


def find_columns(grid: Grid, sheet: str, source: str) -> dict[str, int]:
    """The column number of each key on `sheet`, read from its header row.

    The columns stand in the template's order; an optional column (a Spanish text) may be absent, so a
    workbook written before those columns existed reads as it always did.  A required header missing
    where it should be stops the reading, naming the cell."""
    found: dict[str, int] = {}
    number, skipped = 1, []
    for c in lf.COLUMNS[sheet]:
        header = grid.value(lf.HEADER_ROW, number)
        if norm_label(header) == c.header.lower():
            found[c.key], number, skipped = number, number + 1, []
        elif c.optional:
            skipped.append(c.header)
        else:
            address = f"{column_letter(number)}{lf.HEADER_ROW}"
            expected = " or ".join(repr(h) for h in (*skipped, c.header))
            what = f"finds {as_text(header)!r}" if header not in (None, "") else "finds it empty"
            raise WorkbookError(f"{source}: {sheet}!{address} should be the column header {expected} but mifkit "
                                f"{what}; the columns have been moved or renamed", sheet=sheet, cell=address)
    return found


def parse_month(value: object) -> float | None:
    """14, "14", "By month 14", "Mes 14" -> 14.0; None when no month can be read."""
    number = as_number(value)
    if number is not None:
        return number if number.is_integer() and 0 < number <= 1200 else None
    found = re.fullmatch(r"\D*?(\d{1,3})\D*", as_text(value))
    return float(found.group(1)) if found and int(found.group(1)) > 0 else None


def parse_recurring(text: str) -> float | None:
    """ "Annually, beginning in year 2" -> 2.0; "Annually" -> 1.0; None when not a yearly rule."""
    lowered = text.lower()
    if not re.search(r"annual|anual|every year|each year|cada año|todos los años", lowered):
        return None
    year = re.search(r"(?:year|año)\s*(\d{1,2})", lowered)
    return float(year.group(1)) if year else 1.0


class _Reader:
    def __init__(self, source: str, columns: dict[str, dict[str, int]]):
        self.source = source
        self.columns = columns  # sheet -> key -> column number, as found in this workbook
        self.odd: list[OddCell] = []
        self.unreadable: list[tuple[str, str, str, str]] = []

    def _row(self, grid: Grid, sheet: str, r: int) -> dict[str, object]:
        """The row's values by key; None for an optional column the workbook does not have."""
        found = self.columns[sheet]
        return {c.key: grid.value(r, found[c.key]) if c.key in found else None for c in lf.COLUMNS[sheet]}

    def col(self, sheet: str, key: str) -> int:
        return self.columns[sheet][key]

    def cell(self, sheet: str, key: str, row: int) -> str:
        return f"{column_letter(self.col(sheet, key))}{row}"

    def _int(self, sheet: str, key: str, r: int, raw: object) -> float:
        """A whole number from 1 to 40 (a semester, a component), NaN and recorded as odd otherwise."""
        if raw is None:
            return NAN
        number = as_number(raw)
        if number is None and isinstance(raw, str) and raw.strip().isdigit():
            number = float(raw.strip())
        if number is None or not number.is_integer() or not 1 <= number <= periods.MAX_SEMESTERS:
            self.odd.append(OddCell(sheet, r, self.col(sheet, key), key, raw))
            return NAN
        return number

    def logframe(self, grid: Grid) -> tuple[pd.DataFrame, pd.DataFrame]:
        sheet = lf.LOGFRAME_SHEET
        objectives, indicators = [], []
        level = ""
        for r in range(lf.FIRST_ROW, grid.n_rows + 1):
            raw = self._row(grid, sheet, r)
            text = {k: as_text(v) for k, v in raw.items()}
            if not any(text[k] for k in ("code", "text", "text_es", "target", "milestone_month", "recurring")):
                continue
            level = LEVEL_WORDS.get(text["level"].lower(), text["level"] or level)
            kind = KIND_WORDS.get(text["kind"].lower()) or (lf.INDICATOR if text["code"] else lf.OBJECTIVE)
            component = self._int(sheet, "component", r, raw["component"])
            if kind == lf.OBJECTIVE:
                objectives.append({"level": level, "component": component, "row": r,
                                   **{k: text[k] for k in m.OBJECTIVE_TEXTS}})
                continue
            indicators.append(self._indicator(sheet, r, raw, text, level, component))
        return (pd.DataFrame(objectives, columns=list(m.OBJECTIVE_COLUMNS)),
                pd.DataFrame(indicators, columns=list(m.INDICATOR_COLUMNS)))

    def _indicator(self, sheet, r, raw, text, level, component) -> dict:
        milestone = NAN
        if raw["milestone_month"] is not None:
            month = parse_month(raw["milestone_month"])
            if month is None:
                self.odd.append(OddCell(sheet, r, self.col(sheet, "milestone_month"), "milestone_month",
                                        raw["milestone_month"]))
            else:
                milestone = month
        from_year = NAN
        if text["recurring"]:
            year = parse_recurring(text["recurring"])
            if year is None:
                self.unreadable.append((sheet, self.cell(sheet, "recurring", r), text["recurring"],
                                        "a recurring rule such as \"Annually, beginning in year 2\""))
            else:
                from_year = year
        return {"level": level, "component": component, "code": text["code"], **{k: text[k] for k in m.INDICATOR_TEXTS},
                "milestone_month": milestone, "recurring": text["recurring"], "recurring_from_year": from_year,
                "row": r,
                "code_cell": self.cell(sheet, "code", r), "target_cell": self.cell(sheet, "target", r),
                "milestone_cell": self.cell(sheet, "milestone_month", r)}

    def activities(self, grid: Grid) -> tuple[pd.DataFrame, pd.DataFrame]:
        sheet = lf.ACTIVITIES_SHEET
        amounts, activities = [], []
        for r in range(lf.FIRST_ROW, grid.n_rows + 1):
            raw = self._row(grid, sheet, r)
            letter, text, text_es = as_text(raw["letter"]).lower(), as_text(raw["text"]), as_text(raw["text_es"])
            if raw["component"] is None and not letter and not text and not text_es:
                continue
            component = self._int(sheet, "component", r, raw["component"])
            number = "" if math.isnan(component) else str(int(component))
            if letter:
                if text or text_es:
                    activities.append({"component": number, "letter": letter, "code": lf.activity_code(number, letter),
                                       "text": text, "text_es": text_es, "row": r})
                continue
            figures = {}
            for key in ("donor", "counterpart"):
                value = as_number(raw[key])
                if value is None and raw[key] is not None:
                    self.odd.append(OddCell(sheet, r, self.col(sheet, key), key, raw[key]))
                figures[key] = NAN if value is None else value
            amounts.append({"component": number, "text": text, "text_es": text_es, **figures, "row": r,
                            "donor_cell": self.cell(sheet, "donor", r),
                            "counterpart_cell": self.cell(sheet, "counterpart", r)})
        return (pd.DataFrame(amounts, columns=list(m.AMOUNT_COLUMNS)),
                pd.DataFrame(activities, columns=list(m.ACTIVITY_COLUMNS)))

    def progress(self, grid: Grid, indicator_codes: set[str], activity_codes: set[str]) -> pd.DataFrame:
        sheet = lf.PROGRESS_SHEET
        records = []
        for r in range(lf.FIRST_ROW, grid.n_rows + 1):
            raw = self._row(grid, sheet, r)
            code = as_text(raw["code"])
            actual, status_text, comment = (as_text(raw[k]) for k in ("actual", "status", "comment"))
            spanish = {k: as_text(raw[k]) for k in ("actual_es", "comment_es")}
            if raw["period"] is None and not code and not (actual or status_text or comment or any(spanish.values())):
                continue
            period = self._int(sheet, "period", r, raw["period"])
            status = STATUS_WORDS.get(status_text.lower(), status_text)
            if status_text and status_text.lower() not in STATUS_WORDS:
                self.unreadable.append((sheet, self.cell(sheet, "status", r), status_text,
                                        "one of " + ", ".join((*lf.INDICATOR_STATUSES, *lf.ACTIVITY_STATUSES))))
            kind = ("indicator" if code in indicator_codes else "activity" if code.lower() in activity_codes
                    else "unknown")
            number = as_number(raw["actual"])
            if number is None and re.fullmatch(r"\s*-?\d+(?:\.\d+)?\s*", actual):
                number = float(actual)
            records.append({"period": period, "code": code.lower() if kind == "activity" else code, "kind": kind,
                            "actual": actual, "actual_number": NAN if number is None else number,
                            "status": status, "comment": comment, **spanish, "row": r,
                            "actual_cell": self.cell(sheet, "actual", r), "status_cell": self.cell(sheet, "status", r),
                            "code_cell": self.cell(sheet, "code", r)})
        return pd.DataFrame(records, columns=list(m.PROGRESS_COLUMNS))

    def narrative(self, grid: Grid) -> pd.DataFrame:
        sheet = lf.NARRATIVE_SHEET
        records = []
        keys = m.NARRATIVE_TEXTS
        for r in range(lf.FIRST_ROW, grid.n_rows + 1):
            raw = self._row(grid, sheet, r)
            texts = {k: as_text(raw[k]) for k in keys}
            if raw["period"] is None and not any(texts.values()):
                continue
            records.append({"period": self._int(sheet, "period", r, raw["period"]), **texts, "row": r})
        return pd.DataFrame(records, columns=list(m.NARRATIVE_COLUMNS))

    def risks(self, grid: Grid) -> pd.DataFrame:
        """The Risks sheet: one row per semester and risk; a rating or status mifkit does not know is kept as
        typed and listed as unreadable."""
        sheet = lf.RISKS_SHEET
        records = []
        for r in range(lf.FIRST_ROW, grid.n_rows + 1):
            raw = self._row(grid, sheet, r)
            text = {k: as_text(v) for k, v in raw.items()}
            if raw["period"] is None and not any(text[k] for k in ("code", "risk", "risk_es", "rating", "mitigation",
                                                                   "status", "comment")):
                continue
            values = {}
            for key, known in (("rating", lf.RISK_RATINGS), ("status", lf.RISK_STATUSES)):
                words = {w.lower(): w for w in known} | {k: v for k, v in lf.RISK_SPANISH.items() if v in known}
                values[key] = words.get(text[key].lower(), text[key])
                if text[key] and text[key].lower() not in words:
                    self.unreadable.append((sheet, self.cell(sheet, key, r), text[key], "one of " + ", ".join(known)))
            records.append({"period": self._int(sheet, "period", r, raw["period"]), "code": text["code"],
                            **{k: text[k] for k in ("risk", "risk_es", "mitigation", "mitigation_es", "comment",
                                                    "comment_es")},
                            **values, "row": r, "rating_cell": self.cell(sheet, "rating", r),
                            "code_cell": self.cell(sheet, "code", r)})
        return pd.DataFrame(records, columns=list(m.RISK_COLUMNS))

    def audits(self, grid: Grid) -> pd.DataFrame:
        """The Audits sheet: the date each audit reached the Bank (a date, or empty) and its opinion."""
        sheet = lf.AUDITS_SHEET
        records = []
        for r in range(lf.FIRST_ROW, grid.n_rows + 1):
            raw = self._row(grid, sheet, r)
            if raw["number"] is None and raw["delivered"] is None and not as_text(raw["opinion"]):
                continue
            delivered = as_date(raw["delivered"])
            if delivered is None and raw["delivered"] not in (None, ""):
                self.unreadable.append((sheet, self.cell(sheet, "delivered", r), as_text(raw["delivered"]),
                                        "a date"))
            records.append({"number": self._int(sheet, "number", r, raw["number"]), "delivered": delivered,
                            "opinion": as_text(raw["opinion"]), "opinion_es": as_text(raw["opinion_es"]), "row": r,
                            "delivered_cell": self.cell(sheet, "delivered", r)})
        return pd.DataFrame(records, columns=list(m.AUDIT_COLUMNS))

    def closing(self, grid: Grid) -> dict[str, dict[str, str]]:
        """The Closing sheet: the assessment of each topic, found by the topic's label (English or Spanish)."""
        sheet = lf.CLOSING_SHEET
        labels = {norm_label(label): key for key, en, es in lf.CLOSING_TOPICS for label in (en, es)}
        out = {}
        for r in range(lf.FIRST_ROW, grid.n_rows + 1):
            raw = self._row(grid, sheet, r)
            key = labels.get(norm_label(raw["topic"]))
            if key:
                out[key] = {"text": as_text(raw["text"]), "text_es": as_text(raw["text_es"])}
        return out


def as_date(value: object) -> dt.date | None:
    """A cell's date: a date or datetime, an ISO text ("2005-11-15"), or an Excel serial number."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    number = as_number(value)
    if number is not None and 20000 < number < 80000:
        return dt.date(1899, 12, 30) + dt.timedelta(days=int(number))
    try:
        return dt.date.fromisoformat(as_text(value)[:10])
    except ValueError:
        return None
