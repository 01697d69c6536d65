"""`make bench`: how long the commands take as workbooks grow, measured on this machine.

Every figure is the median of several runs of the whole process, as a user runs it (interpreter
start and imports included), with the peak memory (maximum resident set size) of the process.  The
floor to compare validation with is a process that merely opens the same budget file with openpyxl
in read-only mode and reads every cell.  Results go to bench/results.json and bench/RESULTS.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import math
import os
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).parent
WORK = HERE / ".work"
SIZES = (50, 500, 5000, 20000)

FLOOR = """
import sys, openpyxl
book = openpyxl.load_workbook(sys.argv[1], read_only=True)
cells = 0
for sheet in book.worksheets:
    for row in sheet.iter_rows(values_only=True):
        cells += len(row)
print(cells)
"""


def run(command: list[str]) -> tuple[float, float]:
    """(seconds, peak MB) of one whole process."""
    start = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - start
    code = os.waitstatus_to_exitcode(status)
    if code not in (0, 1):
        raise RuntimeError(f"{' '.join(command)} exited with {code}")
    return seconds, usage.ru_maxrss / 1024


def measure(command: list[str], repeat: int) -> dict:
    runs = [run(command) for _ in range(repeat)]
    return {"median_s": statistics.median(t for t, _ in runs), "runs_s": [round(t, 3) for t, _ in runs],
            "peak_mb": max(m for _, m in runs)}


def exponent(sizes: list[int], seconds: list[float]) -> float:
    """Slope of log(time) against log(lines): 1.0 is linear growth."""
    xs, ys = [math.log(s) for s in sizes], [math.log(t) for t in seconds]
    mx, my = statistics.fmean(xs), statistics.fmean(ys)
    return sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / sum((x - mx) ** 2 for x in xs)


def commands(budget: Path, logframe: Path, compile_pdf: bool) -> dict[str, list[str]]:
    mifkit = [sys.executable, "-m", "compiler.cli"]
    report = [*mifkit, "compile", str(budget), str(logframe), "--period", "latest", "--allow-errors", "--force",
              "-o", str(WORK / "report.docx")]
    found = {
        "floor_openpyxl_read_only": [sys.executable, "-c", FLOOR, str(budget)],
        "validate": [*mifkit, "validate", str(budget)],
        "validate_with_logframe": [*mifkit, "validate", str(budget), str(logframe)],
        "compile_docx": report,
    }
    if compile_pdf:
        found["compile_docx_pdf"] = [*report, "--pdf"]
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default=",".join(map(str, SIZES)))
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--no-pdf", action="store_true", help="skip the compile with --pdf (LibreOffice)")
    args = parser.parse_args(argv)
    from compiler.libreoffice import soffice_path

    WORK.mkdir(exist_ok=True)
    sizes = [int(s) for s in args.sizes.split(",")]
    results = {"machine": {"cpus": os.cpu_count(), "python": platform.python_version(),
                           "platform": platform.platform()},
               "measured": dt.datetime.now().isoformat(timespec="seconds"), "repeat": args.repeat, "sizes": {}}
    for n in sizes:
        budget, logframe = WORK / f"budget_{n}.xlsx", WORK / f"logframe_{n}.xlsx"
        if not (budget.exists() and logframe.exists()):
            # In a process of its own: a forked child's peak memory would include this process's.
            subprocess.run([sys.executable, "-m", "bench.generate", str(n), str(WORK)], check=True,
                           stdout=subprocess.DEVNULL)
        pdf = not args.no_pdf and soffice_path() is not None
        row = {name: measure(cmd, args.repeat if "pdf" not in name else max(1, args.repeat // 2))
               for name, cmd in commands(budget, logframe, pdf).items()}
        row["validate_over_floor"] = row["validate"]["median_s"] / row["floor_openpyxl_read_only"]["median_s"]
        results["sizes"][n] = row
        print(f"{n:>6} lines: " + ", ".join(f"{k} {v['median_s']:.2f} s ({v['peak_mb']:.0f} MB)"
                                             for k, v in row.items() if isinstance(v, dict))
              + f", validate/floor {row['validate_over_floor']:.2f}", flush=True)
    grown = [n for n in sizes if n >= 500]
    if len(grown) >= 2 and sizes[0] < 500:
        base = sizes[0]
        names = [k for k, v in results["sizes"][base].items() if isinstance(v, dict)]
        # Fitted on the part of the time that grows with the lines (the time less that of the smallest
        # budget, which is start-up: interpreter, imports, LibreOffice), so fixed costs do not hide it.
        results["exponent"] = {name: round(exponent(grown, [
            max(results["sizes"][n][name]["median_s"] - results["sizes"][base][name]["median_s"], 1e-3)
            for n in grown]), 2) for name in names}
        print(f"growth exponent of the time above the {base}-line time:", results["exponent"])
    (HERE / "results.json").write_text(json.dumps(results, indent=2))
    (HERE / "RESULTS.md").write_text(markdown(results))
    print(f"wrote {HERE / 'results.json'} and {HERE / 'RESULTS.md'}")
    return 0


def markdown(results: dict) -> str:
    names = [k for k, v in next(iter(results["sizes"].values())).items() if isinstance(v, dict)]
    lines = [f"Measured {results['measured']} on {results['machine']['cpus']} CPUs, Python "
             f"{results['machine']['python']} ({results['machine']['platform']}); median of {results['repeat']} "
             "runs of the whole process.", "",
             "| Lines | " + " | ".join(names) + " | validate / floor |",
             "|---" * (len(names) + 2) + "|"]
    for n, row in results["sizes"].items():
        lines.append(f"| {int(n):,} | " + " | ".join(f"{row[k]['median_s']:.2f} s, {row[k]['peak_mb']:.0f} MB"
                                                    for k in names)
                     + f" | {row['validate_over_floor']:.2f} |")
    if "exponent" in results:
        lines += ["", "Growth exponent of the time that grows with the lines (each time less the smallest "
                  "budget's, fitted from 500 lines up; 1.0 is linear): "
                  + ", ".join(f"{k} {v}" for k, v in results["exponent"].items())]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    sys.exit(main())
