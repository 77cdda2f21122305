"""One analysis as a library object: the ``Matter``.

A matter holds everything one fair-use analysis is made of:

- the two **works** as the user gave them (``analysis.works.WorkInput``), with their titles;
- the **answers** (the ``Scenario``) and where each came from: the user, the measurements
  (pre-filled from a comparison, changeable) or, for an unanswered question, the default;
- the **comparison reports**, tied to the works by the SHA-256 each report records for its
  inputs: a report whose hashes do not match the works is *stale* and is never used as
  current evidence (the assessment and the memo leave it out; the CLI refuses the file);
- the **memo options** and the reader's own **notes** per factor and overall.

What is derived (the ``assessment``) is never stored or trusted: it is computed from the
answers and the current reports when asked, and again whenever they change.

It is saved as one JSON file (``*.fairuse.json``, ``FORMAT_VERSION`` 2; version-1 files
from the earlier app are read too). The app is a view of one matter; the CLI reads and
writes the same file (``fairuse compare … --save``, ``fairuse assess FILE``, ``fairuse memo
FILE``)::

    m = Matter.from_paths("generated.txt", "source.txt")
    m.compare(progress=lambda f, msg: print(f"{f:.0%} {msg}"))
    m.set_answer("commercial", "commercial")
    print(m.assessment.overall.label)
    m.save("analysis.fairuse.json")
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, ValidationError, field_validator, model_validator

from analysis import __version__, labels
from analysis.assess.models import Assessment
from analysis.assess.scenario import Scenario
from analysis.errors import EmptyInputError, InputError, ScenarioError, UnreadableInputError
from analysis.evidence import ComparisonReport, HashedFile
from analysis.formats import SAVE_SUFFIX
from analysis.works import Role, WorkInput, empty_work, work_from_bytes, work_from_path, work_from_text

if TYPE_CHECKING:
    from analysis.report.memo import MemoBundle

FORMAT: Literal["fairuse-analysis"] = "fairuse-analysis"
FORMAT_VERSION = 2
"""Version 2: ``reports`` (a list, tied to the works by their hashes), ``origins`` (per answer),
``memo_options``, ``notes``; no stored assessment. Version 1 (the app before the library
owned the file) had ``report``, ``report_inputs``, ``prefilled``, ``assessment`` and ``memo``."""

SAVE_MIME = "application/json"
STALE_MESSAGE = (
    "the comparison report does not match the works as they are now (a work changed after it was "
    "measured); analyse the works again before writing the memo"
)

AnswerOrigin = Literal["user", "measured", "default"]
"""Where an answer came from: the user (or the scenario file they gave), a measurement
(pre-filled, still changeable), or nowhere (unanswered: the factor reads it as unknown)."""

NOTE_KEYS: tuple[str, ...] = ("1", "2", "3", "4", "overall")
Audience = Literal["creator", "counsel", "student"]
ProgressCallback = Callable[[float, str], None]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class MemoOptions(_Model):
    audience: Audience = "creator"
    matter: str = Field(default="", description="the matter's name, printed in the memo's header")
    reviewer: str = ""
    privileged: bool = False
    judge_mode: bool = False


class Answer(_Model):
    """One question's answer as it stands, with where it came from."""

    question_id: str
    factor: int
    field: str
    value: Any = None
    origin: AnswerOrigin

    @property
    def answered(self) -> bool:
        return self.origin != "default"


class Prefill(_Model):
    """What attaching a report did to the answers."""

    filled: list[str] = Field(default_factory=list, description="questions answered from the measurements")
    cleared: list[str] = Field(
        default_factory=list, description="answers an earlier report had filled, cleared to be measured again"
    )

    @property
    def touched(self) -> list[str]:
        return sorted(set(self.filled) | set(self.cleared))


class Move(_Model):
    """One line of a what-if: a factor, the overall view or the substitution risk, now and then."""

    what: str
    now: str
    then: str

    @property
    def moved(self) -> bool:
        return self.now != self.then


