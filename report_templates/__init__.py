"""Word (.docx) report templates, one per report kind and language, edited by people in Word."""
