# Quick start: `make demo` and `make test`. Both set up their own virtual environment in .venv.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
OUT := out
EXAMPLE := tc-03-02-01-0

.PHONY: setup demo test lint bench clean

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

demo: $(STAMP)
	@mkdir -p $(OUT)
	$(BIN)/mifkit new budget $(OUT)/budget_template.xlsx --force
	$(BIN)/mifkit new budget $(OUT)/budget_$(EXAMPLE).xlsx --example $(EXAMPLE) --force
	$(BIN)/mifkit new logframe $(OUT)/logframe_$(EXAMPLE).xlsx --example $(EXAMPLE) --force
	$(BIN)/mifkit lines $(OUT)/budget_$(EXAMPLE).xlsx --format csv > $(OUT)/lines_$(EXAMPLE).csv
	$(BIN)/mifkit new logframe $(OUT)/logframe_template.xlsx --force
	$(BIN)/mifkit new logframe $(OUT)/budget_$(EXAMPLE)_logframe.xlsx --example $(EXAMPLE) --force
	@# The example keeps the approved document's slips, so validation reports errors (exit 1) by design.
	$(BIN)/mifkit validate $(OUT)/budget_$(EXAMPLE).xlsx $(OUT)/budget_$(EXAMPLE)_logframe.xlsx --annotate $(OUT)/budget_$(EXAMPLE)_checked.xlsx --force \
	  > $(OUT)/findings_$(EXAMPLE).txt; test $$? -le 1
	@cat $(OUT)/findings_$(EXAMPLE).txt
	@# ... and so the reports are compiled as DRAFTs (--allow-errors), their cover saying why.
	$(BIN)/mifkit compile $(OUT)/budget_$(EXAMPLE).xlsx $(OUT)/logframe_$(EXAMPLE).xlsx --period latest \
	  --lang en --pdf --allow-errors --force -o $(OUT)/report_$(EXAMPLE)_en.docx
	$(BIN)/mifkit compile $(OUT)/budget_$(EXAMPLE).xlsx $(OUT)/logframe_$(EXAMPLE).xlsx --period latest \
	  --lang es --pdf --allow-errors --force -o $(OUT)/report_$(EXAMPLE)_es.docx
	@echo
	@echo "Outputs in $(abspath $(OUT)):"
	@echo "  budget_template.xlsx           blank budget template (formulas, protected, inputs in yellow)"
	@echo "  budget_$(EXAMPLE).xlsx    the approved budget of $(EXAMPLE), figures as printed"
	@echo "  logframe_$(EXAMPLE).xlsx  its logical framework (Annex I) with illustrative progress"
	@echo "  lines_$(EXAMPLE).csv      its cost lines as CSV"
	@echo "  logframe_template.xlsx         blank logframe template (Logframe, Activities, Progress, Narrative)"
	@echo "  budget_$(EXAMPLE)_logframe.xlsx  Annex I of $(EXAMPLE), with illustrative progress for semesters 1-3"
	@echo "  findings_$(EXAMPLE).txt   what the validator finds in both (the document's own slips, and the"
	@echo "                                 problems planted in the illustrative execution and progress)"
	@echo "  budget_$(EXAMPLE)_checked.xlsx  the same workbook with the findings marked on their cells"
	@echo "  report_$(EXAMPLE)_en.docx/.pdf, _es.docx/.pdf"
	@echo "                                 the latest semiannual progress report, English and Spanish (DRAFT)"

lint: $(STAMP)
	$(BIN)/ruff check .

test: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/python -m pytest

# Not part of the tests: times the commands on budgets of 50 to 20,000 lines (takes minutes).
bench: $(STAMP)
	$(BIN)/python -m bench.run

clean:
	rm -rf $(VENV) $(OUT) .pytest_cache .ruff_cache *.egg-info
