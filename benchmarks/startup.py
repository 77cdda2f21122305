"""Start-up and the phases of one text compare, each in a fresh process as a user runs it.

    python benchmarks/startup.py [--generated FILE --source FILE] [--repeats 2]

1. ``python -X importtime`` summaries: what ``import analysis.cli`` (``fairuse --help``,
   ``assess``, ``memo``) costs and whether it pulls torch or sentence-transformers, beside
   the cost of importing sentence-transformers itself (what a text compare must pay once).
2. A text compare (default: the close-paraphrase sample) in a fresh process, timed by
   phase from the engine's own progress messages: interpreter start and CLI import,
   reading, verbatim alignment (the first comparison step), loading the text model,
   embedding, paraphrase matching and the report. Issue 11's target: at most a third of the
   wall time passes before the first comparison step.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "samples" / "text-close-paraphrase"

_CHILD = r"""
import json, sys, time
t0 = time.perf_counter()
from analysis.measure.compare import compare_paths
t_import = time.perf_counter()
marks = []
def progress(frac, msg):
    marks.append((time.perf_counter(), msg))
compare_paths(sys.argv[1], sys.argv[2], device="cpu", progress=progress)
t_end = time.perf_counter()
print(json.dumps({"t0": t0, "import": t_import, "end": t_end, "marks": marks,
                  "heavy_at_import": None}))
"""


def importtime(stmt: str) -> tuple[float, list[tuple[str, float]]]:
    """Total import time (s) of ``stmt`` and its slowest top-level packages (cumulative)."""
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    r = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", stmt], env=env, capture_output=True, text=True, cwd=ROOT
    )
    tops: dict[str, float] = {}
    for line in r.stderr.splitlines():
        m = re.match(r"import time:\s+(\d+) \|\s+(\d+) \|( *)(\S+)", line)
        if not m:
            continue
        cum, depth, name = int(m.group(2)), len(m.group(3)), m.group(4)
        if depth <= 1:
            top = name.split(".")[0]
            tops[top] = tops.get(top, 0.0) + cum / 1e6
    ranked = sorted(tops.items(), key=lambda kv: -kv[1])
    return sum(tops.values()), ranked[:6]


def phases(generated: Path, source: Path) -> list[tuple[str, float]]:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    t_spawn = time.perf_counter()
    r = subprocess.run(
        [sys.executable, "-c", _CHILD, str(generated), str(source)],
        env=env,
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=True,
    )
    t_done = time.perf_counter()
    d = json.loads(r.stdout.strip().splitlines()[-1])
    # the child's perf_counter is not the parent's: measure start-up as the parent's wall
    # time minus the child's own (import + compare) time
    child = d["end"] - d["t0"]
    startup = (t_done - t_spawn) - child
    names = [
        ("finding shared word sequences", "read texts"),
        ("verbatim or near-verbatim passages", "verbatim alignment"),
        ("loading the text model", "(between alignment and model load)"),
        ("embedding sentences", "load text model"),
        ("matching paraphrases", "embed sentences"),
        ("done", "paraphrase, metrics, report"),
    ]
    out = [("interpreter start", startup), ("import analysis (CLI, compare)", d["import"] - d["t0"])]
    prev = d["import"]
    marks = d["marks"]
    for key, label in names:
        hit = next((t for t, m in marks if key in m and t >= prev), None)
        if hit is None:
            continue
        out.append((label, hit - prev))
        prev = hit
    out.append(("exit", d["end"] - prev))
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--generated", type=Path, default=SAMPLE / "generated.txt")
    ap.add_argument("--source", type=Path, default=SAMPLE / "source.txt")
    ap.add_argument("--repeats", type=int, default=2)
    args = ap.parse_args(argv)
    print("python -X importtime (cumulative, top-level packages)")
    for stmt in ("import analysis.cli", "import analysis.measure.compare", "import sentence_transformers"):
        total, top = importtime(stmt)
        heavy = [n for n, _ in top if n in ("torch", "sentence_transformers", "transformers", "sklearn")]
        print(f"  {stmt:38s} {total:6.2f} s   heavy: {heavy or 'none'}")
        print("      " + ", ".join(f"{n} {t:.2f}" for n, t in top))
    print(
        f"\nPhases of a text compare in a fresh process ({args.generated.name} vs {args.source.name}), best run of {args.repeats}"
    )
    best = None
    for _ in range(args.repeats):
        ph = phases(args.generated, args.source)
        if best is None or sum(t for _, t in ph) < sum(t for _, t in best):
            best = ph
    assert best is not None
    total = sum(t for _, t in best)
    before = 0.0
    for label, t in best:
        print(f"  {label:38s} {t:6.2f} s  {t / total:5.1%}")
        if label in ("interpreter start", "import analysis (CLI, compare)", "read texts"):
            before += t
    print(f"  {'total':38s} {total:6.2f} s")
    print(
        f"  before the first comparison step (verbatim alignment): {before:.2f} s = {before / total:.1%} of wall time "
        f"(target <= 33%: {'met' if before / total <= 1 / 3 else 'NOT met'})"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
