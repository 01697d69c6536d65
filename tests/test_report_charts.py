"""The report's charts: native Word charts whose figures are the report's own, printed by LibreOffice.

Each chart is a chart part of the .docx with its figures in the part and in an embedded data sheet (what
Word's "Edit Data" opens); the tests read both back and compare them with the report's tables, which other
tests trace to the workbook's cells.  Printing the report shows that LibreOffice draws them (their titles,
category names and axis marks are on the page), and a compile imports no plotting library.
"""

from __future__ import annotations

import io
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import docx
import openpyxl
import pytest
from lxml import etree

from compiler.report import compile_report
from compiler.report.charts import integer_step
from tests.conftest import EXAMPLE, needs_libreoffice
from tests.test_report import table_after
from workbook_templates.build_logframe import write_logframe
from workbook_templates.logframe_spec import example_logframe_spec

C = "{http://schemas.openxmlformats.org/drawingml/2006/chart}"
A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
R = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
TOLERANCE = 0.5   # money: the tables print whole units
TITLES = {"en": ["Budget and execution to date by component", "Counterpart share of execution",
                 "Cumulative execution and MIF disbursements", "Indicators by status"],
          "es": ["Presupuesto y ejecución a la fecha por componente"]}


@pytest.fixture(scope="module")
def compiled(built, tmp_path_factory) -> dict[str, Path]:
    """The example's semiannual report for semester 3, in both languages (drafts: the example keeps its slips)."""
    folder = tmp_path_factory.mktemp("charts")
    logframe = folder / "logframe.xlsx"
    write_logframe(example_logframe_spec(EXAMPLE), logframe)
    out = {}
    for lang in ("en", "es"):
        out[lang] = folder / f"semiannual_{lang}.docx"
        compile_report(built / "example.xlsx", logframe, "3", "semiannual", lang, out[lang], allow_errors=True)
    return out


def charts_of(path: Path) -> list[dict]:
    """Each chart in the order the document shows them: title, categories, series (name -> values), the
    embedded data sheet's rows, and the drawing's alternative text."""
    with zipfile.ZipFile(path) as archive:
        document = etree.fromstring(archive.read("word/document.xml"))
        relationships = etree.fromstring(archive.read("word/_rels/document.xml.rels"))
        targets = {r.get("Id"): r.get("Target") for r in relationships}
        found = []
        for inline in document.iter("{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}inline"):
            reference = inline.find(f".//{C}chart")
            if reference is None:
                continue
            part = "word/" + targets[reference.get(f"{R}id")]
            space = etree.fromstring(archive.read(part))
            rels = etree.fromstring(archive.read(part.replace("charts/", "charts/_rels/") + ".rels"))
            (embedded,) = [r.get("Target") for r in rels if r.get("Id") == space.find(f"{C}externalData").get(f"{R}id")]
            sheet = openpyxl.load_workbook(io.BytesIO(archive.read("word/" + embedded.removeprefix("../"))))["Sheet1"]
            series = {}
            for ser in space.iter(f"{C}ser"):
                name = ser.find(f"{C}tx//{C}v").text
                series[name if name not in series else name + " (2)"] = \
                    [float(v.text) for v in ser.find(f"{C}val").iter(f"{C}v")]
            found.append({
                "title": "".join(t.text for t in space.find(f"{C}chart/{C}title").iter(f"{A}t")),
                "categories": [v.text for v in space.find(f".//{C}cat").iter(f"{C}v")],
                "series": series,
                "sheet": [list(row) for row in sheet.iter_rows(values_only=True)],
                "alt": inline.find("{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}docPr")
                .get("descr"),
            })
    return found


def money(text: str) -> float:
    return float(text.replace(",", "")) if text not in ("–", "") else 0.0


def test_the_report_holds_four_native_charts_with_titles_and_alternative_text(compiled):
    charts = charts_of(compiled["en"])
    assert [c["title"] for c in charts] == TITLES["en"]
    assert [c["alt"] for c in charts] == TITLES["en"]           # read aloud by a screen reader
    with zipfile.ZipFile(compiled["en"]) as archive:
        assert not [n for n in archive.namelist() if n.startswith("word/media/")], "no chart is a picture"
        types = archive.read("[Content_Types].xml").decode()
        assert types.count("drawingml.chart+xml") == 4