class WhatIf(_Model):
    """The assessment as it would be with one answer changed; the matter itself is unchanged."""

    question_id: str
    value: Any
    now: Assessment
    then: Assessment
    moves: list[Move]

    @property
    def changes_anything(self) -> bool:
        return any(m.moved for m in self.moves)


class _Derived:
    """The assessment and the very objects it was computed from (compared by identity).

    Equal to any other, so it never makes two matters with equal fields unequal.
    """

    __slots__ = ("key", "value")

    def __init__(self) -> None:
        self.key: tuple[Any, ...] | None = None
        self.value: Assessment | None = None

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _Derived)

    __hash__ = None  # type: ignore[assignment]

    def __deepcopy__(self, memo: dict) -> _Derived:
        return _Derived()


class Matter(BaseModel):
    """One fair-use analysis: works, answers with their origin, reports, memo options, notes."""

    model_config = ConfigDict(extra="forbid", ser_json_bytes="base64", val_json_bytes="base64")

    format: Literal["fairuse-analysis"] = FORMAT
    format_version: int = FORMAT_VERSION
    tool_version: str = __version__
    sample_id: str | None = None
    generated: WorkInput = Field(default_factory=lambda: empty_work("generated"))
    source: WorkInput = Field(default_factory=lambda: empty_work("source"))
    scenario: Scenario = Field(default_factory=Scenario, description="the answers and the other facts")
    origins: dict[str, Literal["user", "measured"]] = Field(
        default_factory=dict, description="answered question id -> where its answer came from (else: user)"
    )
    reports: list[ComparisonReport] = Field(default_factory=list)
    memo_options: MemoOptions = Field(default_factory=MemoOptions)
    notes: dict[str, str] = Field(
        default_factory=dict, description="the reader's own view per factor ('1'..'4') and 'overall'"
    )
    _derived: _Derived = PrivateAttr(default_factory=_Derived)

    # ------------------------------------------------------------------ validation
    @model_validator(mode="before")
    @classmethod
    def _read_older_versions(cls, data: Any) -> Any:
        if isinstance(data, dict):
            version = data.get("format_version")
            if version == 1 and not isinstance(version, bool):
                return _from_version_1(data)
        return data

    @field_validator("format_version")
    @classmethod
    def _known_version(cls, v: int) -> int:
        if v != FORMAT_VERSION:
            raise ValueError(f"format_version {v} is not one this version of fairuse writes ({FORMAT_VERSION})")
        return v

    @field_validator("notes")
    @classmethod
    def _note_keys(cls, v: dict[str, str]) -> dict[str, str]:
        bad = [k for k in v if k not in NOTE_KEYS]
        if bad:
            raise ValueError(f"notes may be kept for {', '.join(NOTE_KEYS)}, not {bad[0][:40]!r}")
        return {k: t for k, t in v.items() if t.strip()}

    @model_validator(mode="after")
    def _consistent(self) -> Matter:
        if self.generated.role != "generated" or self.source.role != "source":
            raise ValueError("the works' roles are swapped (generated must be the generated work)")
        from analysis.assess.questionnaire import is_answered, load_questionnaire

        qn = load_questionnaire()
        kept: dict[str, Literal["user", "measured"]] = {}
        for qid, origin in self.origins.items():
            try:
                q = qn.by_id(qid)
            except KeyError:
                continue  # a question of an older questionnaire: nothing to mark
            if is_answered(self.scenario, q):
                kept[qid] = origin
        self.origins = kept
        if self.scenario.evidence:
            # derived data: the matter's evidence is its reports, tied to the works by their
            # hashes; measurements stored in the answers are never trusted
            self.scenario = self.scenario.model_copy(update={"evidence": []})
        return self

    # ------------------------------------------------------------------ starting points
    @classmethod
    def new(cls) -> Matter:
        return cls()

    @classmethod
    def from_works(cls, generated: WorkInput, source: WorkInput, *, scenario: Scenario | None = None) -> Matter:
        m = cls(scenario=scenario or Scenario())
        for role, work, described in (
            ("generated", generated, m.scenario.new_work),
            ("source", source, m.scenario.source),
        ):
            details = {k: v or (getattr(described, k) or "") for k, v in work.details().items()}
            m.set_work(work.model_copy(update={"role": role, **details}), keep_sample=True)
        return m

    @classmethod
    def from_paths(cls, generated: str | Path, source: str | Path, *, scenario: Scenario | None = None) -> Matter:
        """Both works read from disk now (a bad file raises a one-line ``InputError``)."""
        from analysis.measure.compare import works_from_paths

        gen, src = works_from_paths(generated, source)
        return cls.from_works(gen, src, scenario=scenario)

    @classmethod
    def from_scenario(cls, scenario: Scenario, reports: Sequence[ComparisonReport] = ()) -> Matter:
        """A matter without works: the facts of a scenario file, and reports given as evidence.

        With no works to check them against, the reports are taken as given (as ``fairuse
        assess SCENARIO --evidence REPORT.json`` does) and their hashes go into the memo.
        """
        # the author's view lives in the matter's notes (one place; the app edits them there)
        notes = dict(scenario.author_notes or {})
        m = cls(scenario=scenario.model_copy(update={"author_notes": None}), notes=notes)
        for r in reports:
            m.attach_report(r, replace=False, prefill=False)
        return m

    @classmethod
    def from_sample(cls, sample_id: str) -> Matter:
        """A fresh matter holding a sample case's two works, titles and answers."""
        from analysis.errors import MissingInputError
        from analysis.samples import list_samples

        case = next((c for c in list_samples() if c.id == sample_id), None)
        if case is None:
            raise MissingInputError(f"no sample case named {sample_id!r}")
        scenario = case.scenario.model_copy(deep=True)
        if not scenario.title:
            scenario = scenario.model_copy(update={"title": case.title})
        m = cls(sample_id=case.id, scenario=scenario, memo_options=MemoOptions(matter=case.title))
        sides: tuple[tuple[Role, Path, Any], ...] = (
            ("generated", case.generated_path, scenario.new_work),
            ("source", case.source_path, scenario.source),
        )
        for role, path, meta in sides:
            base = WorkInput(
                role=role, title=meta.title or "", author=meta.author or "", description=meta.description or ""
            )
            m.set_work(work_from_path(role, path, details_from=base), keep_sample=True)
        return m

    # ------------------------------------------------------------------ the works
    def work(self, role: Role) -> WorkInput:
        return self.generated if role == "generated" else self.source

    @property
    def works_ready(self) -> bool:
        return self.generated.ready and self.source.ready

    def set_work(self, work: WorkInput, *, keep_sample: bool = False) -> None:
        """Replace one work (its details go into the scenario the engine reads)."""
        if work.role == "generated":
            self.generated = work
        else:
            self.source = work
        if not keep_sample:
            self.sample_id = None
        self._sync_work_details()

    def set_text(self, role: Role, text: str) -> None:
        """The work is now this pasted text (its title, author and description are kept)."""
        self.set_work(work_from_text(role, text, details_from=self.work(role)))

    def set_file(self, role: Role, name: str, data: bytes) -> None:
        """The work is now this file's content, read at once (a bad file raises; the old work stays)."""
        self.set_work(work_from_bytes(role, name, data, details_from=self.work(role)))

    def set_details(self, role: Role, **details: str) -> None:
        """Change a work's title, author or description."""
        w = self.work(role)
        for key, value in details.items():
            if key not in ("title", "author", "description"):
                raise TypeError(f"set_details() got an unexpected detail {key!r}")
            setattr(w, key, (value or "").strip())
        self._sync_work_details()

    def _sync_work_details(self) -> None:
        """Copy the works' titles, authors, descriptions and media into the scenario."""
        sc = self.scenario
        for w, target in ((self.generated, "new_work"), (self.source, "source")):
            current = getattr(sc, target)
            upd: dict[str, Any] = {
                "title": w.title or None,
                "author": w.author or None,
                "description": w.description or None,
            }
            if not w.given:  # a work never given: keep what the scenario says about it
                upd = {k: v for k, v in upd.items() if v is not None}
            if w.kind in ("text", "image") and current.medium is None:
                upd["medium"] = w.kind
            new = current.model_copy(update=upd)
            if new != current:
                sc = sc.model_copy(update={target: new})
        self.scenario = sc

    # ------------------------------------------------------------------ evidence
    def is_current(self, report: ComparisonReport) -> bool:
        """The report was made from these very works (its input hashes are theirs).

        A matter that was never given works (one opened from a scenario file) takes its
        reports as given.
        """
        if not (self.generated.given or self.source.given):
            return True
        if report.kind != self.generated.kind:
            return False
        recorded = {i.role: i.sha256 for i in report.inputs}
        return all(recorded.get(w.role) == w.sha256 for w in (self.generated, self.source))

    @property
    def current_reports(self) -> list[ComparisonReport]:
        return [r for r in self.reports if self.is_current(r)]

    @property
    def stale_reports(self) -> list[ComparisonReport]:
        return [r for r in self.reports if not self.is_current(r)]

    @property
    def report(self) -> ComparisonReport | None:
        """The latest report, current or stale (the evidence page shows a stale one with a warning)."""
        return self.reports[-1] if self.reports else None

    @property
    def has_answers(self) -> bool:
        """At least one question is answered (by the user, a scenario file or a measurement)."""
        return any(a.answered for a in self.answers())

    @property
    def ready_for_assessment(self) -> bool:
        """Both works are given and at least one answer exists: only then is there a result
        to show (an empty matter's "close call" would be a claim about nothing)."""
        return self.works_ready and self.has_answers

    @property
    def evidence_current(self) -> bool:
        """There is a report and it matches the works as they are now."""
        return self.report is not None and self.is_current(self.report)

    def compare(
        self,
        *,
        progress: ProgressCallback | None = None,
        embedder: Any = None,
        device: str = "auto",
        text_model: str | None = None,
        image_model: str | None = None,
        min_words: int | None = None,
    ) -> Prefill:
        """Compare the two works (the one dispatcher), attach the report, pre-fill what it can answer."""
        from analysis.measure.compare import compare_works

        report = compare_works(
            self.generated,
            self.source,
            min_words=min_words,
            device=device,
            text_model=text_model,
            image_model=image_model,
            progress=progress,
            embedder=embedder,
        )
        return self.attach_report(report)

    def attach_report(self, report: ComparisonReport, *, replace: bool = True, prefill: bool = True) -> Prefill:
        """Add a comparison report of these works; pre-fill the answers it can give.

        ``replace`` (a new comparison of the works): earlier reports are dropped and the answers
        they pre-filled are cleared, so the new measurements fill them again; answers the user
        gave or changed are kept. A report made from other works raises ``InputError``.
        """
        if not self.is_current(report):
            raise InputError(
                "the comparison report was made from other works than this analysis holds "
                "(their SHA-256 differ); compare these works again"
            )
        from analysis.assess.questionnaire import load_questionnaire, prefill_from_evidence, set_answer

        # Worked out on copies and put in place together at the end: a comparison or a pre-fill
        # that stops half-way (an error, an interrupted app run) leaves the matter as it was,
        # never a new report beside the old answers or the old report with answers cleared.
        cleared: list[str] = []
        scenario = self.scenario
        origins = dict(self.origins)
        if replace:
            qn = load_questionnaire()
            for qid in [q for q, o in origins.items() if o == "measured"]:
                try:
                    scenario = set_answer(scenario, qn.by_id(qid), None)
                except (KeyError, ScenarioError):
                    continue  # kept as it is (and still marked measured)
                cleared.append(qid)
                del origins[qid]
            reports = [report]
        else:
            reports = [*self.reports, report]
        filled: list[str] = []
        if prefill:
            scenario, filled = prefill_from_evidence(scenario, [r.facts for r in reports if self.is_current(r)])
            for qid in filled:
                origins[qid] = "measured"
        self.reports, self.origins, self.scenario = reports, origins, scenario
        return Prefill(filled=list(filled), cleared=[q for q in cleared if q not in filled])

    # ------------------------------------------------------------------ answers
    def answer(self, question_id: str) -> Answer:
        """A question's answer and its origin (``KeyError`` for an unknown question)."""
        from analysis.assess.questionnaire import get_answer, is_answered, load_questionnaire

        q = load_questionnaire().by_id(question_id)
        value = get_answer(self.scenario, q)
        if not is_answered(self.scenario, q):
            origin: AnswerOrigin = "default"
        else:
            origin = self.origins.get(q.id, "user")
        return Answer(question_id=q.id, factor=q.factor, field=q.field, value=value, origin=origin)

    def answers(self, factor: int | None = None) -> list[Answer]:
        """Every question's answer (in the questionnaire's order), or one factor's."""
        from analysis.assess.questionnaire import load_questionnaire

        return [self.answer(q.id) for q in load_questionnaire().questions if factor is None or q.factor == factor]

    def measured(self) -> list[str]:
        """Ids of the questions answered from the measurements (and not changed since)."""
        return sorted(q for q, o in self.origins.items() if o == "measured")

    def set_answer(self, question_id: str, value: Any) -> None:
        """The user's answer (``None`` clears it). An answer outside the question's options, or
        one that contradicts another answer, raises ``ScenarioError`` and changes nothing."""
        from analysis.assess.questionnaire import load_questionnaire, set_answer

        q = load_questionnaire().by_id(question_id)
        self.scenario = set_answer(self.scenario, q, value)
        self.origins.pop(q.id, None)

    def clear_answer(self, question_id: str) -> None:
        self.set_answer(question_id, None)

    def what_if(self, question_id: str, value: Any) -> WhatIf:
        """The assessment with one answer changed, beside the current one; nothing is changed."""
        from analysis.assess.engine import assess
        from analysis.assess.questionnaire import load_questionnaire, set_answer

        q = load_questionnaire().by_id(question_id)
        changed = set_answer(self.scenario, q, value)
        now = self.assessment
        then = assess(changed, self.current_reports)
        moves = [
            Move(
                what=f"Factor {f.factor}",
                now=labels.lean(f.lean),
                then=labels.lean(then.finding(f.factor).lean),
            )
            for f in sorted(now.findings, key=lambda f: f.factor)
        ]
        moves.append(Move(what="Overall", now=labels.headline(now), then=labels.headline(then)))
        moves.append(
            Move(
                what="Substitution risk",
                now=labels.label("substitution", now.substitution.level),
                then=labels.label("substitution", then.substitution.level),
            )
        )
        return WhatIf(question_id=q.id, value=value, now=now, then=then, moves=moves)

    # ------------------------------------------------------------------ notes
    def set_note(self, key: str, text: str) -> None:
        """The reader's own view on one factor ("1".."4") or "overall"; empty text removes it."""
        if key not in NOTE_KEYS:
            raise KeyError(f"notes are kept for {', '.join(NOTE_KEYS)}, not {key!r}")
        if text.strip():
            self.notes[key] = text
        else:
            self.notes.pop(key, None)

    # ------------------------------------------------------------------ derived
    @property
    def assessment(self) -> Assessment:
        """The four factors for the answers and the current reports, computed when they change.

        Never read from a file: a saved or edited assessment could say anything.
        """
        from analysis.assess.engine import assess

        reports = self.current_reports
        # the answers by value (a scenario is small; it may have been edited in place), the
        # reports by identity (large, and replaced whole, never edited)
        key = (self.scenario.model_dump_json(), *reports)
        d = self._derived
        same = d.key is not None and len(d.key) == len(key) and d.key[0] == key[0]
        if d.value is not None and same and all(a is b for a, b in zip(d.key[1:], key[1:])):  # type: ignore[index]
            return d.value
        d.value = assess(self.scenario, reports)
        d.key = key  # holds the reports, so their ids cannot be reused while cached
        return d.value

    def build_memo(
        self,
        *,
        created: datetime | None = None,
        input_files: Sequence[HashedFile] = (),
        **options: Any,
    ) -> MemoBundle:
        """The memo (PDF, Markdown, JSON) from this matter's assessment and current reports.

        ``options`` override the saved memo options for this memo only (``audience``,
        ``matter``, ``reviewer``, ``privileged``, ``judge_mode``); ``None`` keeps the saved one.
        """
        from analysis.errors import StaleEvidenceError
        from analysis.report.memo import build_memo

        if self.stale_reports:  # one source of truth: the memo never prints, nor hides, stale evidence
            raise StaleEvidenceError(STALE_MESSAGE)
        opts = self.memo_options.model_copy(update={k: v for k, v in options.items() if v is not None})
        MemoOptions.model_validate(opts.model_dump())  # an unknown option or value raises here
        return build_memo(
            self.assessment,
            self.current_reports,
            audience=opts.audience,
            matter=opts.matter or None,
            reviewer=opts.reviewer or None,
            privileged=opts.privileged,
            judge_mode=opts.judge_mode and opts.audience == "student",
            created=created,
            input_files=input_files,
            notes={**(self.scenario.author_notes or {}), **self.notes},
        )

    # ------------------------------------------------------------------ the file
    def dumps(self) -> bytes:
        """The matter as UTF-8 JSON (works' bytes as base64). No derived data is written."""
        return self.model_dump_json(indent=1).encode("utf-8")

    def save(self, path: str | Path) -> Path:
        """Write the matter to ``path`` (replaced whole, never half-written)."""
        from analysis.output import write_output

        write_output(path, self.dumps())
        return Path(path)

    @classmethod
    def loads(cls, data: bytes | str, name: str = "saved analysis") -> Matter:
        """Read a saved analysis; one clear ``InputError`` line if it is not one.

        The bytes go through the one structured loader (``analysis.ingest.structured``: size,
        nesting, integer and NaN limits, duplicate keys, BOM), then the checks of a saved
        analysis: every authority it names must be in the case library, every work within the
        limits a work read from disk has. Nothing derived is taken from the file: the assessment
        is computed again, measurements stored in the answers are dropped (the reports, tied to
        the works by their hashes, are the evidence) and a report that does not match the works
        is marked stale.
        """
        return cls._from_raw(_parse_json(data, name), name)

    @classmethod
    def _from_raw(cls, raw: Any, name: str) -> Matter:
        if not isinstance(raw, dict) or raw.get("format") != FORMAT:
            raise UnreadableInputError(
                f"{name}: not a saved fairuse analysis (expected a file saved by fairuse, ending in {SAVE_SUFFIX})"
            )
        raw.setdefault("format_version", 1)  # the first files had no version field
        _check_version(raw["format_version"], name)
        _check_authorities(raw, name)
        try:
            matter = cls.model_validate(raw)
        except ValidationError as exc:
            err = exc.errors()[0]
            loc = ".".join(str(x) for x in err.get("loc", ())) or "(top level)"
            msg = " ".join(str(err.get("msg", "invalid")).removeprefix("Value error, ").split())[:300]
            raise UnreadableInputError(f"{name}: damaged saved analysis ({loc[:120]}: {msg})") from None
        except InputError as exc:
            raise type(exc)(f"{name}: {exc}") from None
        except (ValueError, TypeError, KeyError, RecursionError):  # a check that is not pydantic's own
            raise UnreadableInputError(
                f"{name}: damaged saved analysis (a value in it is not what the format allows)"
            ) from None
        _check_works(matter, name)
        return matter

    @classmethod
    def open(cls, path: str | Path) -> Matter:
        """Open a saved analysis (``.fairuse.json``), or a scenario file (YAML or JSON) as a
        matter without works. Bad files raise one ``InputError`` line."""
        from analysis.assess.scenario import load_scenario
        from analysis.ingest.limits import require_file
        from analysis.ingest.structured import read_structured

        p = Path(path)
        if p.is_dir():
            raise UnreadableInputError(f"{p} is a folder; give a saved analysis ({SAVE_SUFFIX}) or a scenario file")
        if is_matter_file(p):
            require_file(p, f"a saved analysis ({SAVE_SUFFIX})")
            with _as_save_file(p.name):
                raw = read_structured(p, kind="save file")  # refused on its size before it is read
            return cls._from_raw(raw, p.name)
        return cls.from_scenario(load_scenario(p))

    def file_name(self) -> str:
        """A file name from the matter's name or the works' titles: ``<name>.fairuse.json``."""
        base = self.memo_options.matter or self.scenario.title or self.generated.title or self.sample_id or "analysis"
        slug = re.sub(r"[^A-Za-z0-9]+", "-", base).strip("-").lower()[:60] or "analysis"
        return slug + SAVE_SUFFIX


