"""The compiled Word reports, read back with python-docx and checked against the workbooks."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import docx
import openpyxl
import pandas as pd
import pytest

from compiler.cli import main
from compiler.logframe_model import in_language
from compiler.problems import OutputError
from compiler.read_budget import load_budget
from compiler.read_logframe import load_logframe
from compiler.report import (
    TEMPLATES,
    ValidationRefused,
    compile_report,
    compile_reports,
    report_context,
    template_path,
)
from compiler.report.context import KINDS
from compiler.report.render import TemplateError, render, template_variables
from compiler.validate import validate, validate_file
from tests.conftest import EXAMPLE, needs_libreoffice
from workbook_templates import logframe_layout as lf
from workbook_templates.build import FORMULAS, write_budget
from workbook_templates.build_logframe import write_logframe
from workbook_templates.logframe_spec import example_logframe_spec
from workbook_templates.spec import example_spec

PERIODS = {"semiannual": "3", "quarterly": "Q6", "final": "7"}
LANGS = ("en", "es")
HEADINGS = {
    ("semiannual", "en"): ["Executive summary", "Financial performance", "Budget and execution by component",
                           "Budget and execution by source", "Pari passu", "MIF disbursements and revolving fund",
                           "Lines overspent", "Activities", "Outcomes", "Problems and actions taken",
                           "Administrative matters", "Annex: validation findings still open"],
    ("semiannual", "es"): ["Resumen ejecutivo", "Desempeño financiero", "Presupuesto y ejecución por componente",
                           "Presupuesto y ejecución por fuente", "Pari passu",
                           "Desembolsos del FOMIN y fondo rotatorio", "Líneas sobreejecutadas", "Actividades",
                           "Resultados", "Problemas y medidas adoptadas", "Asuntos administrativos",
                           "Anexo: observaciones de validación pendientes"],
    ("quarterly", "en"): ["Achievements", "Outcomes against the work plan", "Budget performance",
                          "Administrative matters", "Follow-up on the decisions of the strategy councils",
                          "Problems and actions taken", "Annex: validation findings still open"],
    ("quarterly", "es"): ["Logros", "Resultados frente al plan de trabajo", "Desempeño presupuestario",
                          "Asuntos administrativos", "Seguimiento de las decisiones de los consejos estratégicos",
                          "Problemas y medidas adoptadas", "Anexo: observaciones de validación pendientes"],
    ("final", "en"): ["Executive summary", "Financial performance over the whole project", "Pari passu",
                      "Lines overspent", "Outcomes", "Achievements", "Annex: validation findings still open"],
    ("final", "es"): ["Resumen ejecutivo", "Desempeño financiero de todo el proyecto", "Pari passu",
                      "Líneas sobreejecutadas", "Resultados", "Logros",
                      "Anexo: observaciones de validación pendientes"],
}


def clean_spec():
    """The example with its printed slips corrected, so that it validates without errors."""
    spec = example_spec(EXAMPLE)
    spec.stated = []                    # the text's totals disagree with the annex
    spec.project["in_kind_cap"] = 0.30  # the annex's in-kind share is 26.5%
    line = next(r for r in spec.rows if r.ref == "2.01")
    line.values["y2_unit_cost"] = 163_400 / 120   # unit cost × quantity = the printed subtotal
    spec.execution[("1.10", 2, "donor")] = 8000.0   # the illustrative overspending of line 1.10, undone
    return spec


@pytest.fixture(scope="session")
def workbooks(built, tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("report_inputs")
    clean, logframe = folder / "clean.xlsx", folder / "logframe.xlsx"
    write_budget(clean_spec(), clean, FORMULAS)
    write_logframe(example_logframe_spec(EXAMPLE), logframe)
    return {"clean": clean, "printed": built / "example.xlsx", "logframe": logframe}


@pytest.fixture(scope="session")
def reports(workbooks, tmp_path_factory) -> dict[tuple[str, str], Path]:
    folder = tmp_path_factory.mktemp("reports")
    out = {}
    for kind in KINDS:
        for lang in LANGS:
            path = folder / f"{kind}_{lang}.docx"
            # The final report for semester 7 is validated as of semester 7: the example's progress stops at
            # semester 3, so the indicators due by month 42 have no actual value and the final report is a draft.
            compile_report(workbooks["clean"], workbooks["logframe"], PERIODS[kind], kind, lang, path,
                           allow_errors=kind == "final")
            out[(kind, lang)] = path
    return out


def paragraphs(path: Path) -> list[str]:
    return [p.text for p in docx.Document(str(path)).paragraphs]


def all_text(path: Path) -> str:
    document = docx.Document(str(path))
    cells = [c.text for t in document.tables for r in t.rows for c in r.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


def table_after(path: Path, *header: str) -> list[list[str]]:
    """The rows of the first table whose header row starts with `header`."""
    for table in docx.Document(str(path)).tables:
        rows = [[c.text for c in r.cells] for r in table.rows]
        if rows and tuple(rows[0][: len(header)]) == header:
            return rows
    raise AssertionError(f"no table headed {header!r} in {path.name}")


def whole(value: float) -> str:
    """Whole currency units with a comma for thousands: the convention of both report languages."""
    return f"{int(value + 0.5):,}" if value >= 0 else f"-{int(-value + 0.5):,}"


# ------------------------------------------------------------------------------------------------
# Sections, cover, figures
# ------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("lang", LANGS)
def test_report_has_the_sections_of_its_kind(reports, kind, lang):
    document = docx.Document(str(reports[(kind, lang)]))
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    for expected in HEADINGS[(kind, lang)]:
        assert expected in headings, f"{kind}/{lang}: missing section {expected!r}"
    assert len(document.inline_shapes) >= (2 if kind == "quarterly" else 4), "the charts are images"


@pytest.mark.parametrize("lang", LANGS)
def test_cover_names_project_period_due_date(reports, workbooks, lang):
    text = paragraphs(reports[("semiannual", lang)])
    budget = load_budget(workbooks["clean"])
    cover = "\n".join(text[:14])
    assert budget.project.get("project_number") in cover
    assert budget.project.get("executing_agency") in cover
    if lang == "en":
        assert "Semester 3: Jul–Dec 2005" in cover and "Semiannual progress report" in cover
        assert "Due date: 1 March 2006" in cover  # 31 Dec 2005 + 60 days
    else:
        assert "Semestre 3: jul–dic 2005" in cover and "Informe semestral de avance" in cover
        assert "Fecha de entrega: 1 de marzo de 2006" in cover
    assert "DRAFT" not in cover and "BORRADOR" not in cover


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("lang", LANGS)
def test_component_budgets_are_the_workbook_line_sums(reports, workbooks, kind, lang):
    budget = load_budget(workbooks["clean"])
    sums = budget.lines.groupby(budget.lines["component"].astype(str))["total"].sum()
    rows = table_after(reports[(kind, lang)], *(("Component", "Budget") if lang == "en"
                                                else ("Componente", "Presupuesto")))
    body, total = rows[1:-1], rows[-1]
    assert len(body) == len(sums)
    for component in [str(n) for n in range(1, 8)]:
        name = budget.structure.name_of(component, lang)  # the Project sheet's name, in the report's language
        row = next(r for r in body if r[0] == name)
        assert row[1] == whole(sums[component]), f"component {component}"
    assert total[1] == whole(budget.lines["total"].sum())


@pytest.mark.parametrize("lang", LANGS)
def test_source_budgets_are_the_workbook_columns(reports, workbooks, lang):
    budget = load_budget(workbooks["clean"])
    rows = table_after(reports[("semiannual", lang)], "Source" if lang == "en" else "Fuente")
    figures = [r[1] for r in rows[1:-1]]
    expected = [whole(budget.lines[c].sum()) for c in ("donor", "counterpart_cash", "counterpart_in_kind")]
    assert figures == expected


def validation(workbooks, name="clean", lang="en"):
    return validate(load_budget(workbooks[name]), lang=lang, logframe=load_logframe(workbooks["logframe"]))


def test_annex_lists_open_findings_with_the_validator_messages(reports, workbooks):
    report = validation(workbooks)
    assert report.valid and report.findings, "the corrected example keeps its warnings"
    rows = table_after(reports[("semiannual", "en")], "Code", "Severity")[1:]
    assert [(r[0], r[2], r[3]) for r in rows] == [(f.code, f.location, f.message) for f in report.findings]


def test_spanish_report_carries_spanish_messages(reports, workbooks):
    report = validation(workbooks, lang="es")
    rows = table_after(reports[("semiannual", "es")], "Código", "Gravedad")[1:]
    assert [r[3] for r in rows] == [f.message for f in report.findings]


# ------------------------------------------------------------------------------------------------
# The validation gate
# ------------------------------------------------------------------------------------------------

def test_workbook_with_errors_is_refused(workbooks, tmp_path):
    out = tmp_path / "r.docx"
    with pytest.raises(ValidationRefused) as caught:
        compile_report(workbooks["printed"], None, "3", out=out)
    first = next(f for f in validate_file(workbooks["printed"]).findings if f.severity == "error")
    assert first.code in str(caught.value) and "--allow-errors" in str(caught.value)
    assert not out.exists()
    assert main(["compile", str(workbooks["printed"]), "--period", "3", "-o", str(out)]) == 1


@pytest.mark.parametrize("lang", LANGS)
def test_allow_errors_compiles_a_draft_that_says_why(workbooks, tmp_path, lang):
    out = tmp_path / "draft.docx"
    result = compile_report(workbooks["printed"], None, "3", "semiannual", lang, out, allow_errors=True)
    report = validate_file(workbooks["printed"], lang=lang)
    errors = report.counts["error"]
    cover = "\n".join(paragraphs(out)[:3])
    assert result.draft
    assert ("DRAFT" if lang == "en" else "BORRADOR") in cover
    assert f"{errors} error" in cover
    first = next(f for f in report.findings if f.severity == "error")
    assert first.message in cover and first.location in cover  # the first problem in plain words, and where
    assert ("See the annex" if lang == "en" else "anexo") in cover
    assert "--allow-errors" not in cover  # no command-line jargon for the reader
    annex = table_after(out, *(("Code", "Severity") if lang == "en" else ("Código", "Gravedad")))[1:]
    assert len(annex) == len(report.findings)


# ------------------------------------------------------------------------------------------------
# Escaping, templates against the context
# ------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("kind", KINDS)
def test_the_spanish_report_names_no_component_in_english(reports, workbooks, kind):
    """Every component, contingencies and the line outside the subtotal by their Spanish names."""
    structure = load_budget(workbooks["clean"]).structure
    text = all_text(reports[(kind, "es")])
    english = [c.name for c in structure.components] + [o.name for o in structure.outside] + ["Contingencies"]
    assert [name for name in english if name in text] == []
    assert all(c.name_es in text for c in structure.components)


def test_cell_text_comes_out_exactly_as_typed(workbooks, tmp_path):
    source = tmp_path / "budget.xlsx"
    shutil.copy(workbooks["clean"], source)
    book = openpyxl.load_workbook(source)
    book["Project"]["B5"] = 'R&D <50% "quoted" & more'
    components = next(r for r in range(1, 200) if book["Project"].cell(r, 1).value == "Components")
    book["Project"].cell(components + 2, 2).value = "R&D <50%"  # component 1's name, where it is declared
    book.save(source)
    out = tmp_path / "r.docx"
    compile_report(source, None, "3", out=out, allow_errors=True)
    text = all_text(out)
    assert 'R&D <50% "quoted" & more' in text
    assert "R&D <50%" in [r[0] for r in table_after(out, "Component", "Budget")]


def test_narrative_text_comes_out_exactly_as_typed(workbooks, tmp_path):
    logframe = tmp_path / "logframe.xlsx"
    shutil.copy(workbooks["logframe"], logframe)
    book = openpyxl.load_workbook(logframe)
    sheet = book[lf.NARRATIVE_SHEET]
    column = 1 + [c.key for c in lf.NARRATIVE_COLUMNS].index("problems")
    row = next(r for r in range(lf.FIRST_ROW, sheet.max_row + 1) if sheet.cell(r, 1).value == 3)
    typed = "R&D spending <50% of plan; see \"Annex 2\" & <b>not bold</b>\nAction: reallocation"
    sheet.cell(row, column).value = typed
    book.save(logframe)
    out = tmp_path / "r.docx"
    compile_report(workbooks["clean"], logframe, "3", out=out)
    text = paragraphs(out)
    assert 'R&D spending <50% of plan; see "Annex 2" & <b>not bold</b>' in text
    assert "Action: reallocation" in text  # each line of the cell is a paragraph


def test_template_with_unknown_variable_fails_naming_it(workbooks, tmp_path):
    template = tmp_path / "edited.docx"
    document = docx.Document(str(template_path("semiannual", "en")))
    document.add_paragraph().add_run("{{ budget_surplus }}")
    document.save(str(template))
    context = report_context(workbooks["clean"], None, "3")
    out = tmp_path / "r.docx"
    with pytest.raises(TemplateError, match="budget_surplus"):
        render(template, context, out)
    assert not out.exists()


def test_misspelt_row_field_fails_naming_it(workbooks, tmp_path):
    template = tmp_path / "edited.docx"
    document = docx.Document(str(template_path("semiannual", "en")))
    run = next(r for t in document.tables for row in t.rows for c in row.cells for p in c.paragraphs
               for r in p.runs if r.text == "{{ row.cumulative }}")
    run.text = "{{ row.cumulatve }}"
    document.save(str(template))
    with pytest.raises(TemplateError, match="cumulatve"):
        render(template, report_context(workbooks["clean"], None, "3"), tmp_path / "r.docx")


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("lang", LANGS)
def test_every_template_variable_is_in_the_context(workbooks, kind, lang):
    context = report_context(workbooks["clean"], workbooks["logframe"], PERIODS[kind], kind, lang)
    missing = template_variables(template_path(kind, lang)) - set(context)
    assert not missing, f"{kind}_{lang}.docx uses {sorted(missing)}"


def test_every_template_file_is_covered():
    assert {p.name for p in TEMPLATES.glob("*.docx")} == {f"{k}_{lang}.docx" for k in KINDS for lang in LANGS}


# ------------------------------------------------------------------------------------------------
# Outputs and the command line
# ------------------------------------------------------------------------------------------------

def test_existing_output_is_not_overwritten_without_force(workbooks, tmp_path):
    out = tmp_path / "r.docx"
    out.write_bytes(b"the director's edited copy")
    with pytest.raises(OutputError):
        compile_report(workbooks["clean"], None, "3", out=out)
    assert out.read_bytes() == b"the director's edited copy"
    compile_report(workbooks["clean"], None, "3", out=out, force=True)
    assert "Executive summary" in paragraphs(out)
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")], "no temporary file left behind"


@pytest.mark.parametrize("period, message", [("9", "semester 1-7"), ("Z1", "Q1-Q14"), ("Q5", "quarterly")])
def test_bad_period_is_refused_with_the_choices(workbooks, tmp_path, capsys, period, message):
    code = main(["compile", str(workbooks["clean"]), "--period", period, "-o", str(tmp_path / "r.docx")])
    assert code == 2
    assert message in capsys.readouterr().err
    assert not (tmp_path / "r.docx").exists()


def test_cli_writes_the_report(workbooks, tmp_path, capsys):
    out = tmp_path / "informe.docx"
    assert main(["compile", str(workbooks["clean"]), "--period", "S3", "--lang", "es", "-o", str(out)]) == 0
    assert "Informe semestral de avance" in paragraphs(out)


@needs_libreoffice
def test_several_reports_share_one_conversion(workbooks, tmp_path):
    jobs = [("semiannual", "en", tmp_path / "report_en.docx"), ("semiannual", "es", tmp_path / "informe_es.docx")]
    results = compile_reports(workbooks["clean"], workbooks["logframe"], "latest", jobs, pdf=True)
    assert [r.pdf for r in results] == [tmp_path / "report_en.pdf", tmp_path / "informe_es.pdf"]
    assert all(r.pdf.stat().st_size > 10_000 for r in results)


@needs_libreoffice
def test_pdf_has_the_key_figures(workbooks, tmp_path):
    out = tmp_path / "report.docx"
    result = compile_report(workbooks["clean"], None, "3", "semiannual", "es", out, pdf=True)
    assert result.pdf == tmp_path / "report.pdf" and result.pdf.exists()
    text = subprocess.run(["pdftotext", "-layout", str(result.pdf), "-"], capture_output=True, text=True,
                          check=True).stdout
    budget = load_budget(workbooks["clean"])
    assert budget.project.get("project_number") in text
    assert "Semestre 3: jul–dic 2005" in text
    assert whole(budget.lines["total"].sum()) in text
    info = subprocess.run(["pdfinfo", str(result.pdf)], capture_output=True, text=True, check=True).stdout
    pages = int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))
    assert 4 <= pages <= 30


# ------------------------------------------------------------------------------------------------
# Execution figures against the Execution and Disbursements sheets
# ------------------------------------------------------------------------------------------------

def execution_by_component(budget, semesters: set[int]) -> dict[str, float]:
    keys = {("contingencies" if k == "contingencies" else "mif_cluster_monitoring" if k == "mif_cluster_monitoring"
             else str(r)): str(c) for r, k, c in zip(budget.lines["ref"], budget.lines["kind"],
                                                     budget.lines["component"], strict=True)}
    frame = budget.execution[budget.execution["period"].isin(semesters)]
    out: dict[str, float] = {}
    for ref, amount in zip(frame["ref"], frame["amount"], strict=True):
        out[keys[str(ref)]] = out.get(keys[str(ref)], 0.0) + float(amount)
    return out


@pytest.mark.parametrize("lang", LANGS)
def test_execution_in_the_period_and_to_date_by_component(reports, workbooks, lang):
    budget = load_budget(workbooks["clean"])
    assert not budget.execution.empty, "the example has an execution record"
    now, to_date = execution_by_component(budget, {3}), execution_by_component(budget, {1, 2, 3})
    rows = table_after(reports[("semiannual", lang)], *(("Component", "Budget") if lang == "en"
                                                          else ("Componente", "Presupuesto")))
    for component in [str(n) for n in range(1, 8)]:
        name = budget.structure.name_of(component, lang)
        row = next(r for r in rows if r[0] == name)
        assert row[2] == whole(now.get(component, 0.0)) and row[3] == whole(to_date.get(component, 0.0))
    assert rows[-1][3] == whole(budget.execution.loc[budget.execution["period"] <= 3, "amount"].sum())


def test_pari_passu_and_disbursements_follow_the_sheets(reports, workbooks):
    budget = load_budget(workbooks["clean"])
    rows = table_after(reports[("semiannual", "en")], "Semester", "MIF to date")[1:]
    assert [r[0] for r in rows] == ["Semester 1: Jul–Dec 2004", "Semester 2: Jan–Jun 2005",
                                    "Semester 3: Jul–Dec 2005"]
    shared = budget.execution[budget.execution["ref"] != "mif_cluster_monitoring"]
    upto2 = shared[shared["period"] <= 2]
    mif = upto2.loc[upto2["source"] == "donor", "amount"].sum()
    cp = upto2.loc[upto2["source"] != "donor", "amount"].sum()
    assert rows[1][1] == whole(mif) and rows[1][2] == whole(cp)
    assert rows[1][6] == "behind"  # the illustrative shortfall of semester 2 (also EX04 in the annex)
    assert rows[1][5] == whole((0.4 * (mif + cp) - cp) / 0.6)
    received = budget.disbursements.loc[budget.disbursements["period"] <= 3, "donor_received"].sum()
    disb = table_after(reports[("semiannual", "en")], "Semester", "Requested")[1:]
    assert disb[-1][3] == whole(received)
    assert f"MIF disbursed to date: USD {whole(received)}" in paragraphs(reports[("semiannual", "en")])


def test_overspent_line_is_listed(workbooks, tmp_path):
    out = tmp_path / "r.docx"
    compile_report(workbooks["printed"], None, "3", out=out, allow_errors=True)
    budget = load_budget(workbooks["printed"])
    spent = budget.execution[budget.execution["period"] <= 3].groupby(["ref", "source"])["amount"].sum()
    lines = budget.lines.set_index(budget.lines["ref"].astype(str))
    over = [(ref, source, lines.loc[ref, source], amount) for (ref, source), amount in spent.items()
            if ref in lines.index and amount > (0 if pd.isna(lines.loc[ref, source]) else lines.loc[ref, source]) + 0.5]
    assert over, "the example's illustrative overspending"
    rows = table_after(out, "Ref.", "Item")[1:]
    names = {"donor": "MIF", "counterpart_cash": "Counterpart, cash", "counterpart_in_kind": "Counterpart, in kind"}
    assert [(r[0], r[2], r[3], r[4], r[5]) for r in rows] == [
        (ref, names[source], whole(ceiling), whole(amount), whole(amount - ceiling))
        for ref, source, ceiling, amount in over]


# ------------------------------------------------------------------------------------------------
# Outcomes and narrative from the logframe
# ------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("lang", LANGS)
def test_every_indicator_with_its_latest_actual(reports, workbooks, lang):
    logframe = load_logframe(workbooks["logframe"])
    header = ("Code", "Indicator") if lang == "en" else ("Código", "Indicador")
    rows = table_after(reports[("semiannual", lang)], *header)[1:]
    assert [r[0] for r in rows] == list(logframe.indicators["code"])
    progress = logframe.progress[(logframe.progress["period"] <= 3) & (logframe.progress["actual"] != "")]
    for _, latest in progress.sort_values("period").groupby("code").last().iterrows():
        if latest.name in set(logframe.indicators["code"]):
            assert next(r for r in rows if r[0] == latest.name)[5] == in_language(latest, "actual", lang), latest.name


def test_indicator_past_its_milestone_and_not_met_is_overdue(reports, workbooks):
    """Each indicator the validator flags as past its milestone (LF04) is "overdue" in the report."""
    logframe = load_logframe(workbooks["logframe"])
    flagged = [f for f in validation(workbooks).findings if f.code == "LF04" and "Semester 3" in f.message]
    assert flagged, "the example's indicator behind its milestone"
    rows = table_after(reports[("semiannual", "en")], "Code", "Indicator")[1:]
    overdue = {r[0] for r in rows if r[6] == "overdue"}
    for finding in flagged:
        code = next(c for c in logframe.indicators["code"] if f"Indicator {c} " in finding.message)
        assert code in overdue


@pytest.mark.parametrize("lang", LANGS)
def test_narrative_of_the_semester(reports, workbooks, lang):
    logframe = load_logframe(workbooks["logframe"])
    third = logframe.narrative[logframe.narrative["period"] == 3].iloc[0]
    text = paragraphs(reports[("semiannual", lang)])
    for column in ("achievements", "problems", "administrative"):
        if column != "achievements":  # the semiannual report has no achievements section
            assert in_language(third, column, lang) in text
    quarterly = paragraphs(reports[("quarterly", "en")])  # Q6 falls in semester 3
    assert third["council_follow_up"].strip() in quarterly and third["achievements"].strip() in quarterly


def test_quarter_takes_the_last_closed_semester_and_no_narrative_written_after_it(workbooks):
    """Q5 (Jul-Sep 2005) closes no semester: figures to the end of semester 2; its spending is not recorded
    separately (a dash, not a figure); semester 3's narrative, written at the end of December, is not its own."""
    context = report_context(workbooks["clean"], workbooks["logframe"], "Q5", "quarterly", "en")
    budget, logframe = load_budget(workbooks["clean"]), load_logframe(workbooks["logframe"])
    assert context["period_name"] == "Quarter 5: Jul–Sep 2005"
    assert "Figures to the end of Semester 2: Jan–Jun 2005" in context["financial_basis"]
    assert "not recorded separately" in context["financial_basis"]
    assert context["components_total"]["cumulative"] == whole(
        budget.execution.loc[budget.execution["period"] <= 2, "amount"].sum())
    assert context["components_total"]["period"] == "–"
    third = logframe.narrative[logframe.narrative["period"] == 3].iloc[0]
    assert third["achievements"].strip() not in context["achievements"]
    assert "no narrative" in context["achievements"][0]


def test_broken_tag_fails_naming_the_template(workbooks, tmp_path, capsys):
    template = tmp_path / "edited.docx"
    document = docx.Document(str(template_path("semiannual", "en")))
    document.add_paragraph().add_run("{{ period_name ")  # Word autocorrect ate the closing braces
    document.save(str(template))
    with pytest.raises(TemplateError, match="edited.docx: a tag is broken"):
        render(template, report_context(workbooks["clean"], None, "3"), tmp_path / "r.docx")
    assert not (tmp_path / "r.docx").exists()


@pytest.mark.parametrize("lang, expected", [
    ("en", ("1,234,568", "-3", "12.3%", "31 December 2005")),
    ("es", ("1,234,568", "-3", "12.3%", "31 de diciembre de 2005")),
])
def test_numbers_and_dates_per_language(lang, expected):
    import datetime as dt

    from compiler.report import formatting

    got = (formatting.money(1_234_567.5, lang), formatting.money(-2.5, lang), formatting.percent(0.1234, lang),
           formatting.date(dt.date(2005, 12, 31), lang))
    assert got == expected
    assert formatting.money(float("nan"), lang) == formatting.DASH
