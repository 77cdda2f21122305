"""Many pairs in one process: ``fairuse compare --pairs PAIRS.jsonl --out DIR``.

A pairs file has one JSON object a line::

    {"generated": "out/story-1.txt", "source": "catalogue/novel.txt", "id": "story-1"}

``id`` is optional (``pair-0001`` … otherwise); relative paths are read from the pairs
file's folder. ``compare_pairs`` loads the text model once and passes it to every text
pair (the image engine caches its optional deep model itself), writes one full report per
pair under ``DIR/reports/`` and a summary table (``DIR/summary.csv`` and
``DIR/summary.json``). A pair that fails (a missing file, an unreadable work, a text beside
an image) is recorded with its one-line reason and the rest go on.

Every output is named before the first comparison (the report names follow from the pairs'
ids) and checked then (``analysis.output.OutputPlan``): none may be an input (the pairs file,
a generated work or a source, by path, symbolic or hard link), and an existing report or
summary is replaced only with ``force`` (``--force``) or a yes from ``confirm``. A long batch
is not held back to be written all at once: each report is written atomically (a temporary
file renamed into place) as its pair finishes, and the two summary files together at the end,
so a batch stopped half way leaves the reports of the pairs done and no summary.
"""

from __future__ import annotations

import csv
import io
import json
import re
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from analysis.errors import FairUseError, InputError, MissingInputError, UnreadableInputError
from analysis.evidence import ComparisonReport

PairProgress = Callable[[int, int, str], None]
"""``progress(done, total, label)`` after each pair."""

SUMMARY_COLUMNS = [
    "id",
    "status",
    "kind",
    "copy_kind",
    "share_of_generated_copied",
    "share_of_source_taken",
    "longest_passage_words",
    "summary",
    "report",
    "error",
    "seconds",
    "generated",
    "source",
]


class PairSpec(BaseModel):
    """One line of a pairs file."""

    model_config = ConfigDict(extra="forbid")

    generated: str = Field(min_length=1)
    source: str = Field(min_length=1)
    id: str | None = None
    min_words: int | None = None


class PairResult(BaseModel):
    """One row of the summary table."""

    model_config = ConfigDict(extra="forbid")

    id: str
    generated: str
    source: str
    status: str = Field(description="'ok' or 'failed'")
    kind: str | None = None
    copy_kind: str | None = None
    share_of_generated_copied: float | None = None
    share_of_source_taken: float | None = None
    longest_passage_words: int | None = None
    summary: str = ""
    report: str | None = Field(default=None, description="the full report, relative to the output folder")
    error: str | None = None
    seconds: float = 0.0


class BatchSummary(BaseModel):
    model_config = ConfigDict(extra="forbid")

    pairs: list[PairResult]
    ok: int
    failed: int
    seconds: float

    def to_csv(self) -> str:
        buf = io.StringIO()
        w = csv.DictWriter(buf, fieldnames=SUMMARY_COLUMNS, extrasaction="ignore", lineterminator="\n")
        w.writeheader()
        for row in self.pairs:
            w.writerow({k: ("" if v is None else v) for k, v in row.model_dump().items()})
        return buf.getvalue()


# --------------------------------------------------------------------------- reading the pairs file
def read_pairs(path: str | Path) -> list[PairSpec]:
    """Parse a JSONL pairs file; paths are resolved against its folder. One clear error per bad line."""
    from analysis.ingest.limits import check_file_size, require_file

    p = require_file(path, "a pairs file (JSON lines)")
    check_file_size(p.stat().st_size, p.name)
    try:
        text = p.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise UnreadableInputError(f"{p.name}: a pairs file must be UTF-8 JSON lines") from None
    base = p.resolve().parent
    specs: list[PairSpec] = []
    for lineno, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        try:
            raw = json.loads(line)
            spec = PairSpec.model_validate(raw)
        except json.JSONDecodeError as exc:
            raise UnreadableInputError(f"{p.name} line {lineno}: not JSON ({exc.msg})") from None
        except ValidationError as exc:
            err = exc.errors()[0]
            where = ".".join(str(x) for x in err.get("loc", ())) or "line"
            raise UnreadableInputError(
                f"{p.name} line {lineno}: {where}: {err.get('msg', 'invalid')} "
                '(each line needs "generated" and "source" paths; optional "id", "min_words")'
            ) from None
        for attr in ("generated", "source"):
            q = Path(getattr(spec, attr)).expanduser()
            setattr(spec, attr, str(q if q.is_absolute() else base / q))
        specs.append(spec)
    if not specs:
        raise InputError(f"{p.name} holds no pairs (one JSON object a line)")
    return specs


