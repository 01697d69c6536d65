"""The reports as printed: each kind in both languages, made into PDF by LibreOffice and read back.

What a reviewer holding a loose page needs: the running header (project number, report, period),
the page's number out of the total, and DRAFT on every page of a draft; a table of contents with
page numbers; and no word broken inside a table cell.
"""

from __future__ import annotations

import re
import subprocess
import unicodedata
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from compiler.report import compile_reports
from compiler.report.charts import share_limits
from compiler.report.context import KINDS
from compiler.report.fit import word_width_pt
from tests.conftest import EXAMPLE, needs_libreoffice
from workbook_templates.build_logframe import write_logframe
from workbook_templates.logframe_spec import example_logframe_spec

PERIODS = {"semiannual": "3", "quarterly": "Q6", "final": "7"}
LANGS = ("en", "es")
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
PAGE = {"en": "Page {n} of {total}", "es": "Página {n} de {total}"}
DRAFT = {"en": "DRAFT", "es": "BORRADOR"}
TITLE = {("semiannual", "en"): "Semiannual progress report", ("semiannual", "es"): "Informe semestral de avance",
         ("quarterly", "en"): "Quarterly management report", ("quarterly", "es"): "Informe trimestral de gestión",
         ("final", "en"): "Final report", ("final", "es"): "Informe final"}
FIRST_HEADING = {("semiannual", "en"): "Executive summary", ("semiannual", "es"): "Resumen ejecutivo",
                 ("quarterly", "en"): "Achievements", ("quarterly", "es"): "Logros",
                 ("final", "en"): "Executive summary", ("final", "es"): "Resumen ejecutivo"}


@pytest.fixture(scope="module")
def printed(built, tmp_path_factory) -> dict[tuple[str, str], tuple[Path, Path]]:
    """The example (with its slips, so each report is a draft) compiled to .docx and .pdf."""
    folder = tmp_path_factory.mktemp("printed")
    logframe = folder / "logframe.xlsx"
    write_logframe(example_logframe_spec(EXAMPLE), logframe)
    out = {}
    for kind in KINDS:
        jobs = [(kind, lang, folder / f"{kind}_{lang}.docx") for lang in LANGS]
        for result, (_k, lang, _o) in zip(compile_reports(built / "example.xlsx", logframe, PERIODS[kind], jobs,
                                                          pdf=True, allow_errors=True), jobs, strict=True):
            assert result.draft
            out[(kind, lang)] = (result.docx, result.pdf)
    return out


def pdf_pages(pdf: Path, layout: bool = False) -> list[str]:
    """The PDF's text per page; `layout` keeps each printed line whole (the running header and the DRAFT mark
    beside it), where the reading order may put a table that starts the page between them."""
    text = subprocess.run(["pdftotext", "-enc", "UTF-8", *(["-layout"] if layout else []), str(pdf), "-"],
                          capture_output=True, text=True, check=True).stdout
    pages = text.split("\f")
    return [unicodedata.normalize("NFKC", p) for p in (pages[:-1] if pages and not pages[-1].strip() else pages)]


C = "{http://schemas.openxmlformats.org/drawingml/2006/chart}"
A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
# What a chart prints beside the words it holds: its axes' marks, money as 600k or 1.2M, shares as 45%.
AXIS_MARK = re.compile(r"\d+(\.\d)?[kM]|\d+%")


def docx_words(docx: Path) -> set[str]:
    """Every whitespace-separated word of the document, its header and its footer, paragraph by paragraph
    (a word may be made of several runs), and of its charts (titles, series names, category names)."""
    words: set[str] = set()
    with zipfile.ZipFile(docx) as archive:
        for name in archive.namelist():
            if re.fullmatch(r"word/(document|header\d*|footer\d*)\.xml", name):
                root = etree.fromstring(archive.read(name))
                for paragraph in root.iter(f"{W}p"):
                    text = "".join(t.text or "" for t in paragraph.iter(f"{W}t"))
                    words.update(unicodedata.normalize("NFKC", text).split())
            elif re.fullmatch(r"word/charts/chart\d+\.xml", name):
                root = etree.fromstring(archive.read(name))
                for text in [*root.iter(f"{C}v"), *root.iter(f"{A}t")]:
                    words.update(unicodedata.normalize("NFKC", text.text or "").split())
    return words