# --------------------------------------------------------------------------- reading files
def is_matter_file(path: str | Path) -> bool:
    """A ``.fairuse.json`` file, or a ``.json`` file that says it is a saved analysis."""
    p = Path(path)
    if p.name.lower().endswith(SAVE_SUFFIX):
        return True
    if p.suffix.lower() != ".json":
        return False
    try:
        with open(p, "rb") as fh:
            head = fh.read(4096)
    except OSError:
        return False
    return re.search(rb'"format"\s*:\s*"fairuse-analysis"', head) is not None


@contextmanager
def _as_save_file(name: str) -> Iterator[None]:
    """The structured loader's refusals, said as what they mean for a saved analysis."""
    from analysis.errors import FileTooLargeError

    try:
        yield
    except FileTooLargeError:
        raise
    except EmptyInputError as exc:
        raise UnreadableInputError(str(exc)) from None
    except InputError as exc:
        detail = str(exc).removeprefix(f"{name}: ").removeprefix(f"{name} ")
        raise UnreadableInputError(f"{name}: not a saved fairuse analysis ({detail})") from None


def _parse_json(data: bytes | str, name: str) -> Any:
    from analysis.ingest.structured import load_structured

    if isinstance(data, str):  # lone surrogates survive this, and the loader refuses them
        data = data.encode("utf-8", "surrogatepass")
    with _as_save_file(name):
        return load_structured(data, name, kind="save file", fmt="json")


