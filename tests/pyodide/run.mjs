// Runs tests/pyodide/in_pyodide.py in Pyodide under node, with mifkit installed from its wheel.
//   node run.mjs PYODIDE_DIR RESULT_JSON WORKBOOKS_DIR WHEEL...
// PYODIDE_DIR: node_modules/pyodide of the npm package `pyodide`; the wheels: mifkit's (from
// `mifkit addin --lite`) and the dependencies that Pyodide can run without numpy, as files (this
// machine cannot download Pyodide's own builds).
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const [pyodideDir, resultPath, workbooks, ...wheels] = process.argv.slice(2);
const { loadPyodide } = await import(join(pyodideDir, "pyodide.mjs"));
const py = await loadPyodide({ indexURL: pyodideDir + "/", stdout: () => {}, stderr: () => {} });
await py.loadPackage(wheels, { messageCallback: () => {}, errorCallback: (m) => console.error(m) });
const here = dirname(fileURLToPath(import.meta.url));
py.FS.writeFile("/home/pyodide/in_pyodide.py", readFileSync(join(here, "in_pyodide.py"), "utf8"));
py.FS.mkdirTree("/tmp/workbooks");
for (const name of readdirSync(workbooks).filter((n) => n.endsWith(".xlsx"))) {
  py.FS.writeFile("/tmp/workbooks/" + name, readFileSync(join(workbooks, name)));
}
const python = `
import json, sys, pathlib, importlib.util
sys.path.insert(0, "/home/pyodide")
import in_pyodide
root = pathlib.Path(importlib.util.find_spec("compiler").origin).parent.parent
json.dumps(in_pyodide.main(str(root), "/tmp/workbooks"))
`;
try {
  writeFileSync(resultPath, await py.runPythonAsync(python));
} catch (error) {
  console.error(String(error.message ?? error).split("\n").slice(-15).join("\n"));  // the Python traceback's end
  process.exit(1);
}
