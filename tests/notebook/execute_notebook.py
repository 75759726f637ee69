"""Runs a notebook of outputs/ on a real results file; fails if any cell fails.

Usage: execute_notebook.py NOTEBOOK RESULTS.h5 WORKDIR [VARIABLE [FIGURE.png ...]]

The notebook finds the file in the environment variable VARIABLE (BASKETS_RESULTS by default) and
must save the FIGUREs (by default those of example.ipynb).

The kernel is this interpreter (a kernelspec written under WORKDIR comes first on JUPYTER_PATH),
so that a user's own kernelspec or another python3 on PATH cannot get in the way. Also checks that
the notebook is stored without outputs and that it saved its figures.
"""
import json
import os
import pathlib
import shutil
import subprocess
import sys

notebook, results, workdir = (pathlib.Path(a).resolve() for a in sys.argv[1:4])
variable = sys.argv[4] if len(sys.argv) > 4 else "BASKETS_RESULTS"
expected = sys.argv[5:] or ["loss_distributions.png", "cvar95.png", "timeseries.png",
                            "overview.png"]
shutil.rmtree(workdir, ignore_errors=True)
figures = workdir / "figures"
kernel = workdir / "jupyter" / "kernels" / "python3"
kernel.mkdir(parents=True)
(kernel / "kernel.json").write_text(json.dumps({
    "argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
    "display_name": "Python 3", "language": "python"}))

stored = json.loads(notebook.read_text())
for cell in stored["cells"]:
    if cell["cell_type"] == "code":
        assert not cell["outputs"] and cell["execution_count"] is None, \
            f"{notebook} is stored with outputs: clear them"

env = dict(os.environ, **{variable: str(results)}, BASKETS_FIGURES=str(figures),
           JUPYTER_PATH=str(workdir / "jupyter"), JUPYTER_RUNTIME_DIR=str(workdir / "runtime"),
           IPYTHONDIR=str(workdir / "ipython"), PYDEVD_DISABLE_FILE_VALIDATION="1")
env.pop("MPLBACKEND", None)
subprocess.run([sys.executable, "-m", "nbconvert", "--to", "notebook", "--execute",
                "--ExecutePreprocessor.timeout=120", "--output-dir", str(workdir),
                "--output", "executed.ipynb", str(notebook)], check=True, env=env)

executed = json.loads((workdir / "executed.ipynb").read_text())
errors = [o for c in executed["cells"] for o in c.get("outputs", []) if o["output_type"] == "error"]
assert not errors, errors
saved = sorted(p.name for p in figures.glob("*.png"))
for name in expected:
    assert name in saved, (name, saved)
print("notebook ran:", ", ".join(saved))
