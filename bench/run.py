"""`make bench`: how long the commands take as workbooks grow, measured on this machine.

Every figure is the median of several runs of the whole process, as a user runs it (interpreter
start and imports included): its CPU time (user + system, which a shared machine's load barely
changes), its wall time, and its peak memory (maximum resident set size).
Two floors to compare with, each a process that merely reads the same budget file: openpyxl in
read-only mode reading every cell, and python-calamine reading every sheet (the parser mifkit's
reader is built on).  The commands and the floors run in rounds, one of each per round, so that a
ratio is taken between runs made under the same load (the machine may be shared); the ratio given
is the median of the rounds' ratios of CPU time (wall-time ratios beside them).  Where the time
goes inside one process (imports, read, model, rules, report) is measured by `bench/phases.py`, in
processes of its own.  Results go to bench/results.json and bench/RESULTS.md.
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
TARGET_SIZE = 5000  # the size the time targets are set at
TARGETS = {"validate / openpyxl floor": 0.5, "validate / calamine floor": 4.0, "compile / openpyxl floor": 1.1}
MEMORY_TARGET_MB = 250  # validating or compiling the largest budget

FLOOR_OPENPYXL = """
import sys, openpyxl
book = openpyxl.load_workbook(sys.argv[1], read_only=True)
cells = 0
for sheet in book.worksheets:
    for row in sheet.iter_rows(values_only=True):
        cells += len(row)
print(cells)
"""

FLOOR_CALAMINE = """
import sys, python_calamine
book = python_calamine.CalamineWorkbook.from_path(sys.argv[1])
cells = 0
for name in book.sheet_names:
    cells += sum(map(len, book.get_sheet_by_name(name).to_python(skip_empty_area=False)))
