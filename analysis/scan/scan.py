"""Scan works against an index: cheap candidates, then the full comparison on the top K.

``scan_works`` returns a ``ScanResult`` (typed rows of the triage table) and writes, under
``out``: ``triage.csv``, ``triage.json``, ``triage.html`` (a static page, no remote
resources, every value escaped) and one full comparison report per pair under
``reports/``; with a scenario template, each flagged pair's four-factor assessment under
``assessments/``. With ``ray``, batches of works run as Ray tasks; the rows are the same.

Each work's files go in a folder named after it (``reports/STORY/``, ``-2`` added for a second
work of the same name). Before any work, every output that can be named then is checked
(``analysis.output.OutputPlan``): the triage files, and the reports and assessments already in
the works' folders (the names a scan writes there depend on the candidates it finds, so any file
of that form is taken as one it may replace). None may be a work or the scenario (by path,
symbolic or hard link), and an existing one is replaced only with ``force`` or a yes from
``confirm``. The files are written together at the end, all or none, after a last check that
also takes the compared catalogue files as inputs.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from analysis import defaults
from analysis.errors import FairUseError, InputError

ScanProgress = Callable[[int, str], None]

FLAGGED_KINDS = {"verbatim", "near_verbatim", "paraphrase", "near_duplicate", "partial_copy"}


class TriageRow(BaseModel):
    """One work against one candidate source."""

    model_config = ConfigDict(extra="forbid")

    work: str
    work_path: str
    rank: int
    source_id: int
    source_title: str
    source_author: str = ""
    source_year: str = ""
    source_licence: str = ""
    source_path: str
    cheap_score: float
    channel: str = Field(
        description="the index channel that ranked it: fingerprints, embedding, phash, global, local, deep"
    )
    verdict: str = Field(description="copy kind from the full comparison, or 'not compared: …'")
    flagged: bool = False
    share_of_work_copied: float | None = None
    share_of_source_taken: float | None = None
    longest: str = Field(default="", description="longest passage (texts) or matched region (images), in words")
    longest_words: int | None = None
    summary: str = ""
    report: str | None = Field(default=None, description="the pair's full report, relative to the output folder")
    assessment: str | None = Field(default=None, description="overall view of the four factors, with --scenario")
    assessment_file: str | None = None


class WorkResult(BaseModel):
    model_config = ConfigDict(extra="forbid")

    work: str
    path: str
    kind: str | None = None
    status: str = "ok"
    error: str | None = None
    candidates: int = 0
    seconds_candidates: float = 0.0
    seconds_total: float = 0.0


class ScanResult(BaseModel):
    model_config = ConfigDict(extra="forbid")

    index: str
    top: int
    scenario: str | None = None
    works: list[WorkResult]
    rows: list[TriageRow]


def _slug(s: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "_", s).strip("._")[:60] or "work"


def work_folders(paths: Sequence[Path]) -> list[str]:
    """Each work's folder name under ``reports/`` and ``assessments/``: its name, made unique
    (``story``, ``story-2``; case ignored, for file systems that ignore it)."""
    seen: set[str] = set()
    out = []
    for p in paths:
        base = _slug(Path(p).stem)
        name, n = base, 1
        while name.lower() in seen:
            n += 1
            name = f"{base}-{n}"
        seen.add(name.lower())
        out.append(name)
    return out


TRIAGE_FILES = ("triage.json", "triage.csv", "triage.html")
_WRITTEN = "[0-9][0-9]-*.json"  # the reports and assessments a scan writes in a work's folder


def planned_outputs(outdir: Path, folders: Sequence[str]) -> list[Path]:
    """The outputs that can be named before a scan: the triage files, and the reports and
    assessments already in the works' folders (any of them may be written again)."""
    found = [outdir / name for name in TRIAGE_FILES]
    for sub in ("reports", "assessments"):
        for f in folders:
            d = outdir / sub / f
            if d.is_dir():
                found.extend(sorted(d.glob(_WRITTEN)))
    return found


