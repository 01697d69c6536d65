"""Each kind of report shows its own period's figures, from that period's records, checked against figures
computed here from the workbook's own tables."""

from __future__ import annotations

import datetime as dt

import pytest

from compiler.read_budget import load_budget
from compiler.report import report_context
from tests.conftest import EXAMPLE
from workbook_templates.build_logframe import write_logframe
from workbook_templates.logframe_spec import example_logframe_spec


@pytest.fixture(scope="module")
def example(built, tmp_path_factory):
    logframe = tmp_path_factory.mktemp("periods") / "logframe.xlsx"
    write_logframe(example_logframe_spec(EXAMPLE), logframe)
    return built / "example.xlsx", logframe, load_budget(built / "example.xlsx")


def whole(value: float) -> str:
    return f"{int(value + 0.5):,}"


def test_quarter_does_not_print_its_semesters_spending_as_its_own(example):
    """Q6 (Oct-Dec 2005) ends with semester 3; the record has semester 3's spending (Jul-Dec), not Q6's."""
    budget_path, logframe, budget = example
    context = report_context(budget_path, logframe, "Q6", "quarterly", "en")
    execution = budget.execution
    semester_3 = float(execution.loc[execution["period"] == 3, "amount"].sum())
    to_date = float(execution.loc[execution["period"] <= 3, "amount"].sum())
    assert semester_3 > 0
    assert context["components_total"]["period"] == "–" and context["sources_total"]["period"] == "–"
    assert all(row["period"] == "–" for row in context["components"] + context["sources"])
    assert context["components_total"]["cumulative"] == whole(to_date)
    assert whole(semester_3) not in context["summary_text"]
    assert "not recorded separately" in context["summary_text"]


def test_semester_report_keeps_its_semesters_spending(example):
    budget_path, logframe, budget = example
    context = report_context(budget_path, logframe, "3", "semiannual", "en")
    semester_3 = float(budget.execution.loc[budget.execution["period"] == 3, "amount"].sum())
    assert context["components_total"]["period"] == whole(semester_3)


def test_final_report_says_which_periods_have_no_record(example):
    budget_path, logframe, budget = example
    context = report_context(budget_path, logframe, "7", "final", "en")
    recorded = set(budget.execution["period"].astype(int))
    missing = [n for n in range(1, 8) if n not in recorded]
    assert missing == [4, 5, 6, 7]  # the example records semesters 1-3
    assert "No execution is recorded for Semesters 4–7." in context["financial_basis"]
    statuses = {row["period"].split(":")[0]: row["status"] for row in context["pari_passu"]}
    assert [statuses[f"Semester {n}"] for n in missing] == ["no record"] * 4
    assert statuses["Semester 3"] != "no record"


def test_final_report_names_the_advance_outstanding_at_closing(example):
    budget_path, logframe, budget = example
    context = report_context(budget_path, logframe, "7", "final", "en")
    frame = budget.disbursements
    outstanding = float(frame["advance"].sum()) - float(frame["justified"].sum())
    assert outstanding == pytest.approx(97_000, abs=0.5)
    assert f"advance of USD {whole(outstanding)} is still outstanding" in context["cash_text"]
    semiannual = report_context(budget_path, logframe, "3", "semiannual", "en")
    assert "still outstanding" not in semiannual["cash_text"]  # only at closing


def test_cash_on_hand_is_received_less_spent(example):
    budget_path, logframe, budget = example
    context = report_context(budget_path, logframe, "3", "semiannual", "en")
    received = float(budget.disbursements.loc[budget.disbursements["period"] <= 3, "donor_received"].sum())
    execution = budget.execution
    spent = float(execution.loc[(execution["period"] <= 3) & (execution["source"] == "donor"), "amount"].sum())
    assert f"received USD {whole(received)}, less spent from MIF funds {whole(spent)}, leaves " \
           f"{whole(received - spent)} on hand" in context["cash_text"]


