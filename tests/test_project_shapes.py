"""Projects of other shapes than the bundled example, declared in PROJECT.toml as an officer would.

Each shape is written with `mifkit new budget --project --lines` (figures typed as given, and with
--formulas), then checked the way the officer uses it: it validates clean, `mifkit lines` gives back
the lines it was made from, the Execution sheet has the project's periods and sources, one planted
slip is found at its cell, and a report compiles in English and in Spanish naming the project's own
components (in Spanish in the Spanish report) and nothing of the example's.

The lines are made consistent by construction: every line is split between the funders at the
agreed shares, so each funder's share of SUB-TOTAL is exactly the agreed one.
"""

from __future__ import annotations

import csv
import io
import math

import openpyxl
import pytest
from docx import Document

from compiler.cli import main
from compiler.read_budget import load_budget
from workbook_templates import layout

TECHNICAL_NAMES = [("Training of producers", "Capacitación de productores"),
                   ("Market access", "Acceso a mercados"), ("Quality certification", "Certificación de calidad"),
                   ("Credit guarantee scheme", "Esquema de garantías de crédito"),
                   ("Digital platform", "Plataforma digital"), ("Women entrepreneurs", "Mujeres emprendedoras"),
                   ("Water management", "Gestión del agua"), ("Cold chain", "Cadena de frío"),
                   ("Export promotion", "Promoción de exportaciones"), ("Tourism routes", "Rutas turísticas")]


def shape(components: int = 4, years: int = 3, currency: str = "USD", contingencies: bool = True,
          outside: bool = False, cofinancier: bool = False, counterpart: bool = True, quarterly: bool = False,
          months: int = 36) -> dict:
    """A project declaration: `components` technical ones, plus an executing unit and an evaluation when
    there are more than two."""
    comps = []
    technical = components - 2 if components > 2 else components
    for n in range(1, technical + 1):
        en, es = TECHNICAL_NAMES[(n - 1) % len(TECHNICAL_NAMES)]
        comps.append({"number": n, "name": f"{en} {n}" if n > 10 else en, "name_es": f"{es} {n}" if n > 10 else es,
                      "kind": "technical", "funding": "both"})
    if components > 2:
        comps.append({"number": technical + 1, "name": "Project executing unit", "name_es": "Unidad ejecutora",
                      "kind": "executing_unit", "funding": "both"})
        comps.append({"number": technical + 2, "name": "Evaluation and audits", "name_es": "Evaluación y auditorías",
                      "kind": "evaluation", "funding": "both"})
    shares = {"donor": 0.6, "counterpart": 0.3, "coop": 0.1} if cofinancier else {"donor": 0.6, "counterpart": 0.4}
    if not counterpart:
        shares = {"donor": 1.0}
    return {"components": comps, "years": years, "currency": currency, "contingencies": contingencies,
            "outside": outside, "shares": shares, "quarterly": quarterly, "months": months}


def project_toml(s: dict) -> str:
    shares = s["shares"]
    lines = ['[project]', 'number = "XX-T0-01"', 'title = "A project of another shape"',
             'executing_agency = "Agencia Ejecutora"', 'country = "Bolivia"', f'currency = "{s["currency"]}"',
             'first_disbursement = 2025-01-01', f'execution_months = {s["months"]}',
             f'disbursement_months = {s["months"] + 6}', f'years = {s["years"]}',
             f'execution_period = "{"quarter" if s["quarterly"] else "semester"}"', '', '[funding]',
             'donor = "European Union"', 'donor_es = "Unión Europea"', f'donor_share = {shares["donor"]}',
             f'counterpart = "{"Agencia Ejecutora" if "counterpart" in shares else ""}"',
             f'counterpart_share = {shares.get("counterpart", 0.0)}', 'in_kind_cap = 0.25',
             'revolving_fund_cap = 0.10', f'contingencies = {"true" if s["contingencies"] else "false"}',
             'contingencies_cap = 0.05', '']
    if "coop" in shares:
        lines += ['[[cofinanciers]]', 'key = "coop"', 'name = "Producer cooperatives"', f'share = {shares["coop"]}', '']
    for c in s["components"]:
        lines += ['[[components]]'] + [f'{k} = {v!r}'.replace("'", '"') for k, v in c.items()] + ['']
    if s["outside"]:
        lines += ['[[outside_subtotal]]', 'key = "donor_monitoring"', 'name = "Donor monitoring mission"',
                  'name_es = "Misión de seguimiento del donante"', 'funding = "donor"', '']
    return "\n".join(lines)


def funder_columns(s: dict) -> list[str]:
    cols = ["donor"]
    if "counterpart" in s["shares"]:
        cols += ["counterpart_cash", "counterpart_in_kind", "counterpart_subtotal"]
    if "coop" in s["shares"]:
        cols.append("coop")
    return cols


