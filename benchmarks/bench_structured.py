"""What the checks of the structured-input loader cost (analysis/ingest/structured.py).

Times ``load_structured`` against the plain parsers in the same run (the ratio is the figure):
a save-file-sized JSON document (a 40 MB base64 work, 50,000 passages, a million numbers) against
``json.loads``, and a 1 MiB YAML scenario (the scenario limit) against PyYAML's ``CSafeLoader``
and its pure-Python ``SafeLoader`` (what ``yaml.safe_load`` is). Best of N runs.

    .venv/bin/python benchmarks/bench_structured.py [--repeat N]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def best(fn, repeat: int) -> float:
    runs = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        runs.append(time.perf_counter() - t)
    return min(runs)


def save_file_json() -> bytes:
    passage = {"kind": "verbatim", "words": 9, "similarity": 0.9, "generated_text": "word " * 40}
    doc = {
        "format_version": 1,
        "passages": [
            {**passage, "span": {"start": i, "end": i + 5}, "source_text": "wörd " * 40} for i in range(50_000)
        ],
        "numbers": [0.5] * 1_000_000,
        "work_base64": "QUJD" * 10_000_000,
    }
    return json.dumps(doc, ensure_ascii=False).encode()


def scenario_yaml(limit: int) -> bytes:
    notes = "notes: |\n" + "".join(f"  line {i} of long pasted notes, with some words in it\n" for i in range(8_000))
    evidence = "evidence:\n" + "".join(
        f"  - {{medium: text, copy_kind: verbatim, summary: passage {i}, share_of_source_taken: 0.{i % 10}}}\n"
        for i in range(8_000)
    )
    data = (notes + evidence).encode()[:limit]
    return data[: data.rfind(b"\n") + 1]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()

    import yaml

    from analysis import defaults
    from analysis.ingest.structured import load_structured

    data = save_file_json()
    plain = best(lambda: json.loads(data), args.repeat)
    ours = best(lambda: load_structured(data, "x.fairuse.json", kind="save file"), args.repeat)
    print(f"save file, JSON, {len(data) / 1e6:.1f} MB")
    print(f"  json.loads              {plain:7.2f} s")
    print(f"  load_structured         {ours:7.2f} s   ratio {ours / plain:.2f}")

    data = scenario_yaml(defaults.MAX_SCENARIO_BYTES)
    text = data.decode()
    c_loader = best(lambda: yaml.load(text, Loader=yaml.CSafeLoader), args.repeat)
    py_loader = best(lambda: yaml.load(text, Loader=yaml.SafeLoader), max(1, args.repeat // 2))
    ours = best(lambda: load_structured(data, "x.yaml", kind="scenario"), args.repeat)
    print(f"scenario, YAML, {len(data) / 1e6:.2f} MB")
    print(f"  yaml CSafeLoader        {c_loader:7.2f} s")
    print(f"  yaml SafeLoader         {py_loader:7.2f} s   (yaml.safe_load, used before)")
    print(
        f"  load_structured         {ours:7.2f} s   ratio {ours / c_loader:.2f} to CSafeLoader, {ours / py_loader:.2f} to SafeLoader"
    )


if __name__ == "__main__":
    main()