def broken_words(pdf_text: str, words: set[str]) -> list[str]:
    """Pieces of the PDF's text that are not words of the document: a word broken across two lines
    ("Complete" + "d").  A line may break after a hyphen, dash or slash (pdftotext joins a word broken
    at a hyphen, dropping the hyphen), and numbers are the page fields' and the table of contents'."""
    tokens = [re.sub(r"\.{4,}\d*$", "", token) for token in pdf_text.split()]
    unhyphenated = {w.replace("-", "") for w in words}
    odd = []
    for n, token in enumerate(tokens):
        if not token or token in words or token.isdigit() or token.replace("-", "") in unhyphenated \
                or AXIS_MARK.fullmatch(token):
            continue
        joined = token + (tokens[n + 1] if n + 1 < len(tokens) else "")
        if token[-1] in "-–/" and any(joined in w or w in joined for w in words):
            continue
        if n and tokens[n - 1][-1:] in "-–/" and any(token in w for w in words):
            continue
        odd.append(token)
    return odd


@needs_libreoffice
@pytest.mark.libreoffice
@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("lang", LANGS)
def test_every_page_carries_the_header_its_number_and_draft(printed, kind, lang):
    _docx, pdf = printed[(kind, lang)]
    pages = pdf_pages(pdf, layout=True)
    assert len(pages) >= 3
    for n, page in enumerate(pages, start=1):
        top = [line.strip() for line in page.splitlines() if line.strip()][0]  # the header line, as printed
        assert top.startswith(f"TC-03-02-01-0 · {TITLE[(kind, lang)]} · "), (n, top)
        assert top.endswith(DRAFT[lang]), (n, top)
        assert PAGE[lang].format(n=n, total=len(pages)) in page, n


@needs_libreoffice
@pytest.mark.libreoffice
@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("lang", LANGS)
def test_no_word_is_broken_in_the_pdf(printed, kind, lang):
    docx, pdf = printed[(kind, lang)]
    words = docx_words(docx)
    odd = [(n, token) for n, page in enumerate(pdf_pages(pdf), start=1) for token in broken_words(page, words)]
    assert not odd, odd[:20]


@needs_libreoffice
@pytest.mark.libreoffice
@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("lang", LANGS)
def test_table_of_contents_lists_the_headings_with_their_pages(printed, kind, lang):
    _docx, pdf = printed[(kind, lang)]
    pages = pdf_pages(pdf)
    heading = FIRST_HEADING[(kind, lang)]
    entry = re.search(re.escape(heading) + r"\.{4,}\s*(\d+)", pages[0])
    assert entry, pages[0]
    listed = int(entry.group(1))
    # The page the entry names is the page whose text has the heading on a line of its own.
    assert heading in [line.strip() for line in pages[listed - 1].splitlines()], listed


@needs_libreoffice
@pytest.mark.libreoffice
@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("lang", LANGS)
def test_no_page_is_left_blank(printed, kind, lang):
    """Every page has text of its own besides the running header and the footer (a page break after contents
    that fill their page exactly once left page 2 empty)."""
    _docx, pdf = printed[(kind, lang)]
    for n, page in enumerate(pdf_pages(pdf), start=1):
        body = [line for line in page.splitlines() if line.strip() and not line.startswith("TC-03-02-01-0 · ")
                and DRAFT[lang] not in line and not re.fullmatch(r"\s*\S+ \d+ \S+ \d+\s*", line)]
        assert len(" ".join(body).split()) >= 20, (n, body)


