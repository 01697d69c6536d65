"""The logframe workbook's layout, declared once (the builder, the reader and the rules use it).

The LOGFRAME workbook is the project director's and the M&E officer's, apart from the finance
officer's budget workbook.  Four sheets:

- **Logframe**: Annex I of the project document, one row per objective or indicator: level (Goal,
  Purpose, Component), component number, kind (Objective or Indicator), code (1.5), text, unit,
  baseline, target, milestone month ("By month 14" -> 14; "By project end" -> the last month of
  execution), recurring rule ("Annually, beginning in year 2"), means of verification, assumptions.
- **Activities**: per component a heading row with the MIF and counterpart amounts the logframe
  states, then the activities a, b, c ...
- **Progress**: long, one row per semester and indicator or activity: actual value, status, comment.
- **Narrative**: one row per semester: achievements; problems and action taken; administrative
  matters; follow-up on the strategy councils' decisions (paragraphs 5.1 and 5.2); the work plan for
  the next semester; environmental and occupational-safety compliance (paragraphs 2.5(v), 5.4(v), 7.1);
  lessons learned.

Three more sheets, optional when reading (a workbook made before them reads as before):

- **Risks**: one row per semester and risk (paragraph 6.3): the risk, its rating (High, Medium, Low),
  the mitigation, its status (Active, Mitigated, Materialized, Closed) and a comment.
- **Audits**: one row per external audit (one per year of disbursements, the last to the last
  disbursement): the date the audited statements reached the Bank and the auditor's opinion.  The
  period each covers and its due date are computed by mifkit (compiler/report/schedule.py).
- **Closing**: the final report's end-of-project assessment: sustainability, the beneficiaries'
  satisfaction, and how the advance still outstanding is settled.

Every text a report prints has an optional Spanish twin right after it ("Target (Spanish)"): the
Spanish report prints the Spanish text where it is filled and the English one where it is not, and a
workbook without these columns (written before they existed, or with them deleted) reads as before.

Long tables (a row per semester and code) rather than a block of columns per semester, because
comments and narratives need wide wrapped cells, and an officer filters one semester with the
column filter.
"""

from __future__ import annotations

from dataclasses import dataclass

from workbook_templates.layout import column_letter

LOGFRAME_TEMPLATE_VERSION = "mifkit-logframe/1"

LOGFRAME_SHEET = "Logframe"
ACTIVITIES_SHEET = "Activities"
PROGRESS_SHEET = "Progress"
NARRATIVE_SHEET = "Narrative"
LOGFRAME_SHEETS = (LOGFRAME_SHEET, ACTIVITIES_SHEET, PROGRESS_SHEET, NARRATIVE_SHEET)
RISKS_SHEET = "Risks"
AUDITS_SHEET = "Audits"
CLOSING_SHEET = "Closing"
OPTIONAL_SHEETS = (RISKS_SHEET, AUDITS_SHEET, CLOSING_SHEET)

GOAL, PURPOSE, COMPONENT = "Goal", "Purpose", "Component"
LEVELS = (GOAL, PURPOSE, COMPONENT)
OBJECTIVE, INDICATOR = "Objective", "Indicator"
KINDS = (OBJECTIVE, INDICATOR)

# Status of an indicator or an activity in a semester (Spanish accepted when reading).
INDICATOR_STATUSES = ("Met", "On track", "Behind", "Not met", "Not yet due")
ACTIVITY_STATUSES = ("Not started", "In progress", "Completed", "Delayed", "Cancelled")
MET = "Met"
STATUS_SPANISH = {
    "cumplido": "Met", "en curso": "On track", "según lo previsto": "On track", "atrasado": "Behind",
    "no cumplido": "Not met", "aún no vence": "Not yet due", "no iniciada": "Not started",
    "en ejecución": "In progress", "completada": "Completed", "retrasada": "Delayed", "cancelada": "Cancelled",
}

# A risk's rating and status (Spanish accepted when reading).
RISK_RATINGS = ("High", "Medium", "Low")
RISK_STATUSES = ("Active", "Mitigated", "Materialized", "Closed")
RISK_SPANISH = {"alto": "High", "alta": "High", "medio": "Medium", "media": "Medium", "bajo": "Low", "baja": "Low",
                "activo": "Active", "mitigado": "Mitigated", "materializado": "Materialized", "cerrado": "Closed"}
# The Closing sheet's topics, in order: (key, English label, Spanish label).
CLOSING_TOPICS = (("sustainability", "Sustainability", "Sostenibilidad"),
                  ("satisfaction", "Beneficiaries' satisfaction", "Satisfacción de los beneficiarios"),
                  ("advance", "Settling the outstanding advance", "Liquidación del anticipo pendiente"))

TITLE_ROW = 1
SUBTITLE_ROW = 2


@dataclass(frozen=True)
class Col:
    """A column of a logframe sheet: key (the model's), header, kind and width."""

    key: str
    header: str
    kind: str  # text | int | money | choice | date | label (written by mifkit, not read)
    width: float = 12
    wrap: bool = False
    optional: bool = False  # a workbook without this column still reads (the Spanish texts)


def spanish(key: str, header: str, width: float) -> Col:
    """The optional Spanish twin of a text column, placed right after it: the Spanish report prints it
    where it is filled, the English text where it is not."""
    return Col(f"{key}_es", f"{header} (Spanish)", "text", width, True, optional=True)