def check_outputs(
    works: Sequence[str | Path],
    out: str | Path | None,
    *,
    scenario: str | Path | None = None,
    force: bool = True,
    confirm: Callable[[Path], bool] | None = None,
) -> list[Path]:
    """Check, before any work, the outputs of a scan into ``out`` that can be named then
    (``planned_outputs``; one ``InputError`` line): none is a work or the scenario, none replaces
    an existing file unless ``force`` or ``confirm``. The outputs checked."""
    if out is None:
        return []
    from analysis.measure.batch import check_out_dir
    from analysis.output import OutputPlan

    paths = [Path(w) for w in works]
    plan = OutputPlan(
        planned_outputs(check_out_dir(out), work_folders(paths)),
        inputs=[*paths, scenario],
        force=force,
        confirm=confirm,
        create_folders=True,
    ).check()
    return plan.outputs


def _move_work_files(files: dict[str, str], rows: list[TriageRow], old: str, new: str) -> dict[str, str]:
    """A work's files from ``reports/OLD/`` (the name ``scan_one`` gives) to ``reports/NEW/``."""
    if old == new:
        return files

    def moved(rel: str) -> str:
        for sub in ("reports", "assessments"):
            if rel.startswith(f"{sub}/{old}/"):
                return f"{sub}/{new}/" + rel[len(sub) + len(old) + 2 :]
        return rel

    for row in rows:
        row.report = moved(row.report) if row.report else row.report
        row.assessment_file = moved(row.assessment_file) if row.assessment_file else row.assessment_file
    return {moved(k): v for k, v in files.items()}


