"""The rule catalogue as text: for `mifkit rules`, and the table the README shows."""

from __future__ import annotations

import json

from compiler.rules import CATALOGUE


def catalogue_rows(lang: str = "en") -> list[dict]:
    return [{"code": r.code, "name": r.name, "severity": r.severity, "group": r.group,
             "description": r.description,
             "message": r.message_es if lang == "es" and r.message_es else r.message,
             "fix": r.fix_es if lang == "es" and r.fix_es else r.fix} for r in CATALOGUE]


def catalogue_text(fmt: str = "human", lang: str = "en") -> str:
    rows = catalogue_rows(lang)
    if fmt == "json":
        return json.dumps(rows, indent=2, ensure_ascii=False)
    if fmt == "markdown":
        lines = ["| Code | Name | Severity | What it checks | Fix |", "|---|---|---|---|---|"]
        lines += [f"| {r['code']} | {r['name']} | {r['severity']} | {r['description']} | {r['fix']} |" for r in rows]
        return "\n".join(lines)
    out = []
    for r in rows:
        out.append(f"{r['code']}  {r['name']}  ({r['group']}, {r['severity']})")
        out.append(f"      {r['description']}")
        out.append(f"      fix: {r['fix']}")
    return "\n".join(out)
