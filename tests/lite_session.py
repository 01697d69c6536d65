"""One xlwings Lite session, as near as a machine without Excel gets: run in a fresh Python process.

    python lite_session.py SITE DATA BOOK_NAME RESULT_JSON

SITE holds mifkit installed from the wheel of `mifkit addin --lite` (and the bundle's main.py), DATA
stands for xlwings Lite's files (/data) with the officer's imported workbooks, BOOK_NAME is the open
workbook (its copy in DATA is what Excel shows).

Before anything of mifkit is imported (only matplotlib's font list is made first where
matplotlib is installed, see below), the
session starts watching, with an audit hook and Pyodide's own refusal of threads: every file opened
for writing, renamed, removed or made outside DATA; every process started; every thread started
(refused, as Pyodide refuses it).
Then it does what xlwings Lite does: imports main.py as the module `main`, lists its buttons with
xlwings' `custom_scripts_meta`, and runs Validate, Clear marks and Compile report through xlwings'
`custom_scripts_call`, which gives each the workbook (a `xw.Book` of the values Excel sends).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import sys
import threading
from pathlib import Path

SITE, DATA, BOOK_NAME, RESULT = Path(sys.argv[1]), Path(sys.argv[2]).resolve(), sys.argv[3], Path(sys.argv[4])
WRITE_FLAGS = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_APPEND | os.O_TRUNC
PROCESS_EVENTS = ("subprocess.Popen", "os.system", "os.posix_spawn", "os.exec", "os.fork", "os.spawn",
                  "os.startfile")
CHANGE_EVENTS = ("os.rename", "os.remove", "os.mkdir", "os.rmdir", "os.truncate", "os.chmod", "os.utime",
                 "os.symlink", "os.link")
seen: dict[str, list[str]] = {"writes_outside_data": [], "processes": [], "threads": []}


def _asker() -> str:
    """The module that asked for the process or thread (the first caller outside the standard plumbing)."""
    frame = sys._getframe(2)
    while frame and frame.f_globals.get("__name__") in ("__main__", "subprocess", "threading", "os"):
        frame = frame.f_back
    return frame.f_globals.get("__name__", "?") if frame else "?"


def _outside_data(path) -> bool:
    if isinstance(path, int):
        return False  # an open file descriptor: its opening was seen
    path = Path(os.fsdecode(path)).resolve()
    return path != DATA and DATA not in path.parents


def _watch(event: str, args: tuple) -> None:
    if event == "open":
        path, mode, flags = args
        writing = (mode is not None and any(c in mode for c in "wax+")) or (mode is None and flags & WRITE_FLAGS)
        if writing and path is not None and _outside_data(path):
            seen["writes_outside_data"].append(f"open {os.fsdecode(path)}")
    elif event in CHANGE_EVENTS and args and not isinstance(args[0], int) and _outside_data(args[0]):
        seen["writes_outside_data"].append(f"{event} {os.fsdecode(args[0])}")
    elif event.startswith(PROCESS_EVENTS):
        seen["processes"].append(_asker())


def _no_threads(self, *args, **kwargs):
    seen["threads"].append(_asker())
    raise RuntimeError("can't start new thread")  # Pyodide's answer


# matplotlib builds its font list on its first import, and xlwings imports it where it is installed
# (xlwings/utils.py): that is xlwings at work, not mifkit, and is done before the watch starts. From here on
# everything is watched, mifkit's charts included (native Word charts: mifkit imports no plotting library).
with contextlib.suppress(ImportError):
    import matplotlib.font_manager  # noqa: F401

sys.addaudithook(_watch)
threading.Thread.start = _no_threads
sys.path[:0] = [str(SITE), str(Path(__file__).parent)]
os.environ["XLWINGS_ON_SERVER"] = "true"  # xlwings' script decorator as in xlwings Lite

import types  # noqa: E402

import xlwings as xw  # noqa: E402
from xlwings.server import custom_scripts_call, custom_scripts_meta  # noqa: E402

main = types.ModuleType("main")
exec(compile((SITE / "main.py").read_text(encoding="utf-8"), "main.py", "exec"), main.__dict__)  # noqa: S102

from addin_harness import actions, payload  # noqa: E402

from addin import commands  # noqa: E402

commands.IN_BROWSER, commands.LITE_FILES = True, DATA   # Pyodide's sys.platform, and xlwings Lite's /data


def press(button: str) -> list[dict]:
    """Click a button on the workbook as Excel shows it now; the actions Excel is asked to do."""
    book = xw.Book(json=payload(DATA / BOOK_NAME, BOOK_NAME))
    asyncio.run(custom_scripts_call(main, button, typehint_to_value={xw.Book: book}))
    return actions(book)


result = {"buttons": sorted(s["function_name"] for s in custom_scripts_meta(main)),
          "mifkit_from": str(Path(commands.__file__).resolve().parent.parent)}
for button in ("validate_workbook", "clear_marks", "compile_report"):
    done = press(button)
    result[button] = {"actions": [a["func"] for a in done],
                      "alert": next((a["args"][0] for a in done if a["func"] == "alert"), "")}
result.update(seen)
RESULT.write_text(json.dumps(result, indent=1), encoding="utf-8")