def test_first_payment_into_the_fund_is_the_advance_later_ones_replenish_it(example):
    budget_path, logframe, budget = example
    context = report_context(budget_path, logframe, "3", "semiannual", "es")
    types = [row["type"] for row in context["disbursements"]]
    paid = [float(budget.disbursements.loc[budget.disbursements["period"] == n, "advance"].sum()) for n in (1, 2, 3)]
    assert all(paid) and types == ["anticipo", "reposición", "reposición"]


def test_first_evaluation_due_18_months_after_the_first_disbursement(example):
    budget_path, logframe, budget = example
    context = report_context(budget_path, logframe, "3", "semiannual", "en")
    first, second = context["evaluations"]
    received = float(budget.disbursements.loc[budget.disbursements["period"] <= 3, "donor_received"].sum())
    donor = float(budget.lines["donor"].sum())
    assert received / donor < 0.5  # so the 18 months decide
    start = budget.project.first_disbursement_date
    assert start == dt.date(2004, 7, 1)
    assert (first["due"], first["status"]) == ("31 December 2005", "due")
    assert second["status"] == "not yet due" and f"{received / donor:.1%}" in second["basis"]


def test_planned_and_executed_by_budget_year_add_up_to_the_budget(example):
    """Year k is semesters 2k-1 and 2k; the year columns plan the lines, contingencies and lines outside the
    subtotal are not phased by year and have their own row; the rows add up to the budget's total."""
    budget_path, logframe, budget = example
    context = report_context(budget_path, logframe, "3", "semiannual", "en")
    lines = budget.lines
    phased = lines[lines["kind"] == "line"]
    execution = budget.execution
    refs = set(phased["ref"].astype(str))
    on_lines = execution[execution["ref"].astype(str).isin(refs)]
    rows = {row["name"]: row for row in context["years"]}
    assert rows["Year 1"]["planned"] == whole(float(phased["y1_subtotal"].sum()))
    assert rows["Year 1"]["executed"] == whole(float(on_lines.loc[on_lines["period"].isin([1, 2]), "amount"].sum()))
    assert rows["Year 2"]["executed"] == whole(float(on_lines.loc[on_lines["period"] == 3, "amount"].sum()))
    assert rows["Year 2"]["note"] == "to date"
    assert rows["Year 3"]["executed"] == "–"  # no semester of year 3 had closed by semester 3
    unphased = float(lines.loc[lines["kind"] != "line", "total"].sum())
    assert unphased > 0
    assert context["years"][-1]["planned"] == whole(unphased)
    assert context["years_total"]["planned"] == whole(float(lines["total"].sum()))
    final = report_context(budget_path, logframe, "7", "final", "en")
    assert {row["name"]: row["note"] for row in final["years"]}["Year 3"] == "no record"


def test_quarter_recorded_per_quarter_reports_its_own_spending(example):
    """Where execution is recorded per quarter (the `quarter` column of the record), the quarterly report's
    figures are the quarter's own: here semester 3's lines recorded alternately in Q5 and Q6."""
    from compiler.findings import Report
    from compiler.report.context import ReportInputs, build_context
    from compiler.report.inputs import load_inputs

    budget_path, logframe, _budget = example
    loaded = load_inputs(budget_path, logframe, "Q6")
    execution = loaded.budget.execution.copy()
    execution["quarter"] = [2 * p - (n % 2) for n, p in enumerate(execution["period"].astype(int))]
    loaded.budget.execution = execution
    context = build_context(ReportInputs(
        budget=loaded.budget, logframe=loaded.logframe, validation=Report(findings=[]),
        period=loaded.period("quarterly"), semesters=loaded.semesters, kind="quarterly", lang="en",
        compiled_on=dt.date(2006, 1, 15)))
    q6 = float(execution.loc[execution["quarter"] == 6, "amount"].sum())
    to_q6 = float(execution.loc[execution["quarter"] <= 6, "amount"].sum())
    semester_3 = float(execution.loc[execution["period"] == 3, "amount"].sum())
    assert 0 < q6 < semester_3
    assert context["components_total"]["period"] == whole(q6)
    assert context["components_total"]["cumulative"] == whole(to_q6)
    assert "Figures to the end of Quarter 6" in context["financial_basis"]