LOGFRAME_COLUMNS: tuple[Col, ...] = (
    Col("level", "Level", "choice", 10),
    Col("component", "Component", "int", 10),
    Col("kind", "Kind", "choice", 10),
    Col("code", "Code", "text", 7),
    Col("text", "Objective or indicator", "text", 48, True),
    spanish("text", "Objective or indicator", 48),
    Col("unit", "Unit", "text", 14, True),
    spanish("unit", "Unit", 14),
    Col("baseline", "Baseline", "text", 12, True),
    spanish("baseline", "Baseline", 12),
    Col("target", "Target", "text", 16, True),
    spanish("target", "Target", 16),
    Col("milestone_month", "Milestone (month)", "int", 10),
    Col("recurring", "Recurring rule", "text", 16, True),
    Col("means", "Means of verification", "text", 34, True),
    spanish("means", "Means of verification", 34),
    Col("assumptions", "Assumptions", "text", 30, True),
    spanish("assumptions", "Assumptions", 30),
)
ACTIVITY_COLUMNS: tuple[Col, ...] = (
    Col("component", "Component", "int", 10),
    Col("letter", "Activity", "text", 8),
    Col("text", "Description", "text", 60, True),
    spanish("text", "Description", 60),
    Col("donor", "MIF", "money", 13),
    Col("counterpart", "Counterpart", "money", 13),
)
PROGRESS_COLUMNS: tuple[Col, ...] = (
    Col("period", "Semester", "int", 9),
    Col("code", "Code", "text", 7),
    Col("label", "Indicator or activity", "label", 46, True),
    Col("target", "Target", "label", 16, True),
    Col("milestone", "Milestone", "label", 12, True),
    Col("actual", "Actual value", "text", 16, True),
    spanish("actual", "Actual value", 16),
    Col("status", "Status", "choice", 12),
    Col("comment", "Comment", "text", 48, True),
    spanish("comment", "Comment", 48),
)
NARRATIVE_COLUMNS: tuple[Col, ...] = (
    Col("period", "Semester", "int", 9),
    Col("period_name", "Period", "label", 14, True),
    Col("achievements", "Achievements", "text", 45, True),
    spanish("achievements", "Achievements", 45),
    Col("problems", "Problems and action taken", "text", 45, True),
    spanish("problems", "Problems and action taken", 45),
    Col("administrative", "Administrative matters", "text", 35, True),
    spanish("administrative", "Administrative matters", 35),
    Col("council_follow_up", "Follow-up on strategy council decisions", "text", 35, True),
    spanish("council_follow_up", "Follow-up on strategy council decisions", 35),
    Col("next_plan", "Work plan for the next semester", "text", 40, True, optional=True),
    spanish("next_plan", "Work plan for the next semester", 40),
    Col("compliance", "Environmental and occupational safety compliance", "text", 40, True, optional=True),
    spanish("compliance", "Environmental and occupational safety compliance", 40),
    Col("lessons", "Lessons learned", "text", 40, True, optional=True),
    spanish("lessons", "Lessons learned", 40),
)
RISK_COLUMNS: tuple[Col, ...] = (
    Col("period", "Semester", "int", 9),
    Col("code", "Risk", "text", 6),
    Col("risk", "Description", "text", 40, True),
    spanish("risk", "Description", 40),
    Col("rating", "Rating", "choice", 10),
    Col("mitigation", "Mitigation", "text", 40, True),
    spanish("mitigation", "Mitigation", 40),
    Col("status", "Status", "choice", 12),
    Col("comment", "Comment", "text", 34, True),
    spanish("comment", "Comment", 34),
)
AUDIT_COLUMNS: tuple[Col, ...] = (
    Col("number", "Audit", "int", 7),
    Col("covers", "Period audited", "label", 26, True),
    Col("due", "Due at the Bank", "label", 14),
    Col("delivered", "Delivered on", "date", 14),
    Col("opinion", "Opinion and remarks", "text", 48, True),
    spanish("opinion", "Opinion and remarks", 48),
)
CLOSING_COLUMNS: tuple[Col, ...] = (
    Col("topic", "Topic", "label", 24, True),
    Col("text", "Assessment", "text", 70, True),
    spanish("text", "Assessment", 70),
)
COLUMNS = {LOGFRAME_SHEET: LOGFRAME_COLUMNS, ACTIVITIES_SHEET: ACTIVITY_COLUMNS,
           PROGRESS_SHEET: PROGRESS_COLUMNS, NARRATIVE_SHEET: NARRATIVE_COLUMNS, RISKS_SHEET: RISK_COLUMNS,
           AUDITS_SHEET: AUDIT_COLUMNS, CLOSING_SHEET: CLOSING_COLUMNS}
HEADER_ROW = 4
FIRST_ROW = 5

BLANK_INDICATOR_ROWS = 40   # empty rows the blank template offers on each sheet
BLANK_ACTIVITY_ROWS = 7     # per component (a-g)
BLANK_COMPONENTS = 4
BLANK_PROGRESS_ROWS = 300
BLANK_RISK_ROWS = 60

RECURRING_PATTERN = r"(?:annual|anual|every year|cada año)\D*?(?:(?:year|año)\s*(\d+))?\s*$"


def col_number(sheet: str, key: str) -> int:
    """The column of `key` in the template mifkit writes (a workbook read may lack the optional columns:
    the reader finds its columns by their headers, compiler.read_logframe.find_columns)."""
    return next(i for i, c in enumerate(COLUMNS[sheet], start=1) if c.key == key)


def cell(sheet: str, key: str, row: int) -> str:
    """A1 address of column `key` on `row` of a logframe sheet."""
    return f"{column_letter(col_number(sheet, key))}{row}"


def activity_code(component: int | str, letter: str) -> str:
    """ "1", "a" -> "1.a": how Progress names an activity."""
    return f"{component}.{letter.strip().lower()}"
