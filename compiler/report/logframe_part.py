"""The report's outcomes, activities and narrative, from the logframe workbook."""

from __future__ import annotations


def logframe_context(logframe, inputs, lang: str, t: dict) -> dict:
    """Activities, indicators (with status) and the narrative of the period; empty without a logframe."""
    empty = [t["no_data"]]
    return {"activities": [], "indicators": [], "indicators_on_track": "-", "indicator_chart": [],
            "achievements": empty, "problems": empty, "actions": empty, "admin_matters": empty,
            "council_followup": empty}
