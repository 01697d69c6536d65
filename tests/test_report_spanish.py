"""The Spanish report of the example has no English fixed text: every string the templates and the context
builder hold in English (their English word tables) is looked for in the text of each Spanish report (body,
tables, running header and footer); the project's title and country are the Project sheet's Spanish ones."""

from __future__ import annotations

import re
from pathlib import Path

import docx
import pytest

from compiler.report import compile_reports
from compiler.report.text import TEXT
from report_templates.make_templates import L
from tests.conftest import EXAMPLE
from workbook_templates.build_logframe import write_logframe
from workbook_templates.logframe_spec import example_logframe_spec

PERIODS = {"semiannual": "3", "quarterly": "Q6", "final": "7"}


def document_text(path: Path) -> str:
    document = docx.Document(str(path))
    parts = [p.text for p in document.paragraphs]
    parts += [c.text for t in document.tables for r in t.rows for c in r.cells]
    for section in document.sections:
        parts += [p.text for p in section.header.paragraphs + section.footer.paragraphs]
    return "\n".join(parts)


def english_fragments() -> set[str]:
    """The English fixed texts, cut at their placeholders, keeping the pieces of two words or more that the
    Spanish tables do not share (a name such as "Pari passu" is the same in both)."""
    pieces = set()
    for table in (L, TEXT):
        for key, english in table["en"].items():
            if english == table["es"].get(key):
                continue
            for piece in re.split(r"\{[^}]*\}", english):
                piece = piece.strip(" .,:;()–-")
                if len(piece.split()) >= 2 and piece not in table["es"].get(key, ""):
                    pieces.add(piece)
    return pieces


@pytest.fixture(scope="module")
def spanish_reports(built, tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("spanish")
    logframe = folder / "logframe.xlsx"
    write_logframe(example_logframe_spec(EXAMPLE), logframe)
    out = {}
    for kind, period in PERIODS.items():
        path = folder / f"{kind}_es.docx"
        compile_reports(built / "example.xlsx", logframe, period, [(kind, "es", path)], allow_errors=True)
        out[kind] = path
    return out


def test_the_english_word_tables_are_long_enough_to_mean_something():
    assert len(english_fragments()) > 100


@pytest.mark.parametrize("kind", PERIODS)
def test_spanish_report_has_no_english_fixed_text(spanish_reports, kind):
    text = document_text(spanish_reports[kind])
    found = sorted(piece for piece in english_fragments() if piece in text)
    assert found == [], f"English fixed text in the Spanish {kind} report: {found}"


@pytest.mark.parametrize("kind", PERIODS)
def test_spanish_report_names_the_project_and_country_in_spanish(spanish_reports, kind):
    text = document_text(spanish_reports[kind])
    assert "Desarrollo de redes empresariales en los clústeres de confecciones (Gamarra)" in text
    assert "Perú" in text
    assert "Development of Business Networks" not in text and not re.search(r"\bPeru\b", text)


def test_the_check_finds_the_english_texts_in_an_english_report(built, tmp_path):
    """The same check on the English report finds most of the fragments: it looks where the texts are."""
    logframe = tmp_path / "logframe.xlsx"
    write_logframe(example_logframe_spec(EXAMPLE), logframe)
    path = tmp_path / "semiannual_en.docx"
    compile_reports(built / "example.xlsx", logframe, "3", [("semiannual", "en", path)], allow_errors=True)
    text = document_text(path)
    assert sum(piece in text for piece in english_fragments()) > 60
