"""The workbook layouts, declared once, the builder that writes them, and the bundled examples."""