def _safe_name(label: str) -> str:
    name = re.sub(r"[^A-Za-z0-9._-]+", "_", label).strip("._")[:80]
    return name or "pair"


def report_files(ids: list[str]) -> list[str]:
    """Each pair's report, relative to the output folder: ``reports/NAME.json``, one file per pair
    even where two ids make the same file name (``a b`` and ``a_b``; ``A`` and ``a`` on a file
    system that ignores case)."""
    seen: set[str] = set()
    out = []
    for pid in ids:
        base = _safe_name(pid)
        name, n = base, 1
        while name.lower() in seen:
            n += 1
            name = f"{base}-{n}"
        seen.add(name.lower())
        out.append(f"reports/{name}.json")
    return out


def _ids(specs: list[PairSpec]) -> list[str]:
    seen: dict[str, int] = {}
    out = []
    for i, s in enumerate(specs, 1):
        base = s.id if s.id else f"pair-{i:04d}"
        n = seen.get(base, 0)
        seen[base] = n + 1
        out.append(base if n == 0 else f"{base}-{n + 1}")
    return out


# --------------------------------------------------------------------------- one pair
class _PairRunner:
    """Holds what is loaded once (the text model) and compares one pair at a time."""

    def __init__(self, *, device: str, text_model: str | None, image_model: str | None):
        self.device = device
        self.text_model = text_model
        self.image_model = image_model
        self._embedder: Any = None

    def embedder(self):
        if self._embedder is None:
            from analysis.measure.text.embeddings import load_text_model

            self._embedder = load_text_model(self.text_model, self.device)
        return self._embedder

    def compare(self, generated: Path, source: Path, min_words: int | None) -> ComparisonReport:
        from analysis.ingest.limits import require_file
        from analysis.measure.compare import compare_paths, detect_kind

        gen, src = require_file(generated), require_file(source)
        if {detect_kind(gen), detect_kind(src)} == {"text"}:
            from analysis.ingest.text import read_text_file
            from analysis.measure.text.compare import check_min_words, compare_ingested

            n = check_min_words(min_words)
            return compare_ingested(
                read_text_file(gen), read_text_file(src), min_words=n, device=self.device, embedder=self.embedder()
            )
        return compare_paths(
            gen,
            src,
            min_words=min_words,
            device=self.device,
            text_model=self.text_model,
            image_model=self.image_model,
        )


def result_row(
    pid: str, spec: PairSpec, report: ComparisonReport, report_rel: str | None, seconds: float
) -> PairResult:
    f = report.facts
    return PairResult(
        id=pid,
        generated=spec.generated,
        source=spec.source,
        status="ok",
        kind=report.kind,
        copy_kind=f.copy_kind,
        share_of_generated_copied=f.share_of_generated_copied,
        share_of_source_taken=f.share_of_source_taken,
        longest_passage_words=f.longest_passage_words,
        summary=f.summary or (report.summary[0] if report.summary else ""),
        report=report_rel,
        seconds=round(seconds, 3),
    )


def _failure(exc: BaseException) -> str:
    if isinstance(exc, FairUseError):
        return str(exc)
    first = (str(exc).splitlines() or [""])[0][:200]
    return f"internal error: {type(exc).__name__}: {first}"


def check_out_dir(out: str | Path) -> Path:
    """Fail with one line when the output folder is a file (it is created only once checked)."""
    d = Path(out)
    if d.exists() and not d.is_dir():
        raise InputError(f"cannot write to {d}: it is a file, not a folder")
    return d