def test_component_chart_shows_the_component_tables_figures(compiled):
    (chart,) = [c for c in charts_of(compiled["en"]) if c["title"] == TITLES["en"][0]]
    rows = table_after(compiled["en"], "Component", "Budget")[1:-1]    # without the header and the total
    assert chart["categories"] == [r[0] for r in rows]
    planned, executed = chart["series"].values()
    assert planned == pytest.approx([money(r[1]) for r in rows], abs=TOLERANCE)
    assert executed == pytest.approx([money(r[3]) for r in rows], abs=TOLERANCE)
    # The embedded data sheet holds the same figures, under the series' names.
    assert chart["sheet"][0][1:] == list(chart["series"])
    assert [r[0] for r in chart["sheet"][1:]] == chart["categories"]
    assert [r[2] for r in chart["sheet"][1:]] == pytest.approx(executed, abs=0.005)


def test_cumulative_chart_ends_at_the_totals_to_date(compiled):
    (chart,) = [c for c in charts_of(compiled["en"]) if c["title"] == TITLES["en"][2]]
    assert chart["categories"] == ["Jul–Dec 2004", "Jan–Jun 2005", "Jul–Dec 2005"]
    executed, disbursed, budget = chart["series"].values()
    total = table_after(compiled["en"], "Component", "Budget")[-1]
    assert executed[-1] == pytest.approx(money(total[3]), abs=TOLERANCE)
    assert budget == pytest.approx([money(total[1])] * 3, abs=TOLERANCE)
    received = table_after(compiled["en"], "Semester", "Requested", "Received", "Received to date")
    assert disbursed == pytest.approx([money(r[3]) for r in received[1:4]], abs=TOLERANCE)
    assert executed == sorted(executed) and disbursed == sorted(disbursed)   # cumulative


def test_pari_passu_chart_shows_the_shares_of_the_table(compiled):
    (chart,) = [c for c in charts_of(compiled["en"]) if c["title"] == TITLES["en"][1]]
    rows = table_after(compiled["en"], "Semester", "MIF to date", "Counterpart to date")[1:]
    share = chart["series"]["Counterpart share"]
    assert [f"{v:.1%}" for v in share] == [r[3] for r in rows]
    assert chart["series"]["Agreed share"] == pytest.approx([0.40] * 3)


def test_spanish_charts_speak_spanish(compiled):
    charts = charts_of(compiled["es"])
    assert charts[0]["title"] == TITLES["es"][0]
    names = [name for c in charts for name in c["series"]] + [c["title"] for c in charts]
    english = {"Executed", "Budget", "Counterpart share", "Agreed share", "met", "on track", "overdue"}
    assert not english & set(names), english & set(names)


def test_indicator_chart_counts_every_indicator(compiled):
    (chart,) = [c for c in charts_of(compiled["en"]) if c["title"] == TITLES["en"][3]]
    counted = sum(sum(values) for values in chart["series"].values())
    stated = re.search(r"Of the (\d+) indicators", "\n".join(p.text for p in docx.Document(str(compiled["en"]))
                                                           .paragraphs))
    assert stated and counted == int(stated.group(1))


def test_count_axis_steps_are_whole_and_few():
    assert [integer_step(n) for n in (1, 8, 9, 16, 17, 40, 41, 100, 400)] == [1, 1, 2, 2, 5, 5, 10, 20, 50]


def test_a_compile_imports_no_plotting_library(built, tmp_path):
    script = ("import sys\nfrom compiler.cli import main\n"
              f"code = main(['compile', {str(built / 'example.xlsx')!r}, '--period', '3', '--allow-errors', "
              f"'-o', {str(tmp_path / 'r.docx')!r}])\n"
              "assert code == 0, code\n"
              "print(sorted(m for m in sys.modules if m.split('.')[0] in ('matplotlib', 'PIL', 'fontTools')))\n")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=Path(__file__).parents[1])
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().splitlines()[-1] == "[]"


@needs_libreoffice
@pytest.mark.libreoffice
def test_libreoffice_prints_the_charts(compiled, tmp_path):
    from compiler.libreoffice import documents_to_pdf

    (pdf,) = documents_to_pdf([compiled["en"]], tmp_path)
    text = subprocess.run(["pdftotext", "-enc", "UTF-8", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout
    for title in TITLES["en"]:
        assert title in text
    # The axes' marks as the number formats make them: money in thousands and millions, shares in percent.
    for mark in ("600k", "1.6M", "40%"):
        assert mark in text.split(), mark
    assert "Jul–Dec 2004" in text


def test_the_font_widths_kept_are_the_fonts():
    """font_metrics.py is what make_font_metrics writes from the Liberation Sans files (where they are here)."""
    pytest.importorskip("fontTools")
    from report_templates import make_font_metrics

    folder = Path("/usr/share/fonts/truetype/liberation2")
    if not all((folder / name).exists() for name in make_font_metrics.FILES.values()):
        pytest.skip("Liberation Sans is not installed")
    assert make_font_metrics.OUT.read_text() == make_font_metrics.module(folder)