def _check_authorities(raw: dict[str, Any], name: str) -> None:
    """Every authority a saved file names (a version-1 file's stored assessment, any
    ``case_id``) must be in the case library: a file that cites a case that does not exist
    was written by hand or by another tool, and is refused rather than half-trusted."""
    from analysis.assess.caselaw import is_known_authority

    stack: list[Any] = [raw]
    while stack:
        v = stack.pop()
        if isinstance(v, dict):
            cid = v.get("case_id")
            if cid is not None and not (isinstance(cid, str) and is_known_authority(cid)):
                shown = repr(cid) if len(repr(cid)) <= 60 else repr(cid)[:56] + "…"
                raise UnreadableInputError(
                    f"{name}: cites an authority that is not in the case library ({shown}); "
                    "the file was changed outside fairuse"
                )
            stack.extend(v.values())
        elif isinstance(v, list):
            stack.extend(v)


def _check_works(m: Matter, name: str) -> None:
    """A work in a saved file is held to the limits of one read from disk: its size, and for an
    image the pixel count its header declares (read without decoding it)."""
    from analysis.errors import FileTooLargeError
    from analysis.ingest.limits import check_file_size

    for w in (m.generated, m.source):
        what = f"{name}: the {labels.label('work_role', w.role).lower()}"
        try:
            if w.data is not None:  # a file: the limit is on its bytes (its decoded text may be longer)
                check_file_size(len(w.data), what)
            elif w.text is not None:  # pasted text
                check_file_size(len(w.text.encode("utf-8", "surrogatepass")), what)
        except InputError as exc:
            raise type(exc)(" ".join(str(exc).split())) from None
        if w.kind == "image" and w.data:
            from analysis.ingest.image import image_header

            try:
                image_header(w.data, what)
            except FileTooLargeError as exc:  # a bomb; an unreadable image is said so when compared
                raise FileTooLargeError(" ".join(str(exc).split())) from None
            except InputError:
                pass


