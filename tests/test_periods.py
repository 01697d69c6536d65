"""Reporting periods counted from the first disbursement (paragraphs 4.4, 5.1, 5.2)."""

from __future__ import annotations

import datetime as dt

import pytest

from compiler import periods

D = dt.date


def test_example_semesters_over_the_disbursement_period():
    sems = periods.semesters(D(2004, 7, 1), 42)
    assert len(sems) == 7
    assert sems[0].name() == "Semester 1: Jul–Dec 2004"
    assert sems[2].name() == "Semester 3: Jul–Dec 2005"
    assert sems[2].name("es") == "Semestre 3: jul–dic 2005"
    assert (sems[2].start, sems[2].end) == (D(2005, 7, 1), D(2005, 12, 31))
    assert sems[-1].name() == "Semester 7: Jul–Dec 2007"
    assert [s.last_month for s in sems] == [6, 12, 18, 24, 30, 36, 42]


@pytest.mark.parametrize("number, due", [(1, D(2005, 3, 1)), (2, D(2005, 8, 29)), (3, D(2006, 3, 1))])
def test_report_due_sixty_days_after_the_close(number, due):
    assert periods.semesters(D(2004, 7, 1), 42)[number - 1].report_due == due


def test_quarters():
    qs = periods.quarters(D(2004, 7, 1), 36)
    assert len(qs) == 12
    assert qs[4].name() == "Quarter 5: Jul–Sep 2005"
    assert qs[4].name("es") == "Trimestre 5: jul–sep 2005"


def test_periods_across_a_year_end_name_both_years():
    sems = periods.semesters(D(2004, 10, 1), 12)
    assert sems[0].name() == "Semester 1: Oct 2004–Mar 2005"
    assert sems[1].end == D(2005, 9, 30)


def test_start_on_the_15th_keeps_the_day_and_names_it():
    sems = periods.semesters(D(2004, 7, 15), 42)
    assert (sems[0].start, sems[0].end) == (D(2004, 7, 15), D(2005, 1, 14))
    assert sems[1].start == D(2005, 1, 15)
    assert sems[0].name() == "Semester 1: 15 Jul 2004–14 Jan 2005"
    assert sems[0].report_due == D(2005, 3, 15)


def test_start_on_the_31st_never_overlaps_or_leaves_gaps():
    sems = periods.semesters(D(2003, 8, 31), 42)
    assert sems[0].end == D(2004, 2, 28)       # next start: 29 Feb 2004 (leap year), clamped
    assert sems[1].start == D(2004, 2, 29)
    for a, b in zip(sems, sems[1:], strict=False):
        assert b.start == a.end + dt.timedelta(days=1)


def test_partial_last_semester_and_helpers():
    sems = periods.semesters(D(2004, 7, 1), 40)
    assert len(sems) == 7 and sems[-1].last_month == 40
    assert periods.semester_count(36) == 6 and periods.semester_count(42) == 7
    assert periods.semester_of_month(14) == 3 and periods.semester_of_month(6) == 1
    assert periods.semester_label(3, None) == "Semester 3"
    assert periods.semester_label(3, D(2004, 7, 1), "es") == "Semestre 3: jul–dic 2005"


def test_slips_in_the_dates_do_not_raise():
    assert len(periods.semesters(D(2004, 7, 1), 4200)) == periods.MAX_SEMESTERS
    assert periods.semesters(D(9998, 7, 1), 42)[0].name() == "Semester 1: Jul–Dec 9998"
    assert periods.semester_label(10**9, D(2004, 7, 1)) == "Semester 1000000000"


def test_cli_lists_the_periods_and_due_dates(built):
    import subprocess
    import sys

    def mifkit(*args):
        return subprocess.run([sys.executable, "-m", "compiler.cli", *map(str, args)], capture_output=True,
                              text=True, check=False)

    done = mifkit("periods", built / "example.xlsx")
    lines = done.stdout.splitlines()
    assert done.returncode == 0 and len(lines) == 7
    assert lines[2].startswith("Semester 3: Jul–Dec 2005") and lines[2].endswith("report due 1 Mar 2006")
    assert "after the execution period" in lines[6] and "after" not in lines[5]
    es = mifkit("periods", built / "example.xlsx", "--quarters", "--lang", "es").stdout.splitlines()
    assert len(es) == 14 and es[4].startswith("Trimestre 5: jul–sep 2005") and "informe" not in es[4]
    blank = mifkit("periods", built / "template.xlsx")
    assert blank.returncode == 2 and "no first-disbursement date" in blank.stderr and "Project!B" in blank.stderr