def split(total: float, s: dict) -> dict[str, float]:
    """A line's funding at the agreed shares (counterpart all in cash)."""
    out = {"donor": total * s["shares"]["donor"]}
    if "counterpart" in s["shares"]:
        cp = total * s["shares"]["counterpart"]
        out.update(counterpart_cash=cp, counterpart_in_kind=0.0, counterpart_subtotal=cp)
    if "coop" in s["shares"]:
        out["coop"] = total * s["shares"]["coop"]
    return out


def lines_csv(s: dict) -> str:
    """Two lines per component, each costed in every year, plus contingencies and the outside line."""
    years = s["years"]
    header = ["component", "line_group", "item", "unit"]
    header += [k for y in range(1, years + 1) for k in (f"y{y}_unit_cost", f"y{y}_qty", f"y{y}_subtotal")]
    header += ["total", *funder_columns(s)]
    rows = []
    for c in s["components"]:
        for i, (item, unit_cost) in enumerate((("Consultants", 1000.0), ("Workshops", 250.0)), start=1):
            row = {"component": c["number"], "line_group": "Activities", "item": f"{item} {c['number']}.{i}",
                   "unit": "month"}
            total = 0.0
            for y in range(1, years + 1):
                qty = 2 * c["number"] + y
                row.update({f"y{y}_unit_cost": unit_cost, f"y{y}_qty": qty, f"y{y}_subtotal": unit_cost * qty})
                total += unit_cost * qty
            rows.append({**row, "total": total, **split(total, s)})
    subtotal = sum(r["total"] for r in rows)
    if s["contingencies"]:
        amount = round(subtotal * 0.02 / 10) * 10
        rows.append({"component": "contingencies", "item": "Contingencies", "total": amount, **split(amount, s)})
    if s["outside"]:
        rows.append({"component": "donor_monitoring", "item": "Donor monitoring mission", "unit": "mission",
                     "total": 12000.0, "donor": 12000.0, **({"counterpart_subtotal": 0.0}
                                                            if "counterpart" in s["shares"] else {})})
    out = io.StringIO()
    writer = csv.DictWriter(out, header, lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: (f"{v:g}" if isinstance(v, float) else v) for k, v in row.items()})
    return out.getvalue()