def prepare_out_dir(out: str | Path) -> Path:
    """Create the output folder (and its ``reports/``) or fail with one line before any work."""
    d = check_out_dir(out)
    try:
        (d / "reports").mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InputError(f"cannot create {d}: {exc.strerror or exc}") from None
    return d


def output_files(specs: list[PairSpec], out_dir: str | Path) -> list[Path]:
    """Every file a batch writes: the two summary files, then one report per pair."""
    out = Path(out_dir)
    return [out / "summary.json", out / "summary.csv", *(out / r for r in report_files(_ids(specs)))]


def check_outputs(
    specs: list[PairSpec],
    out_dir: str | Path,
    *,
    force: bool = True,
    confirm: Callable[[Path], bool] | None = None,
    inputs: Iterable[str | Path] = (),
) -> list[str]:
    """Check every output of the batch before any work (``OutputPlan.check``; one ``InputError``
    line): none is a work or one of ``inputs``, none replaces an existing file unless ``force``
    or ``confirm``. The reports' paths, relative to ``out_dir``."""
    from analysis.output import OutputPlan

    check_out_dir(out_dir)
    OutputPlan(
        output_files(specs, out_dir),
        inputs=[*inputs, *(s.generated for s in specs), *(s.source for s in specs)],
        force=force,
        confirm=confirm,
        create_folders=True,
    ).check()
    return report_files(_ids(specs))


def compare_pairs(
    pairs: Iterable[PairSpec],
    out_dir: str | Path,
    *,
    min_words: int | None = None,
    device: str = "auto",
    text_model: str | None = None,
    image_model: str | None = None,
    progress: PairProgress | None = None,
    force: bool = True,
    confirm: Callable[[Path], bool] | None = None,
    inputs: Iterable[str | Path] = (),
) -> BatchSummary:
    """Compare every pair, one report each under ``out_dir/reports``, and write the summary table.

    Every output is checked first: none may be one of the works or of ``inputs`` (the pairs
    file); an existing one is replaced only with ``force`` (the default here; the CLI passes
    ``--force``) or when ``confirm(path)`` says yes."""
    from analysis.output import OutputPlan, write_output

    specs = list(pairs)
    out = check_out_dir(out_dir)
    ids = _ids(specs)
    rels = check_outputs(specs, out, force=force, confirm=confirm, inputs=inputs)
    summary_files = [out / "summary.json", out / "summary.csv"]
    prepare_out_dir(out)
    if min_words is not None:
        from analysis.measure.text.compare import check_min_words

        check_min_words(min_words)
    runner = _PairRunner(device=device, text_model=text_model, image_model=image_model)
    t_all = time.perf_counter()
    rows: list[PairResult] = []
    for i, (pid, rel, spec) in enumerate(zip(ids, rels, specs), 1):
        t0 = time.perf_counter()
        try:
            report = runner.compare(
                Path(spec.generated), Path(spec.source), spec.min_words if spec.min_words is not None else min_words
            )
            write_output(out / rel, report.to_json())  # checked above; atomic
            rows.append(result_row(pid, spec, report, rel, time.perf_counter() - t0))
        except KeyboardInterrupt:
            raise
        except (FairUseError, OSError, ValueError, RuntimeError, MemoryError) as exc:
            if isinstance(exc, FairUseError) and getattr(exc, "exit_code", 2) == 3:
                raise  # a model that cannot be loaded fails every pair: stop with its message
            if isinstance(exc, FileNotFoundError):
                exc = MissingInputError(f"no such file: {exc.filename}")
            rows.append(
                PairResult(
                    id=pid,
                    generated=spec.generated,
                    source=spec.source,
                    status="failed",
                    error=_failure(exc),
                    seconds=round(time.perf_counter() - t0, 3),
                )
            )
        if progress is not None:
            progress(i, len(specs), pid)
    ok = sum(1 for r in rows if r.status == "ok")
    summary = BatchSummary(pairs=rows, ok=ok, failed=len(rows) - ok, seconds=round(time.perf_counter() - t_all, 3))
    OutputPlan(summary_files, force=True).commit(
        {summary_files[0]: summary.model_dump_json(indent=2), summary_files[1]: summary.to_csv()}
    )
    return summary
