# Quick start: `make demo` and `make test`. Both set up their own virtual environment in .venv.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
OUT := out
EXAMPLE := tc-03-02-01-0
# LibreOffice converts the reports to PDF; without it the demo writes the Word reports only.
SOFFICE := $(shell command -v soffice || command -v libreoffice)
PDF_FLAG := $(if $(SOFFICE),--pdf)

.PHONY: setup demo test lint bench pyodide pyodide-setup clean

setup: $(STAMP)

# A venv from the standard library, or from virtualenv where Debian's python3-venv is missing.
$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed, found " + sys.version.split()[0])'
	@$(PYTHON) -m venv $(VENV) 2>/dev/null || { rm -rf $(VENV); \
	  $(PYTHON) -m pip install --quiet --user virtualenv 2>/dev/null || \
	  $(PYTHON) -m pip install --quiet --user --break-system-packages virtualenv; \
	  $(PYTHON) -m virtualenv --quiet $(VENV); }

$(STAMP): $(BIN)/python pyproject.toml
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	@touch $(STAMP)

BUDGET := $(OUT)/budget_$(EXAMPLE).xlsx
# The logframe sits beside the budget under the name the add-in's Compile report button looks for.
LOGFRAME := $(OUT)/budget_$(EXAMPLE)_logframe.xlsx
UNIDO := us-glo-04-158
UNIDO_BUDGET := $(OUT)/budget_$(UNIDO).xlsx

demo: $(STAMP)
	@mkdir -p $(OUT)
	$(BIN)/mifkit new budget $(OUT)/budget_template.xlsx --force
	$(BIN)/mifkit new logframe $(OUT)/logframe_template.xlsx --force
	$(BIN)/mifkit new budget $(BUDGET) --example $(EXAMPLE) --force
	$(BIN)/mifkit new logframe $(LOGFRAME) --example $(EXAMPLE) --force
	$(BIN)/mifkit lines $(BUDGET) --format csv > $(OUT)/lines_$(EXAMPLE).csv
	@# The example keeps the approved document's slips, so validation reports errors (exit 1) by design.
	$(BIN)/mifkit validate $(BUDGET) $(LOGFRAME) --annotate $(OUT)/budget_$(EXAMPLE)_checked.xlsx --force \
	  > $(OUT)/findings_$(EXAMPLE).txt; test $$? -le 1
	@cat $(OUT)/findings_$(EXAMPLE).txt
	@# ... and so the reports are compiled as DRAFTs (--allow-errors), their cover saying why.
	$(BIN)/mifkit compile $(BUDGET) $(LOGFRAME) --period latest \
	  --lang en $(PDF_FLAG) --allow-errors --force -o $(OUT)/report_$(EXAMPLE)_en.docx
	$(BIN)/mifkit compile $(BUDGET) $(LOGFRAME) --period latest \
	  --lang es $(PDF_FLAG) --allow-errors --force -o $(OUT)/report_$(EXAMPLE)_es.docx
	@# The second example: a donor-only project in euros with a budget revision (UNIDO, US/GLO/04/158).
	$(BIN)/mifkit new budget $(UNIDO_BUDGET) --example $(UNIDO) --force
	$(BIN)/mifkit lines $(UNIDO_BUDGET) --budget current --format csv > $(OUT)/lines_$(UNIDO)_current.csv
	$(BIN)/mifkit validate $(UNIDO_BUDGET) > $(OUT)/findings_$(UNIDO).txt; test $$? -le 1
	@cat $(OUT)/findings_$(UNIDO).txt
	$(BIN)/mifkit compile $(UNIDO_BUDGET) --period latest \
	  --lang en $(PDF_FLAG) --allow-errors --force -o $(OUT)/report_$(UNIDO)_en.docx
	@echo
	@echo "Outputs in $(abspath $(OUT)):"
	@echo "  budget_template.xlsx, logframe_template.xlsx   blank templates (formulas, inputs in yellow)"
	@echo "  budget_$(EXAMPLE).xlsx            the approved budget, figures as printed, with"
	@echo "                                         illustrative execution for semesters 1-3"
	@echo "  budget_$(EXAMPLE)_logframe.xlsx   its logical framework (Annex I), illustrative progress"
	@echo "  lines_$(EXAMPLE).csv              its cost lines as CSV"
	@echo "  findings_$(EXAMPLE).txt           what the validator finds (the document's own slips,"
	@echo "                                         and the problems planted in the illustrative data)"
	@echo "  budget_$(EXAMPLE)_checked.xlsx    the budget with the findings marked on their cells"
	@echo "  report_$(EXAMPLE)_en$(if $(SOFFICE),.docx / .pdf,.docx), report_$(EXAMPLE)_es$(if $(SOFFICE),.docx / .pdf,.docx)"
	@echo "                                         the latest semiannual progress report (DRAFT)"
	@echo "  budget_$(UNIDO).xlsx, lines_$(UNIDO)_current.csv, findings_$(UNIDO).txt,"
	@echo "  report_$(UNIDO)_en$(if $(SOFFICE),.docx / .pdf,.docx)"
	@echo "                                         the second example: the UNIDO evaluation's Table 1,"
	@echo "                                         its allotment as a budget revision"
	@$(if $(SOFFICE),true,echo; echo "PDFs skipped: LibreOffice is not installed; to get them: sudo apt-get install libreoffice-writer-nogui, then make demo again")

lint: $(STAMP)
	$(BIN)/ruff check .

test: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/python -m pytest

# Not part of the tests: times the commands on budgets of 50 to 20,000 lines (takes minutes).
bench: $(STAMP)
	$(BIN)/python -m bench.run

# Not part of the tests: mifkit under Python 3.14 in WebAssembly (Pyodide 314, as in xlwings Lite), run by
# node; needs node and npm. The wheels that run there come from PyPI (tests/test_pyodide.py says what runs).
PYODIDE_DIR := .pyodide
PYODIDE_WHEEL := --only-binary=:all: --no-deps --python-version 3.14 -d $(PYODIDE_DIR)/wheels
pyodide: pyodide-setup
	$(BIN)/python -m pytest tests/test_pyodide.py -v

# Once set up, `make test` runs tests/test_pyodide.py too.
pyodide-setup: $(STAMP)
	@command -v node >/dev/null && command -v npm >/dev/null || { echo "make pyodide needs node and npm"; exit 2; }
	npm install --silent --no-save --prefix $(PYODIDE_DIR) pyodide@314.0.7
	$(BIN)/pip download --quiet $(PYODIDE_WHEEL) --implementation cp --abi cp314 \
	  --platform pyemscripten_2026_0_wasm32 python-calamine xlwings
	$(BIN)/pip download --quiet $(PYODIDE_WHEEL) openpyxl et-xmlfile xlsxwriter defusedxml olefile

clean:
	rm -rf $(VENV) $(OUT) $(PYODIDE_DIR) .pytest_cache .ruff_cache *.egg-info