SHAPES = {
    "one component": shape(components=1, years=1),
    "five technical components": shape(components=7),
    "twelve components": shape(components=12, years=2),
    "five years, EUR, quarterly": shape(components=4, years=5, currency="EUR", quarterly=True, months=54),
    "no contingencies, a line outside the subtotal": shape(contingencies=False, outside=True),
    "a third co-financier": shape(cofinancier=True),
    "donor only": shape(counterpart=False),
}


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main([str(a) for a in argv])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def rows_of(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def same_figures(a: dict[str, str], b: dict[str, str]) -> bool:
    for key, value in a.items():
        if value in ("", None) and b.get(key) in ("", None, "0"):
            continue
        try:
            if not math.isclose(float(value), float(b[key]), abs_tol=0.005):
                return False
        except ValueError:
            if value != b[key]:
                return False
    return True


@pytest.fixture(scope="module", params=list(SHAPES), ids=list(SHAPES))
def project(request, tmp_path_factory):
    folder = tmp_path_factory.mktemp(request.param.replace(" ", "_").replace(",", ""))
    s = SHAPES[request.param]
    (folder / "PROJECT.toml").write_text(project_toml(s), encoding="utf-8")
    (folder / "LINES.csv").write_text(lines_csv(s), encoding="utf-8")
    return s, folder


@pytest.mark.parametrize("formulas", [False, True], ids=["typed", "formulas"])
def test_a_project_of_its_own_shape_validates_clean_and_gives_its_lines_back(project, formulas, capsys):
    s, folder = project
    budget = folder / f"budget_{formulas}.xlsx"
    extra = ["--formulas"] if formulas else []
    code, _, err = run(capsys, "new", "budget", budget, "--project", folder / "PROJECT.toml",
                       "--lines", folder / "LINES.csv", "--force", *extra)
    assert code == 0, err
    code, out, err = run(capsys, "validate", budget, "--format", "json")
    assert code == 0, out + err
    code, out, _ = run(capsys, "lines", budget)
    given, read = rows_of((folder / "LINES.csv").read_text(encoding="utf-8")), rows_of(out)
    assert len(read) == len(given)
    for a, b in zip(given, read, strict=True):
        assert same_figures(a, b), (a, b)

    model = load_budget(budget)
    assert [c["number"] for c in s["components"]] == [c.number for c in model.structure.components]
    summary_keys = list(model.summary["key"])
    technical = [c for c in s["components"] if c["kind"] == "technical"]
    numerals = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII"][:len(technical)]
    assert summary_keys[:1 + len(technical)] == ["A", *numerals]
    assert ("contingencies" in summary_keys) == s["contingencies"]


def test_the_execution_sheet_has_the_projects_periods_and_sources(project, capsys):
    s, folder = project
    budget = folder / "budget_exec.xlsx"
    assert run(capsys, "new", "budget", budget, "--project", folder / "PROJECT.toml", "--force")[0] == 0
    book = openpyxl.load_workbook(budget)
    ws = book[layout.EXECUTION_SHEET]
    headings = [ws.cell(layout.EXECUTION_GROUP_ROW, c).value for c in range(1, ws.max_column + 1)]
    word = "Quarter" if s["quarterly"] else "Semester"
    periods = [h for h in headings if isinstance(h, str) and h.startswith(word)]
    months = s["months"] + 6
    assert len(periods) == math.ceil(months / (3 if s["quarterly"] else 6))
    sources = [ws.cell(layout.EXECUTION_HEADER_ROW, c).value for c in range(3, 3 + len(funder_columns(s)))]
    expected = ["European Union", *(["Counterpart cash", "Counterpart in kind"] if "counterpart" in s["shares"]
                                    else []), *(["Producer cooperatives"] if "coop" in s["shares"] else [])]
    assert sources[:len(expected)] == expected


def test_a_slip_is_found_at_its_cell(project, capsys):
    """The first line's year-1 subtotal typed 100 too high: AR01 at that cell, and nothing above it."""
    s, folder = project
    budget = folder / "budget_slip.xlsx"
    text = (folder / "LINES.csv").read_text(encoding="utf-8")
    rows = rows_of(text)
    rows[0]["y1_subtotal"] = f"{float(rows[0]['y1_subtotal']) + 100:g}"
    slipped = folder / "LINES_slip.csv"
    out = io.StringIO()
    writer = csv.DictWriter(out, list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    slipped.write_text(out.getvalue(), encoding="utf-8")
    assert run(capsys, "new", "budget", budget, "--project", folder / "PROJECT.toml", "--lines", slipped,
               "--force")[0] == 0
    import json
    code, out, _ = run(capsys, "validate", budget, "--format", "json")
    findings = json.loads(out)["findings"]
    assert code == 1
    codes = {(f["code"], f["cell"]) for f in findings if f["severity"] == "error"}
    book = openpyxl.load_workbook(budget)
    ws = book[layout.BUDGET_SHEET]
    first_line = next(r for r in range(layout.BUDGET_FIRST_ROW, ws.max_row + 1) if ws.cell(r, 1).value == "1.01")
    assert ("AR01", f"F{first_line}") in codes
    assert all(code in ("AR01", "AR02", "AR03") for code, _ in codes), codes


@pytest.mark.parametrize("lang", ["en", "es"])
def test_a_report_compiles_naming_the_projects_own_components(project, lang, capsys):
    s, folder = project
    budget = folder / "budget_report.xlsx"
    assert run(capsys, "new", "budget", budget, "--project", folder / "PROJECT.toml", "--lines",
               folder / "LINES.csv", "--formulas", "--force")[0] == 0
    book = openpyxl.load_workbook(budget)
    ws = book[layout.EXECUTION_SHEET]
    first_line = next(r for r in range(layout.EXECUTION_FIRST_ROW, ws.max_row + 1) if ws.cell(r, 1).value == "1.01")
    sources = [c for c in funder_columns(s) if c != "counterpart_subtotal"]
    for k, source in enumerate(sources):
        ws.cell(first_line, 3 + k).value = split(500.0, s)[source]  # line 1.01, first period, at the agreed shares
    book.save(budget)
    report = folder / f"report_{lang}.docx"
    code, _, err = run(capsys, "compile", budget, "--period", "1", "--lang", lang, "-o", report, "--force")
    assert code == 0, err
    document = Document(report)
    text = "\n".join([p.text for p in document.paragraphs] +
                     [c.text for t in document.tables for row in t.rows for c in row.cells])
    for c in s["components"]:
        assert (c["name_es"] if lang == "es" else c["name"]) in text
    for foreign in ("MIF", "FOMIN", "PROMPYME", "(paragraph", "(párrafo"):  # nothing of the example's project
        assert foreign not in text, foreign
    assert ("Unión Europea" if lang == "es" else "European Union") in text
    if lang == "es":
        for c in s["components"]:
            if c["name"] != c["name_es"]:
                assert c["name"] not in text.replace(c["name_es"], "")