def test_final_report_is_validated_as_of_its_own_period(example):
    """The final report for semester 7 judges what is due by month 42 and names the semesters without a record,
    though the record stops at semester 3; the semiannual report of semester 3 is validated as of semester 3."""
    budget_path, logframe, budget = example
    final = report_context(budget_path, logframe, "7", "final", "en")
    assert final["findings_text"].startswith("Validated as of the end of Semester 7: Jul–Dec 2007.")
    recorded = set(budget.execution["period"].astype(int))
    assert recorded == {1, 2, 3}
    unrecorded = [f for f in final["findings"] if f["code"] == "EX11"]
    assert len(unrecorded) == 1 and "Semesters 4–7" in unrecorded[0]["message"]
    # every indicator the final report's table calls overdue is in its annex, and nothing else of the logframe's
    overdue = {row["code"] for row in final["indicators"] if row["status"] == "overdue"}
    annexed = {f["message"].split()[1] for f in final["findings"] if f["code"] in ("LF03", "LF04")}
    assert overdue == annexed and len(overdue) == 15
    semiannual = report_context(budget_path, logframe, "3", "semiannual", "en")
    assert semiannual["findings_text"].startswith("Validated as of the end of Semester 3: Jul–Dec 2005.")
    assert not [f for f in semiannual["findings"] if f["code"] in ("EX11", "LF03")]
    assert {f["message"].split()[1] for f in semiannual["findings"] if f["code"] == "LF04"} == {"2.2"}


def test_lf04_names_the_period_judged_and_the_last_record(example):
    budget_path, logframe, _budget = example
    final = report_context(budget_path, logframe, "7", "final", "en")
    (late,) = [f["message"] for f in final["findings"] if f["code"] == "LF04"]
    assert "is overdue: milestone month 14 has passed and it is not met at the end of Semester 7: Jul–Dec 2007 " \
        "(last recorded at the end of Semester 3" in late


@pytest.mark.parametrize("lang, overdue_word", [("en", "overdue"), ("es", "vencido")])
def test_one_status_word_in_table_sentence_and_findings(example, lang, overdue_word):
    """Indicator 2.2 is recorded as "Behind" by the officer but its month-14 milestone has passed: the table, the
    generated sentence and the annex's finding all call it overdue."""
    budget_path, logframe, _budget = example
    context = report_context(budget_path, logframe, "3", "semiannual", lang)
    row = next(r for r in context["indicators"] if r["code"] == "2.2")
    assert row["status"] == overdue_word
    assert context["indicator_summary"].endswith(": 2.2.")
    assert f"{overdue_word}: 1" in context["indicator_summary"]
    (finding,) = [f for f in context["findings"] if f["code"] == "LF04"]
    assert overdue_word in finding["message"].lower()
    assert "behind" not in context["indicator_summary"].lower() and "rezagado" not in context["indicator_summary"]


def test_quarterly_report_says_its_progress_is_per_semester(example):
    """The logframe records progress per semester: Q6 (Oct-Dec 2005) shows what semester 3 recorded, judged at
    month 18; Q5 (Jul-Sep 2005) what semester 2 recorded, judged at month 15, and has no narrative of its own."""
    budget_path, logframe, _budget = example
    q6 = report_context(budget_path, logframe, "Q6", "quarterly", "en")
    assert q6["indicators_text"].startswith("The logframe records progress per semester: the indicators and "
                                            "activities below are those recorded by the end of Semester 3: "
                                            "Jul–Dec 2005, judged at the end of Quarter 6: Oct–Dec 2005 (project "
                                            "month 18).")
    q5 = report_context(budget_path, logframe, "Q5", "quarterly", "es")
    assert "registrados al cierre del Semestre 2: ene–jun 2005" in q5["indicators_text"]
    assert "(mes 15 del proyecto)" in q5["indicators_text"]
    assert "ningún semestre cierra en el Trimestre 5" in " ".join(q5["problems"])