def _check_version(version: Any, name: str) -> None:
    if isinstance(version, bool) or not isinstance(version, int):
        shown = repr(version)[:40]
        raise UnreadableInputError(f"{name}: damaged saved analysis (format_version: {shown} is not a whole number)")
    if version > FORMAT_VERSION:
        which = f"save format {version}" if version < 10**6 else "a later save format"
        raise UnreadableInputError(
            f"{name}: saved by a newer version of fairuse ({which}; this one reads up to {FORMAT_VERSION}); "
            "update fairuse to open it"
        )
    if version < 1:
        raise UnreadableInputError(f"{name}: damaged saved analysis (format_version {version} does not exist)")


_V1_FIELDS = {
    "format",
    "format_version",
    "sample_id",
    "generated",
    "source",
    "report",
    "report_inputs",
    "scenario",
    "prefilled",
    "assessment",
    "memo",
}


def _from_version_1(d: dict[str, Any]) -> dict[str, Any]:
    """A version-1 file (saved by the app before the library owned the format) as version 2.

    Its ``assessment`` and ``report_inputs`` (derived) are dropped: the assessment is computed
    again, and the report is tied to the works by the hashes it records.
    """
    extra = sorted(str(k) for k in d if k not in _V1_FIELDS)
    if extra:
        raise ValueError(f"unknown field {extra[0][:60]!r} in a version-1 saved analysis")
    out: dict[str, Any] = {k: d[k] for k in ("format", "sample_id", "generated", "source", "scenario") if k in d}
    out["format_version"] = FORMAT_VERSION
    if d.get("report") is not None:
        out["reports"] = [d["report"]]
    prefilled = d.get("prefilled") or []
    if not isinstance(prefilled, list) or not all(isinstance(q, str) for q in prefilled):
        raise ValueError("prefilled must be a list of question ids")
    out["origins"] = {q: "measured" for q in prefilled}
    if "memo" in d:
        out["memo_options"] = d["memo"]
    return out