print(cells)
"""

RATIOS = {"validate / openpyxl floor": ("validate", "floor_openpyxl_read_only"),
          "validate / calamine floor": ("validate", "floor_calamine"),
          "compile / openpyxl floor": ("compile_docx", "floor_openpyxl_read_only")}


# Every process runs as an installed package does: from compiled bytecode.  pip compiles a package's modules
# when it installs it (openpyxl's and calamine's, the floors, included); mifkit's, installed in place from
# this checkout, are compiled on their first import, unless PYTHONDONTWRITEBYTECODE is set, as it is on some
# build machines: then every process would compile mifkit's sixty modules again (0.15 s of CPU here).
ENVIRONMENT = {key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"}
COMPILED = ("import compiler.cli, compiler.validate, compiler.read_logframe, compiler.report, "
            "compiler.report.context, compiler.report.render, compiler.iati, bench.phases")


def run(command: list[str]) -> tuple[float, float, bytes, float]:
    """(seconds, peak MB, standard output, CPU seconds) of one whole process."""
    start = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=ENVIRONMENT)
    out = process.stdout.read()
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - start
    code = os.waitstatus_to_exitcode(status)
    if code not in (0, 1):
        raise RuntimeError(f"{' '.join(command)} exited with {code}")
    return seconds, usage.ru_maxrss / 1024, out, usage.ru_utime + usage.ru_stime


def exponent(sizes: list[int], seconds: list[float]) -> float:
    """Slope of log(time) against log(lines): 1.0 is linear growth."""
    xs, ys = [math.log(s) for s in sizes], [math.log(t) for t in seconds]
    mx, my = statistics.fmean(xs), statistics.fmean(ys)
    return sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / sum((x - mx) ** 2 for x in xs)


GROWTH_MIN_S = 0.2  # a time that grows by less than this over the start-up is within the runs' noise


def growth_exponents(results: dict, sizes: list[int]) -> dict[str, float]:
    """How each command's time grows with the lines: the slope of log(time above start-up) against log(lines),
    where start-up is the smallest budget's time (interpreter, imports, LibreOffice), so fixed costs do not hide
    the growth.  Only the sizes whose time has grown by GROWTH_MIN_S or more take part: a time still within the
    noise of the start-up would make the slope whatever the noise is (validating 500 lines takes no longer than
    50)."""
    base = sizes[0]
    found = {}
    for name in (k for k, v in results["sizes"][base].items() if "median_s" in v):
        start = results["sizes"][base][name]["median_s"]
        grown = [(n, results["sizes"][n][name]["median_s"] - start) for n in sizes[1:]]
        grown = [(n, t) for n, t in grown if t >= GROWTH_MIN_S]
        if len(grown) >= 2:
            found[name] = round(exponent([n for n, _ in grown], [t for _, t in grown]), 2)
    return found


def commands(budget: Path, logframe: Path, compile_pdf: bool) -> dict[str, list[str]]:
    mifkit = [sys.executable, "-m", "compiler.cli"]
    report = [*mifkit, "compile", str(budget), str(logframe), "--period", "latest", "--allow-errors", "--force",
              "-o", str(WORK / "report.docx")]
    found = {
        "floor_openpyxl_read_only": [sys.executable, "-c", FLOOR_OPENPYXL, str(budget)],
        "floor_calamine": [sys.executable, "-c", FLOOR_CALAMINE, str(budget)],
        "validate": [*mifkit, "validate", str(budget)],
        "validate_with_logframe": [*mifkit, "validate", str(budget), str(logframe)],
        "compile_docx": report,
    }
    if compile_pdf:
        found["compile_docx_pdf"] = [*report, "--pdf"]
    return found


def phase_commands(budget: Path, logframe: Path) -> dict[str, list[str]]:
    phases = [sys.executable, "-m", "bench.phases"]
    return {"validate": [*phases, "validate", str(budget)],
            "compile_docx": [*phases, "compile", str(budget), str(logframe), str(WORK / "phases.docx")]}


def measure_size(budget: Path, logframe: Path, repeat: int, pdf: bool) -> dict:
    """Every command and floor once per round, `repeat` rounds; medians, peaks and per-round ratios."""
    named = commands(budget, logframe, pdf)
    profiled = phase_commands(budget, logframe)
    runs: dict[str, list[tuple[float, float, float]]] = {name: [] for name in named}
    phases: dict[str, list[dict]] = {name: [] for name in profiled}
    for round_ in range(repeat):
        for name, command in named.items():
            if "pdf" in name and round_ % 2:  # LibreOffice's conversion: every other round is enough
                continue
            seconds, peak, _, cpu = run(command)
            runs[name].append((seconds, peak, cpu))
        for name, command in profiled.items():
            phases[name].append(json.loads(run(command)[2]))
    row = {name: {"median_s": statistics.median(t for t, _, _ in got), "runs_s": [round(t, 3) for t, _, _ in got],
                  "median_cpu_s": statistics.median(c for _, _, c in got),
                  "peak_mb": max(m for _, m, _ in got)} for name, got in runs.items()}
    # Ratios of CPU time (user + system, from wait4): what each process costs, whatever else the machine runs;
    # the wall-clock ratios are kept beside them.
    row["ratios"] = {label: statistics.median(a[2] / b[2] for a, b in zip(runs[top], runs[floor], strict=True))
                     for label, (top, floor) in RATIOS.items()}
    row["wall_ratios"] = {label: statistics.median(a[0] / b[0] for a, b in zip(runs[top], runs[floor], strict=True))
                          for label, (top, floor) in RATIOS.items()}
    row["phases"] = {name: {phase: statistics.median(p[phase] for p in got) for phase in got[0]}
                     for name, got in phases.items()}
    return row


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default=",".join(map(str, SIZES)))
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--no-pdf", action="store_true", help="skip the compile with --pdf (LibreOffice)")
    parser.add_argument("--no-write", action="store_true", help="print only; leave results.json and RESULTS.md")
    args = parser.parse_args(argv)
    from compiler.libreoffice import soffice_path

    WORK.mkdir(exist_ok=True)
    sizes = [int(s) for s in args.sizes.split(",")]
    results = {"machine": {"cpus": os.cpu_count(), "python": platform.python_version(),
                           "platform": platform.platform(), "load_average": os.getloadavg()},
               "measured": dt.datetime.now().isoformat(timespec="seconds"), "repeat": args.repeat, "sizes": {}}
    pdf = not args.no_pdf and soffice_path() is not None
    subprocess.run([sys.executable, "-c", COMPILED], check=True, env=ENVIRONMENT)  # bytecode written once
    for n in sizes:
        budget, logframe = WORK / f"budget_{n}.xlsx", WORK / f"logframe_{n}.xlsx"
        if not (budget.exists() and logframe.exists()):
            # In a process of its own: a forked child's peak memory would include this process's.
            subprocess.run([sys.executable, "-m", "bench.generate", str(n), str(WORK)], check=True,
                           stdout=subprocess.DEVNULL)
        row = results["sizes"][n] = measure_size(budget, logframe, args.repeat, pdf)
        print(f"{n:>6} lines: " + ", ".join(f"{k} {v['median_s']:.2f} s, CPU {v['median_cpu_s']:.2f} s "
                                             f"({v['peak_mb']:.0f} MB)" for k, v in row.items() if "median_s" in v),
              flush=True)
        print("        CPU ratios (median of the rounds): "
              + ", ".join(f"{k} {v:.2f}" for k, v in row["ratios"].items()))
        for name, split in row["phases"].items():
            print(f"        {name} in-process: " + ", ".join(f"{k} {v:.2f}" for k, v in split.items()
                                                           if not k.startswith("_")), flush=True)
        results["machine"]["load_average_after"] = os.getloadavg()
        if not args.no_write:  # after each size, so a long run interrupted keeps what it measured
            (HERE / "results.json").write_text(json.dumps(results, indent=2))
            (HERE / "RESULTS.md").write_text(markdown(results))
    if len(sizes) >= 3:
        results["exponent"] = growth_exponents(results, sizes)
        print(f"growth exponent of the time above the {sizes[0]}-line time:", results["exponent"])
    print(markdown(results))
    if not args.no_write:
        (HERE / "results.json").write_text(json.dumps(results, indent=2))
        (HERE / "RESULTS.md").write_text(markdown(results))
        print(f"wrote {HERE / 'results.json'} and {HERE / 'RESULTS.md'}")
    return 0


def markdown(results: dict) -> str:
    first = next(iter(results["sizes"].values()))
    names = [k for k, v in first.items() if "median_s" in v]
    machine = results["machine"]
    lines = [f"Measured {results['measured']} on {machine['cpus']} CPUs, Python {machine['python']} "
             f"({machine['platform']}), load average {machine['load_average'][0]:.1f} at the start and "
             f"{machine.get('load_average_after', machine['load_average'])[0]:.1f} at the end; "
             f"{results['repeat']} rounds, each running every command once; medians of whole processes: "
             "CPU time (user + system), wall time, peak memory (maximum resident set).", "",
             "| Lines | " + " | ".join(names) + " |", "|---" * (len(names) + 1) + "|"]
    for n, row in results["sizes"].items():
        lines.append(f"| {int(n):,} | " + " | ".join(f"CPU {row[k].get('median_cpu_s', math.nan):.2f} s, wall "
                                                    f"{row[k]['median_s']:.2f} s, {row[k]['peak_mb']:.0f} MB"
                                                    for k in names) + " |")
    labels = list(first["ratios"])
    lines += ["", "Ratios of CPU time, each the median of the rounds' ratios (runs made one after the other); "
              "wall-time ratios in brackets:", "",
              "| Lines | " + " | ".join(labels) + " |", "|---" * (len(labels) + 1) + "|"]
    for n, row in results["sizes"].items():
        walls = row.get("wall_ratios", {})
        lines.append(f"| {int(n):,} | " + " | ".join(f"{row['ratios'][k]:.2f} ({walls.get(k, math.nan):.2f})"
                                                    for k in labels) + " |")
    lines += ["", "Where the time goes inside one process (`bench/phases.py`, CPU seconds, medians; compile's "
              "report is the context, charts included, and the .docx written):", "",
              "| Lines | command | imports | read | model | rules | report | peak |", "|---" * 8 + "|"]
    for n, row in results["sizes"].items():
        for name, split in row["phases"].items():
            lines.append(f"| {int(n):,} | {name} | " + " | ".join(f"{split[k]:.2f}" for k in
                                                                  ("imports", "read", "model", "rules", "report"))
                         + f" | {split['peak_mb']:.0f} MB |")
    if str(TARGET_SIZE) in map(str, results["sizes"]):
        row = results["sizes"].get(TARGET_SIZE) or results["sizes"][str(TARGET_SIZE)]
        met = [f"{k} {row['ratios'][k]:.2f} (target {v}: {'met' if row['ratios'][k] <= v else 'missed'})"
               for k, v in TARGETS.items()]
        lines += ["", f"Targets at {TARGET_SIZE:,} lines: " + "; ".join(met) + "."]
    size = max(results["sizes"], key=int)
    largest = results["sizes"][size]
    peak = max(largest[k]["peak_mb"] for k in ("validate", "validate_with_logframe", "compile_docx") if k in largest)
    lines += [f"Peak memory at {int(size):,} lines, validating or compiling: {peak:.0f} MB (the target, "
              f"{MEMORY_TARGET_MB} MB, is set at {max(SIZES):,} lines)."]
    if "exponent" in results:
        lines += ["", "Growth exponent of the time that grows with the lines (each time less the smallest "
                  "budget's, fitted over the sizes where it has grown by 0.2 s or more; 1.0 is linear): "
                  + ", ".join(f"{k} {v}" for k, v in results["exponent"].items())]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    sys.exit(main())
