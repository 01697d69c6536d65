"""Writes compiler/report/font_metrics.py: the advance widths of the report font's characters.

The report prints in Arial (LibreOffice: the metric-compatible Liberation Sans, same widths glyph for glyph).
Table columns are sized to their longest word from these widths (compiler/report/fit.py), so the compile
needs no font file and no font library, and sizes a table the same on every machine.  Run with the
Liberation Sans files at hand (Debian: fonts-liberation2):

    python -m report_templates.make_font_metrics /usr/share/fonts/truetype/liberation2
"""

from __future__ import annotations

import sys
from pathlib import Path

from fontTools.ttLib import TTFont

OUT = Path(__file__).resolve().parent.parent / "compiler" / "report" / "font_metrics.py"
# Latin with its extensions (Spanish, French, Portuguese...), general punctuation, currency signs, arrows, maths.
RANGES = ((0x20, 0x250), (0x2000, 0x2070), (0x20A0, 0x20C0), (0x2190, 0x2200), (0x2200, 0x2300))
FILES = {False: "LiberationSans-Regular.ttf", True: "LiberationSans-Bold.ttf"}


def widths(path: Path) -> tuple[int, dict[int, int]]:
    font = TTFont(path)
    cmap, advances = font.getBestCmap(), font["hmtx"].metrics
    found = {code: advances[cmap[code]][0] for start, end in RANGES for code in range(start, end) if code in cmap}
    return font["head"].unitsPerEm, found


def module(folder: Path) -> str:
    lines = ['"""Advance widths of the report font (Arial; Liberation Sans has the same), in font units.',
             "",
             "Written by report_templates/make_font_metrics.py from the Liberation Sans font files; do not edit.",
             '"""', ""]
    for bold, name in FILES.items():
        units, found = widths(folder / name)
        lines += [f"UNITS_PER_EM = {units}"] if not bold else [""]
        lines.append(f"{'BOLD' if bold else 'REGULAR'} = {{")
        items = [f"{code}: {width}," for code, width in sorted(found.items())]
        lines += ["    " + " ".join(items[start:start + 8]) for start in range(0, len(items), 8)]
        lines.append("}")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    OUT.write_text(module(Path(sys.argv[1] if len(sys.argv) > 1 else "/usr/share/fonts/truetype/liberation2")))
    print(f"wrote {OUT}")