def open_for_command(path: str | Path, evidence: Sequence[str | Path] = ()) -> tuple[Matter, list[HashedFile]]:
    """What ``fairuse assess`` and ``fairuse memo`` read: a saved analysis or a scenario file,
    and any ``--evidence`` reports. Returns the matter and (role, file name, SHA-256) of each
    file read, for the memo's record.

    A saved analysis whose reports do not match its works is refused (``InputError``): the
    command would otherwise assess evidence about other works, or silently without it.
    """
    from analysis.evidence import sha256_file

    p = Path(path)
    if p.is_dir():
        raise InputError(f"{p} is a folder; give a saved analysis ({SAVE_SUFFIX}) or a scenario file (YAML or JSON)")
    matter = Matter.open(p)
    is_saved = is_matter_file(p)
    files = [HashedFile("analysis file" if is_saved else "scenario file", p.name, sha256_file(p))]
    if matter.stale_reports:
        raise InputError(
            f"{p.name}: its comparison report does not match its works (a work changed after the comparison); "
            "open it in the app and analyse again, or run fairuse compare on the works"
        )
    for i, e in enumerate(evidence, 1):
        report = ComparisonReport.load(e)
        if not matter.is_current(report):
            raise InputError(
                f"{Path(e).name}: this comparison report was made from other works than {p.name} holds "
                "(their SHA-256 differ)"
            )
        matter.attach_report(report, replace=False, prefill=False)
        files.append(HashedFile(f"evidence file {i}", Path(e).name, sha256_file(e)))
    return matter, files
