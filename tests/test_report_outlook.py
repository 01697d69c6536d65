"""The reports' outlook sections: disbursement milestones and projection, audits, risks, compliance, lessons
learned, the next semester's work plan and the final report's closing assessment.

Figures and dates are computed here from the workbooks' own cells (openpyxl, by column header), not from
mifkit's readers, and compared with what the report says.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil

import openpyxl
import pytest
from docx import Document

from compiler.report import compile_reports, report_context
from report_templates.make_templates import L
from tests.conftest import EXAMPLE
from workbook_templates import layout
from workbook_templates import logframe_layout as lf
from workbook_templates.build_logframe import write_logframe
from workbook_templates.logframe_spec import example_logframe_spec
from workbook_templates.spec import example_structure

SECTIONS = {
    "semiannual": ("plan_disb", "audits", "risks", "compliance", "lessons", "next_plan"),
    "quarterly": ("plan_disb", "risks", "compliance", "next_plan"),
    "final": ("plan_disb", "audits", "risks", "compliance", "lessons", "closing_h"),
}
PERIODS = {"semiannual": "3", "quarterly": "Q6", "final": "7"}
CONTRIBUTION_TOLERANCE = 0.5  # currency units: figures are printed rounded to the unit


@pytest.fixture(scope="module")
def example(built, tmp_path_factory):
    logframe = tmp_path_factory.mktemp("outlook") / "logframe.xlsx"
    write_logframe(example_logframe_spec(EXAMPLE), logframe)
    return built / "example.xlsx", logframe


def amount(text: str) -> float:
    return float(text.replace(",", ""))


def amounts_in(text: str) -> list[float]:
    return [amount(m) for m in re.findall(r"\d{1,3}(?:,\d{3})+", text)]


def sheet_rows(path, sheet: str, header_row: int, first_row: int) -> list[dict]:
    """A sheet's rows as dicts by column header, read with openpyxl (not mifkit's reader)."""
    ws = openpyxl.load_workbook(path, data_only=True)[sheet]
    headers = [c.value for c in ws[header_row]]
    rows = []
    for values in ws.iter_rows(min_row=first_row, values_only=True):
        if values[0] in (None, "") or values[0] == layout.LABEL_TOTAL:
            if values[0] == layout.LABEL_TOTAL:
                break
            continue
        rows.append(dict(zip(headers, values, strict=False)))
    return rows


def test_projection_and_balance_against_the_disbursements_sheet(example):
    budget, logframe = example
    rows = sheet_rows(budget, layout.DISBURSEMENTS_SHEET, layout.DISBURSEMENTS_HEADER_ROW,
                      layout.DISBURSEMENTS_FIRST_ROW)
    ws = openpyxl.load_workbook(budget, data_only=True)[layout.BUDGET_SHEET]
    total_row = next(r for r in ws.iter_rows(values_only=True) if r[1] == layout.LABEL_TOTAL)
    contribution = float(total_row[layout.column_index(example_structure())["donor"] - 1])
    received = sum(float(r["Received from the donor"] or 0) for r in rows if r["Semester"] <= 3)
    ahead = [r for r in rows if r["Semester"] > 3]
    projected = sum(float(r["Projected disbursement"] or 0) for r in ahead)
    assert (contribution, received) == (970000.0, 410000.0)

    context = report_context(budget, logframe, "3", "semiannual", "en")
    text = context["projection_text"]
    next_row = next(r for r in rows if r["Semester"] == 4)
    assert f"USD {next_row['Projected disbursement']:,.0f}" in text and next_row["Disbursement milestone"] in text
    figures = amounts_in(text.split(". ", 1)[1])
    for expected in (contribution, received, contribution - received, projected):
        assert any(abs(f - expected) <= CONTRIBUTION_TOLERANCE for f in figures), (expected, text)
    assert [amount(r["projected"]) for r in context["projection"]] == [float(r["Projected disbursement"])
                                                                       for r in ahead]
    assert abs(amount(context["projection_total"]["projected"]) - projected) <= CONTRIBUTION_TOLERANCE
    assert "exceeds" not in text  # 530,000 projected within the 560,000 undisbursed


def test_milestones_met_to_date_and_in_spanish(example):
    budget, logframe = example
    rows = sheet_rows(budget, layout.DISBURSEMENTS_SHEET, layout.DISBURSEMENTS_HEADER_ROW,
                      layout.DISBURSEMENTS_FIRST_ROW)
    upto = [r for r in rows if r["Semester"] <= 3]
    met = sum(1 for r in upto if r["Milestone met"] == "Yes")
    en = report_context(budget, logframe, "3", "semiannual", "en")
    es = report_context(budget, logframe, "3", "semiannual", "es")
    assert en["milestones_text"].startswith(f"{met} of the {len(upto)} disbursement milestones")
    assert [m["condition"] for m in en["milestones"]] == [r["Disbursement milestone"] for r in upto]
    assert [m["condition"] for m in es["milestones"]] == [r["Disbursement milestone (Spanish)"] for r in upto]
    assert [amount(m["received"]) for m in en["milestones"]] == [float(r["Received from the donor"]) for r in upto]
    assert {m["met"] for m in es["milestones"]} == {"cumplido"}
    final = report_context(budget, logframe, "7", "final", "en")
    assert len(final["milestones"]) == len(rows) and final["projection"] == []
    assert "no further disbursement" in final["projection_text"]


def test_a_milestone_not_met_and_a_projection_over_the_balance_are_said(example, tmp_path):
    budget, logframe = example
    edited = tmp_path / "budget.xlsx"
    shutil.copy(budget, edited)
    book = openpyxl.load_workbook(edited)
    ws = book[layout.DISBURSEMENTS_SHEET]
    row = layout.DISBURSEMENTS_FIRST_ROW + 5  # semester 6
    ws[layout.disbursement_cell("projected", row)] = 260000
    ws[layout.disbursement_cell("milestone_met", row - 3)] = "No"  # semester 3
    book.save(edited)
    context = report_context(edited, logframe, "3", "semiannual", "en")
    assert "exceeds the undisbursed balance by 100,000" in context["projection_text"]  # 660,000 against 560,000
    assert context["milestones_text"].startswith("2 of the 3")
    assert context["milestones"][2]["met"] == "not met"


def test_audit_due_dates_and_status_as_of_the_report(example):
    """Audit 1 covers the twelve months from the first disbursement and is due 120 days after; delivered (Audits
    sheet) after the end of semester 3, so overdue in that report and delivered late in the final one."""
    budget, logframe = example
    project = openpyxl.load_workbook(budget, data_only=True)[layout.PROJECT_SHEET]
    label = layout.PROJECT_FIELD_BY_KEY["first_disbursement"].label
    first = next(r[1] for r in project.iter_rows(values_only=True) if r[0] == label)
    first = first.date() if isinstance(first, dt.datetime) else first
    end = dt.date(first.year + 1, first.month, first.day) - dt.timedelta(days=1)
    due = end + dt.timedelta(days=120)
    audits = sheet_rows(logframe, lf.AUDITS_SHEET, lf.HEADER_ROW, lf.FIRST_ROW)
    delivered = audits[0]["Delivered on"].date()
    assert due < delivered  # the example's first audit came late

    s3 = report_context(budget, logframe, "3", "semiannual", "en")["audits"]
    assert len(s3) == 4  # 42 months of disbursements: three years and a last half year
    assert s3[0]["due"] == f"{due.day} {due:%B %Y}" and s3[0]["status"] == "overdue" and s3[0]["delivered"] == "–"
    assert s3[1]["status"] == "not yet due"
    final = report_context(budget, logframe, "7", "final", "es")["audits"]
    assert final[0]["status"] == "entregada con retraso" and str(delivered.year) in final[0]["delivered"]
    assert final[0]["opinion"] == audits[0]["Opinion and remarks (Spanish)"]
    assert [a["status"] for a in final[1:]] == ["vencida", "vencida", "en preparación"]


def test_risks_as_last_reviewed_by_the_reports_period(example):
    budget, logframe = example
    risks = sheet_rows(logframe, lf.RISKS_SHEET, lf.HEADER_ROW, lf.FIRST_ROW)
    for period, last in (("3", 3), ("Q5", 2)):
        kind = "quarterly" if period.startswith("Q") else "semiannual"
        context = report_context(budget, logframe, period, kind, "en")
        expected = {r["Risk"]: (r["Rating"], r["Status"]) for r in risks if r["Semester"] == last}
        assert {r["code"]: (r["rating"], r["status"]) for r in context["risks"]} == expected
    es = report_context(budget, logframe, "3", "semiannual", "es")
    spanish = {r["Risk"]: r["Description (Spanish)"] for r in risks if r["Semester"] == 3}
    assert {r["code"]: r["risk"] for r in es["risks"]} == spanish
    assert {r["rating"] for r in es["risks"]} <= {"Alto", "Medio", "Bajo"}


def test_narratives_are_the_periods_own(example):
    budget, logframe = example
    narrative = {r["Semester"]: r for r in sheet_rows(logframe, lf.NARRATIVE_SHEET, lf.HEADER_ROW, lf.FIRST_ROW)}
    context = report_context(budget, logframe, "3", "semiannual", "es")
    assert context["lessons"] == [narrative[3]["Lessons learned (Spanish)"]]
    assert context["next_plan"] == [narrative[3]["Work plan for the next semester (Spanish)"]]
    q5 = report_context(budget, logframe, "Q5", "quarterly", "en")  # no semester closes in Q5
    assert q5["compliance"] == ["Nothing recorded for Quarter 5: Jul–Sep 2005."]
    final = report_context(budget, logframe, "7", "final", "en")
    assert final["lessons"][0].startswith("Semester 1: Jul–Dec 2004: ") and len(final["lessons"]) == 3


def test_closing_assessment_and_the_advance_at_close(example):
    budget, logframe = example
    rows = sheet_rows(budget, layout.DISBURSEMENTS_SHEET, layout.DISBURSEMENTS_HEADER_ROW,
                      layout.DISBURSEMENTS_FIRST_ROW)
    outstanding = sum(float(r["Revolving-fund advance"] or 0) - float(r["Amount justified"] or 0) for r in rows)
    closing = {r["Topic"]: r for r in sheet_rows(logframe, lf.CLOSING_SHEET, lf.HEADER_ROW, lf.FIRST_ROW)}
    context = report_context(budget, logframe, "7", "final", "en")
    assert f"USD {outstanding:,.0f}" in context["closing_advance"] and outstanding == 97000
    assert [c["text"] for c in context["closing"]] == [closing[en]["Assessment"] for _k, en, _es in lf.CLOSING_TOPICS]


@pytest.mark.parametrize("kind", list(SECTIONS))
def test_each_section_in_each_kind_and_language(example, kind, tmp_path):
    budget, logframe = example
    jobs = [(kind, lang, tmp_path / f"{kind}_{lang}.docx") for lang in ("en", "es")]
    compile_reports(budget, logframe, PERIODS[kind], jobs, allow_errors=True)
    for _kind, lang, path in jobs:
        document = Document(path)
        headings = {p.text for p in document.paragraphs if p.style.name.startswith("Heading")}
        missing = [L[lang][key] for key in SECTIONS[kind] if L[lang][key] not in headings]
        assert not missing, f"{kind} {lang}: {missing}"
        text = "\n".join(p.text for p in document.paragraphs)
        cells = "\n".join(c.text for t in document.tables for row in t.rows for c in row.cells)
        risk_word = {"en": "Materialized", "es": "Materializado"}[lang]
        assert risk_word in cells
        if kind == "final":
            assert {"en": "Sustainability", "es": "Sostenibilidad"}[lang] in text
        else:
            assert {"en": "Next disbursement", "es": "Próximo desembolso"}[lang] in text


def test_a_logframe_without_the_new_sheets_still_makes_every_report(example, tmp_path):
    """A logframe workbook made before the Risks, Audits and Closing sheets and the new Narrative columns."""
    budget, logframe = example
    old = tmp_path / "old_logframe.xlsx"
    book = openpyxl.load_workbook(logframe)
    for sheet in lf.OPTIONAL_SHEETS:
        del book[sheet]
    ws = book[lf.NARRATIVE_SHEET]
    first_new = lf.col_number(lf.NARRATIVE_SHEET, "next_plan")
    ws.delete_cols(first_new, len(lf.NARRATIVE_COLUMNS) - first_new + 1)
    book.save(old)
    for kind, period in PERIODS.items():
        context = report_context(budget, old, period, kind, "en")
        assert context["risks"] == [] and context["risks_text"].startswith("No risk review")
        assert context["lessons"][0].startswith("Nothing recorded")
        assert all(a["delivered"] == "–" for a in context["audits"])