OUTLOOK_HEADINGS = {
    "en": {"semiannual": ["Disbursement milestones and projection", "External audits", "Risks",
                          "Environmental and occupational safety compliance", "Lessons learned",
                          "Work plan for the next semester"],
           "quarterly": ["Disbursement milestones and projection", "Risks",
                         "Environmental and occupational safety compliance", "Work plan for the next semester"],
           "final": ["Disbursement milestones and projection", "External audits", "Risks",
                     "Environmental and occupational safety compliance", "Lessons learned",
                     "End-of-project assessment"]},
    "es": {"semiannual": ["Hitos de desembolso y proyección", "Auditorías externas", "Riesgos",
                          "Cumplimiento ambiental y de seguridad ocupacional", "Lecciones aprendidas",
                          "Plan de trabajo del próximo semestre"],
           "quarterly": ["Hitos de desembolso y proyección", "Riesgos",
                         "Cumplimiento ambiental y de seguridad ocupacional", "Plan de trabajo del próximo semestre"],
           "final": ["Hitos de desembolso y proyección", "Auditorías externas", "Riesgos",
                     "Cumplimiento ambiental y de seguridad ocupacional", "Lecciones aprendidas",
                     "Evaluación de cierre del proyecto"]},
}


@needs_libreoffice
@pytest.mark.libreoffice
@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("lang", LANGS)
def test_outlook_sections_are_printed_and_listed_in_the_contents(printed, kind, lang):
    """Each outlook section's heading is on a line of its own on some page after the contents, and the contents
    list it with that page's number."""
    _docx, pdf = printed[(kind, lang)]
    pages = pdf_pages(pdf)
    for heading in OUTLOOK_HEADINGS[lang][kind]:
        on = [n for n, page in enumerate(pages[1:], start=2) if heading in [x.strip() for x in page.splitlines()]]
        assert on, heading
        entry = re.search(re.escape(heading) + r"\.{4,}\s*(\d+)", pages[0])
        assert entry and int(entry.group(1)) in on, (heading, on)


def test_broken_word_detection_finds_a_split_word():
    words = {"Completed", "In", "progress", "jul–dic"}
    assert broken_words("Complete\nd In progress", words) == ["Complete", "d"]
    assert broken_words("In progress jul–\ndic 12", words) == []


@pytest.mark.parametrize("lang, tag", [("en", "en-US"), ("es", "es-PE")])
def test_document_language_is_set_per_report(lang, tag):
    from compiler.report import template_path

    for kind in KINDS:
        with zipfile.ZipFile(template_path(kind, lang)) as archive:
            styles = etree.fromstring(archive.read("word/styles.xml"))
        default = styles.find(f"{W}docDefaults/{W}rPrDefault/{W}rPr/{W}lang")
        assert default.get(f"{W}val") == tag


def test_templates_are_a4_with_page_fields_in_the_footer():
    from compiler.report import template_path

    for kind in KINDS:
        for lang in LANGS:
            with zipfile.ZipFile(template_path(kind, lang)) as archive:
                document = etree.fromstring(archive.read("word/document.xml"))
                footers = b"".join(archive.read(n) for n in archive.namelist() if n.startswith("word/footer"))
            size = document.find(f".//{W}sectPr/{W}pgSz")
            assert (int(size.get(f"{W}w")), int(size.get(f"{W}h"))) == (11906, 16838)  # A4 in twips
            assert b" PAGE " in footers and b" NUMPAGES " in footers
            assert b"TOC \\o" in etree.tostring(document)


def test_share_scale_shows_a_move_from_36_to_46_percent():
    low, high = share_limits([0.462, 0.36, 0.412], agreed=0.40, tolerance=0.02)
    assert low == 30 and high == 55
    assert (high - low) < 50  # not the 0-100% scale that flattened it


def test_wider_words_measure_wider():
    assert word_width_pt("Participación", 8, True) > word_width_pt("Participación", 8, False) > \
        word_width_pt("Meta", 8, False) > 0