class Scanner:
    """An index opened once, with the models a scan needs, loaded on first use."""

    def __init__(
        self,
        index: str | Path,
        *,
        device: str = "auto",
        text_model: str | None = None,
        static_model: str | None = None,
        image_model: str | None = None,
        min_words: int | None = None,
    ):
        from analysis.index.store import load_index

        self.index_path = Path(index)
        self.data = load_index(self.index_path)
        self.by_id = {int(w["id"]): w for w in self.data.works}
        self.device = device
        self.text_model = text_model
        self.static_model = static_model
        self.image_model = image_model
        self.min_words = min_words
        self._static: Any = None
        self._embedder: Any = None

    # ---- models
    def static(self):
        if self._static is None:
            from analysis.index.static_model import load_static_embedder

            rec = self.data.models.get("static")
            emb = load_static_embedder(self.static_model, text_model=self.text_model, distil_if_missing=True)
            if rec and rec.get("sha256") != emb.sha256:
                raise InputError(
                    f"the index was built with another static model ({rec.get('name')}); "
                    "give that model2vec folder with --static-model"
                )
            self._static = emb
        return self._static

    def embedder(self):
        if self._embedder is None:
            from analysis.measure.text.embeddings import load_text_model

            self._embedder = load_text_model(self.text_model, self.device)
        return self._embedder

    # ---- one work
    def candidates(self, path: Path, top: int) -> tuple[str, Any, list]:
        """(kind, ingested work, candidates) for one work file."""
        from analysis.index.catalogue import kind_of
        from analysis.ingest.limits import require_file
        from analysis.measure.compare import detect_kind
        from analysis.scan.candidates import image_candidates, text_candidates

        p = require_file(path)
        kind = kind_of(p) or detect_kind(p)
        limit = max(top, defaults.SCAN_CANDIDATES)
        if kind == "text":
            from analysis.ingest.text import read_text_file

            text = read_text_file(p)
            has_text = self.data.text_vectors is not None or len(self.data.fp_hash)
            return kind, text, text_candidates(self.data, self.static(), text.normalised, limit) if has_text else []
        from analysis.ingest.image import load_image

        work = load_image(p, p.name)
        deep_vec = None
        if self.data.image_deep is not None and self.data.models.get("image_deep"):
            from analysis.index.deep import embed_images

            deep_vec = embed_images([work.analysis], self.data.models["image_deep"]["name"], self.device)[0]
        return kind, work, image_candidates(self.data, work.analysis, limit, deep_vec)

    def compare(self, kind: str, path: Path, work, source: dict):
        from analysis.index.catalogue import file_sha256

        src = Path(source["path"])
        if not src.is_file():
            raise InputError(f"the catalogue file is no longer at {src}")
        if file_sha256(src) != source["sha256"]:
            raise InputError(f"{src.name} has changed since it was indexed; re-index it with --add")
        if kind == "text":
            from analysis.ingest.text import read_text_file
            from analysis.measure.text.compare import check_min_words, compare_ingested

            return compare_ingested(
                work,
                read_text_file(src),
                min_words=check_min_words(self.min_words),
                device=self.device,
                embedder=self.embedder(),
            )
        from analysis.measure.image.compare import compare_image_bytes

        return compare_image_bytes(
            Path(path).read_bytes(),
            src.read_bytes(),
            generated_name=Path(path).name,
            source_name=src.name,
            device=self.device,
            model=self.image_model,
        )

    def scan_one(self, path: Path, top: int, scenario=None) -> tuple[WorkResult, list[TriageRow], dict[str, str]]:
        """One work: its result, its rows, and the files to write (relative path -> text)."""
        t0 = time.perf_counter()
        name = Path(path).name
        files: dict[str, str] = {}
        try:
            kind, work, cands = self.candidates(Path(path), top)
        except FairUseError as exc:
            return WorkResult(work=name, path=str(path), status="failed", error=str(exc)), [], files
        t_cand = time.perf_counter() - t0
        rows = []
        wslug = _slug(Path(path).stem)
        for rank, c in enumerate(cands[:top], 1):
            src = self.by_id[c.work_id]
            row = TriageRow(
                work=name,
                work_path=str(path),
                rank=rank,
                source_id=c.work_id,
                source_title=src.get("title") or "",
                source_author=src.get("author") or "",
                source_year=src.get("year") or "",
                source_licence=src.get("licence") or "",
                source_path=src["path"],
                cheap_score=round(c.score, 4),
                channel=c.channel,
                verdict="",
            )
            try:
                report = self.compare(kind, Path(path), work, src)
            except FairUseError as exc:
                row.verdict = f"not compared: {exc}"
                rows.append(row)
                continue
            f = report.facts
            row.verdict = f.copy_kind
            row.flagged = f.copy_kind in FLAGGED_KINDS
            row.share_of_work_copied = f.share_of_generated_copied
            row.share_of_source_taken = f.share_of_source_taken
            if report.kind == "text":
                row.longest_words = f.longest_passage_words
                longest = max(
                    (p for p in report.text.passages) if report.text else [], key=lambda p: p.words, default=None
                )
                if longest is not None:
                    snippet = " ".join(longest.generated_text.split())
                    row.longest = f"{longest.words} words ({longest.kind.replace('_', '-')}): {snippet[:160]}"
            elif report.image and report.image.region is not None:
                r = report.image.region
                row.longest = (
                    f"region: {r.source_area_share * 100:.0f}% of the source, {r.generated_area_share * 100:.0f}% "
                    f"of the work{', mirrored' if r.mirrored else ''}"
                )
            row.summary = f.summary or (report.summary[0] if report.summary else "")
            rel = f"reports/{wslug}/{rank:02d}-{c.work_id}-{_slug(Path(src['path']).stem)}.json"
            files[rel] = report.to_json()
            row.report = rel
            if scenario is not None and row.flagged:
                from analysis.assess.engine import assess
                from analysis.assess.models import OVERALL_LABELS

                a = assess(scenario, [report])
                label = getattr(a.overall, "label", None) or getattr(a.overall, "lean", None)
                row.assessment = OVERALL_LABELS.get(str(label), str(label))
                arel = f"assessments/{wslug}/{rank:02d}-{c.work_id}.json"
                files[arel] = a.model_dump_json(indent=2)
                row.assessment_file = arel
            rows.append(row)
        res = WorkResult(
            work=name,
            path=str(path),
            kind=kind,
            candidates=len(cands),
            seconds_candidates=round(t_cand, 4),
            seconds_total=round(time.perf_counter() - t0, 4),
        )
        return res, rows, files


