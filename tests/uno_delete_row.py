"""Delete one row of a sheet in LibreOffice and save the workbook as .xlsx, as a person would.

Run with the system python, which has LibreOffice's UNO bridge (python3-uno):
    /usr/bin/python3 tests/uno_delete_row.py SOURCE.xlsx TARGET.xlsx SHEET ROW
LibreOffice runs headless with a profile of its own, so several can run at once.
"""

import os
import subprocess
import sys
import tempfile
import time

import uno
from com.sun.star.beans import PropertyValue


def _prop(name, value):
    prop = PropertyValue()
    prop.Name, prop.Value = name, value
    return prop


def _connect(pipe):
    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext("com.sun.star.bridge.UnoUrlResolver", local)
    deadline = time.monotonic() + 60
    while True:
        try:
            return resolver.resolve(f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext")
        except Exception:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.3)


def delete_row(source, target, sheet, row):
    with tempfile.TemporaryDirectory(prefix="mifkit-uno-") as profile:
        pipe = f"mifkit-uno-{os.getpid()}"
        office = subprocess.Popen(["soffice", f"-env:UserInstallation=file://{profile}", "--headless", "--norestore",
                                   "--invisible", f"--accept=pipe,name={pipe};urp;"],
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            context = _connect(pipe)
            desktop = context.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", context)
            doc = desktop.loadComponentFromURL(uno.systemPathToFileUrl(os.path.abspath(source)), "_blank", 0,
                                               (_prop("Hidden", True),))
            doc.Sheets.getByName(sheet).Rows.removeByIndex(row - 1, 1)
            doc.storeToURL(uno.systemPathToFileUrl(os.path.abspath(target)),
                           (_prop("FilterName", "Calc MS Excel 2007 XML"),))
            doc.close(True)
        finally:
            office.terminate()
            office.wait(60)


if __name__ == "__main__":
    delete_row(sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]))
