"""Shared fixtures: workbooks built once per test session with the product's own commands."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from compiler.libreoffice import soffice_path
from workbook_templates.build import FORMULAS, TYPED, write_budget
from workbook_templates.spec import blank_spec, example_spec

# The add-in tests' stand-in for Excel is xlwings' remote engine, enabled by this key before xlwings
# is imported (see tests/addin_harness.py).
os.environ.setdefault("XLWINGS_LICENSE_KEY", "noncommercial")

DATA = Path(__file__).parent / "data"
EXAMPLE = "tc-03-02-01-0"

if os.environ.get("MIFKIT_REQUIRE_LIBREOFFICE") and soffice_path() is None:
    raise RuntimeError("MIFKIT_REQUIRE_LIBREOFFICE is set but soffice is not on PATH")

needs_libreoffice = pytest.mark.skipif(
    soffice_path() is None, reason="LibreOffice (soffice) is not installed; CI installs it")


@pytest.fixture(scope="session")
def built(tmp_path_factory) -> Path:
    """A folder with the example (as printed), the example with formulas, and the blank template."""
    folder = tmp_path_factory.mktemp("built")
    write_budget(example_spec(EXAMPLE), folder / "example.xlsx", TYPED)
    write_budget(example_spec(EXAMPLE), folder / "example_formulas.xlsx", FORMULAS)
    write_budget(blank_spec(), folder / "template.xlsx", FORMULAS)
    return folder


@pytest.fixture
def example_copy(built, tmp_path) -> Path:
    """A private copy of the example workbook, for tests that edit it."""
    target = tmp_path / "budget.xlsx"
    shutil.copy(built / "example.xlsx", target)
    return target