def scan_works(
    works: Sequence[str | Path],
    index: str | Path,
    *,
    top: int = defaults.SCAN_TOP_K,
    out: str | Path | None = None,
    scenario: str | Path | None = None,
    device: str = "auto",
    text_model: str | None = None,
    static_model: str | None = None,
    image_model: str | None = None,
    min_words: int | None = None,
    ray: str | None = None,
    progress: ScanProgress | None = None,
    force: bool = True,
    confirm: Callable[[Path], bool] | None = None,
) -> ScanResult:
    """Scan ``works`` against the index; with ``out``, write the triage table and reports there.

    The outputs are checked before any work (see the module's docstring): an existing one is
    replaced only with ``force`` (the default here; the CLI passes ``--force``) or when
    ``confirm(path)`` says yes."""
    if not works:
        raise InputError("name at least one work to scan")
    if not isinstance(top, int) or isinstance(top, bool) or not 1 <= top <= 100:
        raise InputError(f"--top must be a whole number from 1 to 100, not {top!r}")
    scen = None
    if scenario is not None:
        from analysis.assess.scenario import load_scenario

        scen = load_scenario(scenario)
    paths = [Path(w) for w in works]
    folders = work_folders(paths)
    outdir = None if out is None else Path(out)
    accepted = set(check_outputs(paths, outdir, scenario=scenario, force=force, confirm=confirm))
    if ray:
        from analysis.index.ray_backend import scan_ray

        results = scan_ray(
            ray,
            paths,
            index,
            top=top,
            scenario=scen,
            kwargs={
                "device": device,
                "text_model": text_model,
                "static_model": static_model,
                "image_model": image_model,
                "min_words": min_words,
            },
            progress=progress,
        )
    else:
        scanner = Scanner(
            index,
            device=device,
            text_model=text_model,
            static_model=static_model,
            image_model=image_model,
            min_words=min_words,
        )
        results = []
        for p in paths:
            results.append(scanner.scan_one(p, top, scen))
            if progress is not None:
                progress(1, p.name)
    results = [
        (wr, rows, _move_work_files(files, rows, _slug(p.stem), folder))
        for (wr, rows, files), p, folder in zip(results, paths, folders)
    ]
    result = ScanResult(
        index=str(index),
        top=top,
        scenario=str(scenario) if scenario else None,
        works=[r[0] for r in results],
        rows=[row for r in results for row in r[1]],
    )
    if outdir is not None:
        write_outputs(
            result,
            outdir,
            {k: v for r in results for k, v in r[2].items()},
            inputs=[*paths, scenario, *{row.source_path for row in result.rows}],
            force=force,
            # those accepted before the scan are not asked about twice
            confirm=lambda p: p in accepted or (confirm is not None and confirm(p)),
        )
    return result


def write_outputs(
    result: ScanResult,
    outdir: Path,
    files: dict[str, str],
    *,
    inputs: Sequence[str | Path | None] = (),
    force: bool = True,
    confirm: Callable[[Path], bool] | None = None,
) -> None:
    """The triage files and every report and assessment, all or none (``OutputPlan.commit``),
    after a check that none is one of ``inputs`` and none replaces a file unless accepted."""
    from analysis.output import OutputPlan
    from analysis.scan.triage import triage_csv, triage_html

    contents: dict[str | Path, str | bytes] = {outdir / rel: text for rel, text in files.items()}
    contents[outdir / "triage.json"] = result.model_dump_json(indent=2)
    contents[outdir / "triage.csv"] = triage_csv(result)
    contents[outdir / "triage.html"] = triage_html(result)
    plan = OutputPlan(list(contents), inputs=inputs, force=force, confirm=confirm, create_folders=True)
    plan.commit(contents)
