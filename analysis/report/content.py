"""Build the memo's content (a ``MemoDoc`` of blocks) from an assessment and its evidence.

Every sentence comes from the audience's template (``templates/memo/``); this module decides
*what* is said — which facts, which passages, which authorities, which changes would lower
the risk — and caps everything a long input could inflate (passages, tables, JSON), so a
300-page source never makes a 300-page memo.
"""

from __future__ import annotations

import base64
import difflib
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

from analysis import __version__, defaults, labels
from analysis.assess.models import LEAN_VALUE, Assessment, FactorFinding, PrecedentMatch
from analysis.assess.track_record import track_record
from analysis.evidence import ComparisonReport, ImageComparison, TextComparison, TextPassage
from analysis.report.blocks import (
    BarChart,
    Bullets,
    FigureBlock,
    Heading,
    MemoDoc,
    Para,
    ParaStyle,
    RegionMap,
    Seg,
    SideBySide,
    Table,
    segs,
)
from analysis.report.templates import MemoTemplate


@dataclass(frozen=True)
class MemoOptions:
    audience: str
    matter: str | None
    reviewer: str | None
    privileged: bool
    judge_mode: bool
    created: datetime


# --------------------------------------------------------------------------- small helpers
def truncate(text: str, limit: int) -> tuple[str, int]:
    """Cut ``text`` at a word boundary at most ``limit`` characters long; return what was left out."""
    if len(text) <= limit:
        return text, 0
    cut = text.rfind(" ", int(limit * 0.8), limit)
    cut = cut if cut > 0 else limit
    return text[:cut].rstrip(), len(text) - cut


def _short(text: str | None, limit: int) -> str:
    """A quoted start of a long text, ending "…" when cut. Only for a passage's first words, a
    figure's caption and the running header (fitted to one line in ``pdf.py``): table cells,
    headings and list items are printed whole (``MemoBuilder._whole``)."""
    if not text:
        return ""
    kept, left = truncate(" ".join(text.split()), limit)
    return kept + ("…" if left else "")


def _when(moment: datetime) -> str:
    """A time in the audit record as a reader writes it: to the second, in UTC ("2026-12-03
    10:03:50 UTC"); the attached JSON keeps the exact value."""
    if moment.tzinfo is not None:
        moment = moment.astimezone(timezone.utc)
    return f"{moment:%Y-%m-%d %H:%M:%S} UTC"


_HUB_NAME = re.compile(r"[\w.-]+/[\w.-]+")


def _break_after_owner(name: str) -> str:
    """A hub model name ("sentence-transformers/all-MiniLM-L6-v2") on two lines after its owner,
    so a narrow column breaks it there and not inside a word ("…all-MiniLM-L | 6-v2")."""
    return name.replace("/", "/\n", 1) if _HUB_NAME.fullmatch(name) else name


def _pct(x: float | None) -> str:
    """Shares as the app shows them (``analysis.figures.share``: one rounding everywhere)."""
    from analysis import figures

    return "–" if x is None else figures.share(x)


def _value_and_threshold(signal: Any, t: MemoTemplate) -> list[str]:
    """A signal's value and threshold (``analysis.figures.value_and_threshold``, as the app shows them)."""
    from analysis import figures

    if not signal.computed:
        return [t.t("not_computed"), _num(signal.threshold)]
    if isinstance(signal.value, (int, float)) and isinstance(signal.threshold, (int, float)):
        return list(figures.value_and_threshold(float(signal.value), float(signal.threshold)))
    return [_num(signal.value), _num(signal.threshold)]


def _sim(x: float | None) -> str:
    from analysis import figures

    return "–" if x is None else figures.similarity(x)


def _num(x: Any) -> str:
    if x is None:
        return "–"
    if isinstance(x, bool):
        return "yes" if x else "no"
    if isinstance(x, float):
        if x.is_integer() and abs(x) >= 1:
            return f"{int(x):,}"
        return f"{x:.3f}"
    if isinstance(x, int):
        return f"{x:,}"
    return str(x)


def cite(case_id: str, assessment: Assessment, pinpoint: str | None = None) -> str:
    """A citation from the case library (``analysis.assess.caselaw.cite``); never invented.

    An id the library cannot resolve falls back on the precedent the engine matched (which
    carries its library citation); failing that the library's own "[unknown authority …]"
    marker is shown, so a reader sees the gap instead of a made-up citation.
    """
    from analysis.assess.caselaw import cite as library_cite
    from analysis.assess.models import Authority

    text = library_cite(Authority(case_id=case_id, pinpoint=pinpoint))
    if text.startswith("[unknown authority"):
        for p in assessment.precedents:
            if p.case_id == case_id:
                return f"{p.name}, {p.citation}" + (f", {pinpoint}" if pinpoint else "")
    return text


def _question_names(ids: Sequence[str]) -> list[str]:
    """Questions by their few words (the questionnaire's ``short``), never by their ids."""
    from analysis.assess.questionnaire import load_questionnaire

    qn = load_questionnaire()
    out = []
    for qid in ids:
        try:
            out.append(qn.by_id(qid).short)
        except KeyError:
            out.append(qid.replace("_", " "))
    return out


_SENTENCE_END = re.compile(r"(?<=[a-z0-9)”\"'][.!?])\s+(?=[A-Z“\"])")


def sentences(text: str, n: int) -> str:
    """The first ``n`` sentences of ``text`` (a case summary written in the project's words)."""
    parts = _SENTENCE_END.split(" ".join((text or "").split()))
    return " ".join(parts[:n])  # the case library's own text: bounded, printed whole


_IDENT = re.compile(r"\b[a-z][a-z0-9]*(?:_[a-z0-9]+)*\b")


def name_authorities(text: str) -> str:
    """Engine notes list authorities by their library ids ("kadrey, usco_ai_report_2025"):
    write each as its name, as every other line of the memo does."""
    from analysis.assess.caselaw import is_known_authority, short_name

    if ":" not in text:
        return text
    head, _, tail = text.rpartition(":")

    def one(m: re.Match) -> str:
        key = m.group(0)
        return short_name(key) if is_known_authority(key) else key

    return head + ":" + _IDENT.sub(one, tail)


def _authorities(finding: FactorFinding) -> list[str]:
    seen: list[str] = []
    for r in finding.reasons + ([finding.counter_argument] if finding.counter_argument else []):
        for a in r.authorities:
            if a.case_id not in seen:
                seen.append(a.case_id)
    return seen


# --------------------------------------------------------------------------- passage marking
_WORD = re.compile(r"\S+")


def _norm(word: str) -> str:
    return re.sub(r"[^\w]", "", word.casefold())


def mark_shared(left: str, right: str) -> tuple[list[Seg], list[Seg]]:
    """Split both texts into runs, ``marked`` where a word sequence appears in both.

    Word-level alignment (difflib on normalised words) so near-verbatim passages show exactly
    which words survived; marking is bold + underline plus a legend, never colour alone.
    """
    lw = [(m.start(), m.end()) for m in _WORD.finditer(left)]
    rw = [(m.start(), m.end()) for m in _WORD.finditer(right)]
    a = [_norm(left[s:e]) for s, e in lw]
    b = [_norm(right[s:e]) for s, e in rw]
    lmark = [False] * len(a)
    rmark = [False] * len(b)
    sm = difflib.SequenceMatcher(None, a, b, autojunk=False)
    for blk in sm.get_matching_blocks():
        # a lone short word ("to", "and") shared by two paraphrases is noise, not copying
        if blk.size == 1 and len(a[blk.a]) < 4:
            continue
        for k in range(blk.size):
            if a[blk.a + k]:
                lmark[blk.a + k] = True
                rmark[blk.b + k] = True
    return _runs(left, lw, lmark), _runs(right, rw, rmark)


def _runs(text: str, spans: list[tuple[int, int]], marks: list[bool]) -> list[Seg]:
    out: list[Seg] = []
    pos = 0
    cur: list[str] = []
    cur_mark = False
    for (s, e), m in zip(spans, marks):
        gap = text[pos:s]
        if m != cur_mark and cur:
            if m:  # whitespace before a marked word stays unmarked
                cur.append(gap)
                gap = ""
            out.append(Seg("".join(cur), marked=cur_mark))
            cur = []
        cur_mark = m
        cur.append(gap + text[s:e])
        pos = e
    cur.append(text[pos:])
    if cur:
        out.append(Seg("".join(cur), marked=cur_mark))
    return [s for s in out if s.text]


# --------------------------------------------------------------------------- the builder
class MemoBuilder:
    def __init__(
        self,
        assessment: Assessment,
        reports: Sequence[ComparisonReport],
        tpl: MemoTemplate,
        options: MemoOptions,
        input_hashes: Sequence[tuple[str, str, str]] = (),
        notes: dict[str, str] | None = None,
    ) -> None:
        self.notes = {k: v for k, v in (notes or {}).items() if v and v.strip()}
        self.a = assessment
        self.reports = list(reports)
        self.tpl = tpl
        self.o = options
        self.input_hashes = list(input_hashes)
        self.blocks: list = []

    # ---- entry
    def build(self) -> MemoDoc:
        t = self.tpl
        sc = self.a.scenario
        matter = self.o.matter or sc.title or sc.id or t.t("untitled_matter")
        date = self.o.created.strftime("%Y-%m-%d")
        doc = MemoDoc(
            title=t.t("title", matter=self._whole(matter)),
            subject=t.t("subject", audience=t.audience_label),
            author=self.o.reviewer or t.t("author_default", version=__version__),
            header_left=_short(matter, 120),
            header_right=t.t("header_right", date=date, audience=t.audience_label),
            footer_notice=t.t("footer_notice"),
            banner=t.t("privileged_banner") if self.o.privileged else None,
        )
        self.doc = doc
        self.blocks = doc.blocks
        self.blocks.append(Para(segs(doc.title), style="lead"))
        meta = [t.t("meta_date", date=date), t.t("meta_law", law=self.a.law_as_of)]
        if self.o.reviewer:
            meta.append(t.t("meta_reviewer", reviewer=self._whole(self.o.reviewer)))
        if sc.jurisdiction:
            meta.append(t.t("meta_jurisdiction", jurisdiction=self._whole(sc.jurisdiction)))
        self.blocks.append(Para(segs(" · ".join(meta)), style="small"))
        self.blocks.append(Para(segs(t.t("intro")), style="note"))
        in_appendix = False
        for sid in t.section_order(self.o.judge_mode):
            # the appendices start on a page of their own, so the memo's body is whole pages
            first = not in_appendix and t.headings[sid].startswith("Appendix")
            in_appendix = in_appendix or first
            self.blocks.append(Heading(t.headings[sid], 1, sid, new_page=first))
            getattr(self, f"_section_{sid}")()
        return doc

    def _author_view(self, key: str) -> None:
        """The reader's own reasoning, beside the engine's: marked as theirs, never merged."""
        note = self.notes.get(key)
        if not note:
            return
        self.blocks.append(
            Para(
                [
                    Seg(self.tpl.t("author_view_label") + " ", bold=True),
                    Seg(self._whole(note, defaults.MEMO_MAX_PASSAGE_CHARS)),
                ],
                style="body",
            )
        )

    def _p(self, text: str, style: ParaStyle = "body") -> None:
        self.blocks.append(Para(segs(text), style=style))

    def _sub(self, text: str, key: str) -> None:
        self.blocks.append(Heading(text, 2, key))

    def _whole(self, text: str | None, limit: int = defaults.MEMO_MAX_CELL_CHARS) -> str:
        """``text`` printed whole (whitespace collapsed; table cells and headings wrap in the PDF).

        Only text longer than ``limit`` is cut, at a word, and then says so in words with the
        count of what was left out ("(… 1,234 more characters, in the JSON twin)"), never with
        a bare "…": the engine's and the case library's texts stay far below the default, which
        only user text pasted into them can reach (``defaults.MEMO_MAX_CELL_CHARS``).
        """
        return self._bounded(" ".join(text.split()), limit) if text else ""

    def _cell_lines(self, lines: list[str]) -> str:
        """One table cell of several lines, each whole; the cell as a whole is bounded like any
        other (so its row fits on a page), and says so in words if that is ever reached."""
        return self._bounded("\n".join(self._whole(x) for x in lines), defaults.MEMO_MAX_CELL_CHARS)

    def _bounded(self, text: str, limit: int) -> str:
        """``text`` as it is up to ``limit``; past it, cut at a word with the count left out, in words."""
        kept, left = truncate(text, limit)
        return kept + (" " + self.tpl.t("truncated", n=f"{left:,}") if left else "")

    # ---- sections
    def _section_question(self) -> None:
        sc, t = self.a.scenario, self.tpl
        new = self._whole(sc.new_work.title) or t.t("the_new_work")
        src = self._whole(sc.source.title) or t.t("the_source")
        purposes = ", ".join(t.label("purpose", p) for p in sc.use.purposes) or t.t("purpose_unstated")
        self._p(t.t("question", new_work=new, source=src, purposes=purposes))
        if sc.ai.role and sc.ai.role != "none":
            self._p(t.t("question_ai_scope", role=t.label("ai_role", sc.ai.role)), "note")

    def _section_short_answer(self) -> None:
        t, a = self.tpl, self.a
        ov = a.overall
        if ov.fair_use_needed:
            head = [
                Seg(t.t("overall", label=t.label("overall", ov.label)), bold=True),
                Seg(" " + t.t("confidence", confidence=t.label("confidence", ov.confidence))),
            ]
        else:  # not protected or licensed: that is the answer; the factors' lean is moot
            head = [Seg(t.t("overall", label=labels.headline(a)), bold=True)]
        self.blocks.append(Para(head, style="body"))
        if ov.reasons:
            self.blocks.append(Bullets([segs(self._whole(r)) for r in ov.reasons[: t.limits.reasons]]))
        self._author_view("overall")
        if not ov.fair_use_needed:
            self._p(
                t.t(
                    "moot_factors",
                    label=t.label("overall", ov.label).lower(),
                    confidence=t.label("confidence", ov.confidence),
                ),
                "note",
            )
        rows = [
            [
                t.t("factor_name", n=f.factor, title=f.title),
                t.label("lean_predicate", f.lean),
                t.label("confidence", f.confidence),
            ]
            for f in sorted(a.findings, key=lambda f: f.factor)
        ]
        self.blocks.append(Table([t.t("col_factor"), t.t("col_lean"), t.t("col_confidence")], rows, [0.5, 0.3, 0.2]))
        self.blocks.append(
            BarChart(
                t.t("chart_balance_title"),
                [
                    (t.t("factor_short", n=f.factor), float(LEAN_VALUE[f.lean]), t.label("lean_predicate", f.lean))
                    for f in sorted(a.findings, key=lambda f: f.factor)
                ],
                -2.0,
                2.0,
                (t.t("chart_against"), t.t("chart_favours")),
            )
        )
        sub = a.substitution
        self._p(
            t.t(
                "substitution_line", level=t.label("substitution", sub.level), explanation=self._whole(sub.explanation)
            ),
            "note",
        )
        self._p(t.t("no_probability"), "small")
        if ov.fair_use_needed:
            self._p(t.t("track_record", **track_record().values()), "small")

    def _fact_rows(self, obj, group: str) -> list[list[str]]:
        """The facts as the questionnaire asked them: its short name for the question and the
        chosen option's label ("Credit given" / "Yes, the source is credited"), not the field
        name and the stored value ("attribution" / "yes"); fields no question asks (titles,
        descriptions) by their labels."""
        from analysis.assess.questionnaire import load_questionnaire

        asked = {q.field: q for q in load_questionnaire().questions}
        rows = []
        for name, value in obj.model_dump().items():
            if value is None or value == [] or value == {}:
                continue
            q = asked.get(f"{group}.{name}")
            if q is not None and q.options:
                chosen = value if isinstance(value, list) else [value]
                words = [o.label if (o := q.option(v)) is not None else None for v in chosen]
                if all(w is not None for w in words):
                    rows.append([q.short, ", ".join(str(w) for w in words)])
                    continue
            if isinstance(value, list):
                value = ", ".join(
                    self.tpl.label("purpose", v)
                    if name == "purposes"
                    else self.tpl.label("value", v)
                    if isinstance(v, str) and re.fullmatch(r"[a-z]+(_[a-z]+)+", v)
                    else str(v)
                    for v in value
                )
            elif isinstance(value, bool):
                value = self.tpl.t("yes") if value else self.tpl.t("no")
            elif isinstance(value, str) and re.fullmatch(r"[a-z]+(_[a-z]+)+", value):
                value = self.tpl.label("value", value)  # enum answers such as highly_creative
            limit = min(self.tpl.limits.facts_chars, defaults.MEMO_MAX_CELL_CHARS)  # the user's answer
            rows.append([q.short if q is not None else self.tpl.label("field", name), self._whole(str(value), limit)])
        return rows

    def _section_facts(self) -> None:
        t, sc = self.tpl, self.a.scenario
        any_rows = False
        for key, obj in (
            ("source", sc.source),
            ("new_work", sc.new_work),
            ("use", sc.use),
            ("acquisition", sc.acquisition),
            ("ai", sc.ai),
            ("market", sc.market),
        ):
            rows = self._fact_rows(obj, key)
            if not rows:
                continue
            any_rows = True
            self._sub(t.label("fact_group", key), f"facts-{key}")
            self.blocks.append(Table([t.t("col_question"), t.t("col_answer")], rows, [0.35, 0.65]))
        if sc.as_of:
            self._p(t.t("facts_as_of", date=sc.as_of.isoformat()), "small")
        if sc.notes:
            self._p(t.t("facts_notes", notes=self._whole(sc.notes, defaults.MEMO_MAX_PASSAGE_CHARS)), "small")
        if not any_rows:
            self._p(t.t("facts_none"))

    # ---- evidence
    def _section_evidence(self) -> None:
        t = self.tpl
        if not self.reports:
            self._p(t.t("evidence_none"))
            for ev in self.a.scenario.evidence:
                self._p(t.t("evidence_digest", summary=self._whole(ev.summary or ev.copy_kind)), "note")
            return
        self._p(t.t("evidence_caveat"), "note")
        shown = self.reports[: defaults.MEMO_MAX_REPORTS]
        for i, r in enumerate(shown, 1):
            self._sub(
                t.t(
                    "evidence_report_title",
                    n=i,
                    kind=t.label("kind", r.kind),
                    generated=self._whole(self._work_name(r, "generated")),
                    source=self._whole(self._work_name(r, "source")),
                ),
                f"evidence-{i}",
            )
            from analysis import figures

            head = figures.headline(r)
            if head is not None:
                self.blocks.append(
                    Para([Seg(t.t("headline_label", figure=head.figure) + " ", bold=True), Seg(head.sentence)])
                )
            if r.text is not None:
                self._text_evidence(r.text)
            if r.image is not None:
                self._image_evidence(r.image)
        if len(self.reports) > len(shown):
            self._p(t.t("evidence_more_reports", n=len(self.reports) - len(shown)), "note")

    def _work_name(self, r: ComparisonReport, role: str) -> str:
        """The title the user gave the work, else its file name, else "the new work"/"the source"."""
        work = self.a.scenario.new_work if role == "generated" else self.a.scenario.source
        if work.title:
            return f"“{work.title}”"
        names: dict[str, str] = {rec.role: rec.name for rec in r.inputs}
        name = names.get(role, "")
        if name and name not in ("pasted text", "-", "—"):
            return name
        return self.tpl.t("the_new_work" if role == "generated" else "the_source")

    def _text_evidence(self, tc: TextComparison) -> None:
        t, m = self.tpl, tc.metrics
        rows = [
            [t.t("m_words"), f"{m.generated_words:,}", f"{m.source_words:,}"],
            [t.t("m_verbatim"), _pct(m.generated_share_verbatim), _pct(m.source_share_reproduced)],
            [t.t("m_near"), _pct(m.generated_share_near_verbatim), "–"],
            [t.t("m_paraphrase"), _pct(m.generated_share_paraphrase), _pct(m.source_share_paraphrased)],
            [t.t("m_longest"), f"{m.longest_passage_words:,}", "–"],
            [t.t("m_counts"), f"{m.verbatim_count} / {m.near_verbatim_count} / {m.paraphrase_count}", "–"],
            [t.t("m_semantic"), _sim(m.semantic_similarity), "–"],
            [t.t("m_style"), _sim(m.style_similarity), "–"],
            [t.t("m_heart"), "–", _sim(m.heart_score)],
        ]
        self.blocks.append(
            Table(
                [t.t("col_measure"), t.t("col_generated"), t.t("col_source")],
                rows,
                [0.5, 0.25, 0.25],
                caption=t.t("metrics_caption"),
            )
        )
        self.blocks.append(
            BarChart(
                t.t("chart_coverage_title"),
                [
                    (t.t("m_verbatim_short"), m.generated_share_verbatim, _pct(m.generated_share_verbatim)),
                    (t.t("m_near_short"), m.generated_share_near_verbatim, _pct(m.generated_share_near_verbatim)),
                    (t.t("m_paraphrase_short"), m.generated_share_paraphrase, _pct(m.generated_share_paraphrase)),
                    (t.t("m_source_reproduced_short"), m.source_share_reproduced, _pct(m.source_share_reproduced)),
                ],
                0.0,
                1.0,
                ("0 %", "100 %"),
            )
        )
        passages = sorted(tc.passages, key=lambda p: (-p.words, p.generated.start))
        limit = min(self.tpl.limits.passages, defaults.MEMO_MAX_PASSAGES)
        if passages and limit:
            self._p(t.t("passages_legend"), "note")
        for k, p in enumerate(passages[:limit], 1):
            self.blocks.append(self._side_by_side(p, k))
        if len(passages) > limit:
            self._p(t.t("passages_more", n=len(passages) - limit), "note")
        for note in tc.notes[:5]:
            self._p(self._whole(note), "small")

    def _side_by_side(self, p: TextPassage, k: int) -> SideBySide:
        t = self.tpl
        lim = min(t.limits.passage_chars or defaults.MEMO_MAX_PASSAGE_CHARS, defaults.MEMO_MAX_PASSAGE_CHARS)
        g, gl = truncate(p.generated_text, lim)
        s, sl = truncate(p.source_text, lim)
        left, right = mark_shared(g, s)
        if gl:
            left.append(Seg(" " + t.t("truncated", n=f"{gl:,}"), italic=True))
        if sl:
            right.append(Seg(" " + t.t("truncated", n=f"{sl:,}"), italic=True))
        title = t.t(
            "passage_title",
            n=k,
            kind=t.label("passage_kind", p.kind),
            words=p.words,
            similarity=f"{p.similarity:.2f}",
            gstart=p.generated.start,
            sstart=p.source.start,
        )
        return SideBySide(title, t.t("col_generated"), t.t("col_source"), left, right)

    def _image_evidence(self, im: ImageComparison) -> None:
        t = self.tpl
        v = im.verdict
        self.blocks.append(
            Para(
                [
                    Seg(t.t("image_verdict", rung=t.label("rung", v.rung)), bold=True),
                    Seg(" " + t.t("confidence", confidence=t.label("confidence", v.confidence))),
                ]
            )
        )
        if v.evidence:
            self.blocks.append(Bullets([segs(self._whole(e)) for e in v.evidence[:5]]))
        if v.runner_up:
            self._p(t.t("image_runner_up", rung=t.label("rung", v.runner_up)), "note")
        rows = [
            [
                t.label("image_signal", s.name),
                *_value_and_threshold(s, t),
                (t.t("yes") if s.fired else t.t("no")) if s.fired is not None else "–",
                self._whole(
                    s.meaning
                    if s.computed or not labels.has("signal_not_computed", s.name)
                    else t.label("signal_not_computed", s.name)
                ),
            ]
            for s in im.signals
        ]
        if t.limits.signals_table:
            self.blocks.append(
                Table(
                    [t.t("col_signal"), t.t("col_value"), t.t("col_threshold"), t.t("col_fired"), t.t("col_meaning")],
                    rows,
                    [0.18, 0.12, 0.13, 0.1, 0.47],
                    caption=t.t("signals_caption"),
                )
            )
        size_rows = [
            [
                t.t("m_pixels"),
                f"{im.generated_size[0]} × {im.generated_size[1]}",
                f"{im.source_size[0]} × {im.source_size[1]}",
            ]
        ]
        if im.region:
            size_rows.append(
                [t.t("m_region_share"), _pct(im.region.generated_area_share), _pct(im.region.source_area_share)]
            )
            size_rows.append(
                [
                    t.t("m_inliers"),
                    t.t("m_inliers_by_hash") if im.region.found_by_hash else f"{im.region.inliers:,}",
                    t.t("yes") if im.region.mirrored else t.t("no"),
                ]
            )
        self.blocks.append(
            Table([t.t("col_measure"), t.t("col_generated"), t.t("col_source")], size_rows, [0.5, 0.25, 0.25])
        )
        if im.region:
            self.blocks.append(
                BarChart(
                    t.t("chart_region_title"),
                    [
                        (t.t("col_generated"), im.region.generated_area_share, _pct(im.region.generated_area_share)),
                        (t.t("col_source"), im.region.source_area_share, _pct(im.region.source_area_share)),
                    ],
                    0.0,
                    1.0,
                    ("0 %", "100 %"),
                )
            )
        if im.region and im.region.generated_polygon.points and im.region.source_polygon.points:

            def box(points):
                xs, ys = [x for x, _ in points], [y for _, y in points]
                return int(min(xs)), int(min(ys)), int(max(xs)), int(max(ys))

            g, sr = box(im.region.generated_polygon.points), box(im.region.source_polygon.points)
            self.blocks.append(
                RegionMap(
                    t.t("region_map_title"),
                    [
                        (t.t("col_generated"), im.generated_size, list(im.region.generated_polygon.points)),
                        (t.t("col_source"), im.source_size, list(im.region.source_polygon.points)),
                    ],
                    t.t(
                        "region_map_text",
                        gx0=g[0],
                        gy0=g[1],
                        gx1=g[2],
                        gy1=g[3],
                        sx0=sr[0],
                        sy0=sr[1],
                        sx1=sr[2],
                        sy1=sr[3],
                        mirrored=t.t("region_mirrored") if im.region.mirrored else "",
                    ),
                )
            )
        figs = im.figures[: min(self.tpl.limits.figures, defaults.MEMO_MAX_FIGURES)]
        if not im.figures:
            self.blocks.append(FigureBlock(t.t("figure_none_caption"), None, t.t("figure_none")))
        for fig in figs:
            self.blocks.append(_figure(fig, t))
        if len(im.figures) > len(figs):
            self._p(t.t("figures_more", n=len(im.figures) - len(figs)), "note")
        for note in im.notes[:5]:
            self._p(self._whole(note), "small")

    # ---- analysis
    def _section_analysis(self) -> None:
        t = self.tpl
        for f in sorted(self.a.findings, key=lambda f: f.factor):
            self._sub(t.t("factor_name", n=f.factor, title=f.title), f"factor-{f.factor}")
            auth = [cite(c, self.a) for c in _authorities(f)]
            self.blocks.append(Para([Seg(t.t("rule_label") + " ", bold=True), Seg(f.statute_text, italic=True)]))
            if auth:
                self.blocks.append(
                    Para([Seg(t.t("authorities_label") + " ", bold=True), Seg("; ".join(auth))], style="small")
                )
            # a lead-in kept with the reasons it introduces (never stranded at a page foot)
            self.blocks.append(Para([Seg(t.t("application_label"), bold=True)], style="label"))
            items = []
            # the best counter-argument is one of the reasons pointing the other way: it is
            # printed once, under "The other side:", not also in this list
            reasons = f.reasons_besides_counter()
            for r in reasons[: t.limits.reasons]:
                cites = "; ".join(cite(x.case_id, self.a, x.pinpoint) for x in r.authorities)
                item = [Seg(t.t("direction_prefix", direction=t.label("direction", r.direction)) + " ", bold=True)]
                item.append(Seg(self._whole(r.text)))
                item.append(Seg(" " + t.t("basis", basis=self._whole(r.basis)), italic=True))
                if cites:
                    item.append(Seg(f" ({cites})"))
                items.append(item)
            if len(reasons) > t.limits.reasons:
                items.append(segs(t.t("reasons_more", n=len(reasons) - t.limits.reasons)))
            if items:
                self.blocks.append(Bullets(items))
            else:
                self._p(t.t("no_reasons"), "note")
            if f.counter_argument:
                ca = f.counter_argument
                cites = "; ".join(cite(x.case_id, self.a, x.pinpoint) for x in ca.authorities)
                self.blocks.append(
                    Para(
                        [
                            Seg(t.t("counter_label") + " ", bold=True),
                            Seg(self._whole(ca.text)),
                            Seg(" " + t.t("basis", basis=self._whole(ca.basis)), italic=True),
                            *([Seg(f" ({cites})")] if cites else []),
                        ]
                    )
                )
            if f.factor == 4 and self.a.substitution.parts:
                rows = [
                    [
                        p.name,
                        _sim(p.value),
                        _sim(p.weight),
                        t.label("part_source", p.source),
                        self._whole(p.explanation),
                    ]
                    for p in self.a.substitution.parts
                ]
                self.blocks.append(
                    Table(
                        [t.t("col_part"), t.t("col_value"), t.t("col_weight"), t.t("col_from"), t.t("col_meaning")],
                        rows,
                        [0.2, 0.1, 0.1, 0.14, 0.46],
                        caption=t.t("substitution_caption", level=t.label("substitution", self.a.substitution.level)),
                    )
                )
            if f.missing:
                self._p(t.t("missing_line", questions="; ".join(_question_names(f.missing[:12]))), "small")
            self.blocks.append(
                Para(
                    [
                        Seg(t.t("conclusion_label") + " ", bold=True),
                        Seg(
                            t.t(
                                "factor_conclusion",
                                lean=t.label("lean_predicate", f.lean),
                                confidence=t.label("confidence", f.confidence),
                            )
                        ),
                    ]
                )
            )
            self._author_view(str(f.factor))

    # ---- precedents
    def _findings_text(self, p: PrecedentMatch) -> str:
        """Each court's finding per factor. Keys may be 'f1', 'factor 1' or '1'; values the
        library's codes (F, A, N …) or the engine's words, shown as given when not a code."""
        parts = []
        for key, value in p.factor_findings.items():
            digits = "".join(ch for ch in key if ch.isdigit())
            parts.append((int(digits) if digits else 9, digits or key, self.tpl.label("court", value)))
        return "\n".join(f"{name}: {value}" for _n, name, value in sorted(parts)) or "–"

    def _precedents(self) -> list[PrecedentMatch]:
        return self.a.precedents[: min(self.tpl.limits.precedents, defaults.MEMO_MAX_PRECEDENTS)]

    def _section_precedents(self) -> None:
        t = self.tpl
        precs = self._precedents()
        if t.text.get("precedents_intro"):
            self._p(t.t("precedents_intro"))
        if not precs:
            self._p(t.t("precedents_none"))
        elif self.o.judge_mode:
            self._p(t.t("judge_intro"), "note")
            rows = [
                [
                    f"{p.name}\n{p.citation}",
                    f"{p.similarity:.2f}",
                    self._cell_lines(["+ " + x for x in p.alike[:3]]),
                    self._cell_lines(["− " + x for x in p.differs[:3]]),
                ]
                for p in precs
            ]
            self.blocks.append(
                Table(
                    [t.t("col_case"), t.t("col_similarity"), t.t("col_alike"), t.t("col_differs")],
                    rows,
                    [0.27, 0.11, 0.31, 0.31],
                )
            )
        else:
            rows = [
                [
                    f"{p.name}\n{p.citation}",
                    f"{p.similarity:.2f}",
                    self._findings_text(p),
                    t.label("outcome", p.outcome),
                    self._cell_lines(["+ " + x for x in p.alike[:2]] + ["− " + x for x in p.differs[:3]]),
                ]
                for p in precs
            ]
            self.blocks.append(
                Table(
                    [
                        t.t("col_case"),
                        t.t("col_similarity"),
                        t.t("col_court_findings"),
                        t.t("col_outcome"),
                        t.t("col_alike_differs"),
                    ],
                    rows,
                    [0.24, 0.1, 0.19, 0.12, 0.35],
                    caption=t.t("precedents_caption"),
                )
            )
        if t.limits.precedent_briefs and precs:
            self._precedent_briefs(precs)
        if len(self.a.precedents) > len(precs):
            self._p(t.t("precedents_more", n=len(self.a.precedents) - len(precs)), "note")
        if self.a.disagreements:
            self._sub(t.t("disagreements_heading"), "disagreements")
            self.blocks.append(Bullets([segs(self._whole(d)) for d in self.a.disagreements[:8]]))

    def _precedent_briefs(self, precs: list[PrecedentMatch]) -> None:
        """Each precedent's facts, holding and finding per factor, in a few sentences of the
        case library's own words (``analysis/assess/data/cases``), never the court's text. In
        "you be the judge" mode the holding and findings wait for the last appendix."""
        from analysis.assess.caselaw import load_cases

        t, cases = self.tpl, load_cases()
        for p in precs:
            case = cases.get(p.case_id)
            if case is None:
                continue
            self._sub(f"{p.name}, {p.citation}", f"brief-{p.case_id}")
            parts = [Para([Seg(t.t("brief_facts_label") + " ", bold=True), Seg(sentences(case.use, 2))])]
            if not self.o.judge_mode:
                parts.append(
                    Para(
                        [
                            Seg(t.t("brief_holding_label") + " ", bold=True),
                            Seg(t.label("outcome", p.outcome) + ". " + sentences(case.reasoning, 3)),
                        ]
                    )
                )
                parts.append(Para([Seg(t.t("brief_factors_label") + " ", bold=True), Seg(self._findings_sentence(p))]))
            self.blocks.extend(parts)

    def _findings_sentence(self, p: PrecedentMatch) -> str:
        bits = []
        for key, value in sorted(p.factor_findings.items()):
            digits = "".join(ch for ch in key if ch.isdigit())
            if digits:
                bits.append(self.tpl.t("brief_factor", n=digits, finding=self.tpl.label("court", value)))
        text = "; ".join(bits) + "." if bits else "–"
        return text[:1].upper() + text[1:]

    def _section_court_outcomes(self) -> None:
        t = self.tpl
        precs = self._precedents()
        if not precs:
            self._p(t.t("precedents_none"))
            return
        rows = [[f"{p.name}\n{p.citation}", self._findings_text(p), t.label("outcome", p.outcome)] for p in precs]
        self.blocks.append(
            Table([t.t("col_case"), t.t("col_court_findings"), t.t("col_outcome")], rows, [0.45, 0.3, 0.25])
        )

    # ---- what would lower the risk
    def lower_risk_items(self) -> list[list[Seg]]:
        t, a, sc = self.tpl, self.a, self.a.scenario
        items: list[list[Seg]] = []
        for _i, r in enumerate(self.reports, 1):
            if r.text is not None and r.text.passages:
                ps = sorted(r.text.passages, key=lambda p: (-p.words, p.generated.start))[: t.limits.rewrite]
                for k, p in enumerate(ps, 1):
                    items.append(
                        [
                            Seg(t.t("lr_rewrite_label"), bold=True),
                            Seg(
                                " "
                                + t.t(
                                    "lr_rewrite",
                                    n=k,
                                    words=p.words,
                                    kind=t.label("passage_kind", p.kind),
                                    start=_short(p.generated_text, 80),
                                    gstart=p.generated.start,
                                    gend=p.generated.end,
                                )
                            ),
                        ]
                    )
            if r.image is not None:
                rung = r.image.verdict.rung
                if rung == "near_duplicate":
                    items.append([Seg(t.t("lr_image_label"), bold=True), Seg(" " + t.t("lr_image_whole"))])
                elif r.image.region is not None:
                    xs = [x for x, _ in r.image.region.generated_polygon.points] or [0]
                    ys = [y for _, y in r.image.region.generated_polygon.points] or [0]
                    items.append(
                        [
                            Seg(t.t("lr_image_label"), bold=True),
                            Seg(
                                " "
                                + t.t(
                                    "lr_image_region",
                                    share=_pct(r.image.region.generated_area_share),
                                    x0=int(min(xs)),
                                    y0=int(min(ys)),
                                    x1=int(max(xs)),
                                    y1=int(max(ys)),
                                )
                            ),
                        ]
                    )
                elif rung == "same_composition":
                    items.append([Seg(t.t("lr_image_label"), bold=True), Seg(" " + t.t("lr_image_composition"))])
        f1 = next((f for f in a.findings if f.factor == 1), None)
        if f1 is not None and LEAN_VALUE[f1.lean] <= 0 and not sc.use.targets_source:
            items.append([Seg(t.t("lr_commentary_label"), bold=True), Seg(" " + t.t("lr_commentary"))])
        f3 = next((f for f in a.findings if f.factor == 3), None)
        heart = sc.use.heart_taken or any(e.heart_taken for e in sc.evidence)
        if f3 is not None and LEAN_VALUE[f3.lean] < 0:
            items.append([Seg(t.t("lr_amount_label"), bold=True), Seg(" " + t.t("lr_heart" if heart else "lr_amount"))])
        if sc.acquisition.how_obtained == "unauthorized":
            items.append([Seg(t.t("lr_acquisition_label"), bold=True), Seg(" " + t.t("lr_acquisition"))])
        if sc.ai.regurgitation and sc.ai.guardrails is not True:
            items.append([Seg(t.t("lr_guardrails_label"), bold=True), Seg(" " + t.t("lr_guardrails"))])
        if sc.use.attribution is False:
            items.append([Seg(t.t("lr_attribution_label"), bold=True), Seg(" " + t.t("lr_attribution"))])
        if a.overall.label != "leans_fair_use" or sc.market.licensing_market in ("established", "emerging"):
            items.append([Seg(t.t("lr_licence_label"), bold=True), Seg(" " + t.t("lr_licence"))])
        return items

    def _section_lower_risk(self) -> None:
        prot = self.a.protection
        if not self.a.overall.fair_use_needed and prot is not None:
            # not protected or licensed: there is no fair-use risk to lower, only facts to check
            self._p(self.tpl.t(f"lr_moot_{prot.status}"))
            return
        items = self.lower_risk_items()
        if items:
            self.blocks.append(Bullets(items))
        else:
            self._p(self.tpl.t("lr_none"))
        self._p(self.tpl.t("lr_caveat"), "note")

    # ---- open questions
    def discussion_questions(self) -> list[str]:
        """Questions for a class, from the answers that would change the result (the engine's
        sensitivity), then from the nearest precedents' differences and the least sure factor."""
        t, a = self.tpl, self.a
        out = [
            t.t("disc_sensitivity", question=self._whole(s.question), change=self._whole(s.change))
            for s in a.sensitivity
        ]
        for p in self._precedents():
            if p.differs:
                out.append(t.t("disc_precedent", case=p.name, differs=self._whole(p.differs[0])))
        order = {"low": 0, "medium": 1, "high": 2}
        for f in sorted(a.findings, key=lambda f: (order.get(f.confidence, 3), f.factor)):
            out.append(
                t.t(
                    "disc_factor",
                    n=f.factor,
                    lean=t.label("lean_predicate", f.lean),
                    confidence=t.label("confidence", f.confidence),
                )
            )
        return out[: max(t.limits.discussion, 0)]

    def _section_open_questions(self) -> None:
        t, a = self.tpl, self.a
        if t.limits.discussion:
            questions = self.discussion_questions()
            if questions:
                if t.t("discussion_heading") != t.headings["open_questions"]:
                    self._sub(t.t("discussion_heading"), "discussion")
                self.blocks.append(Bullets([segs(f"{i}. {q}") for i, q in enumerate(questions, 1)]))
        empty = True
        if a.sensitivity:
            empty = False
            self._sub(t.t("sensitivity_heading"), "sensitivity")
            self.blocks.append(
                Bullets(
                    [
                        [Seg(self._whole(s.question), bold=True), Seg(" — " + self._whole(s.change))]
                        for s in a.sensitivity[: t.limits.sensitivity]
                    ]
                )
            )
        if a.out_of_scope:
            empty = False
            self._sub(t.t("out_of_scope_heading"), "out-of-scope")
            self.blocks.append(Bullets([segs(self._whole(x)) for x in a.out_of_scope[:8]]))
        if a.notes:
            empty = False
            self._sub(t.t("notes_heading"), "notes")
            self.blocks.append(Bullets([segs(self._whole(name_authorities(x))) for x in a.notes[:8]]))
        if empty:
            self._p(t.t("open_none"))

    # ---- appendix: the audit record
    def _section_appendix(self) -> None:
        t, a, o = self.tpl, self.a, self.o
        self._sub(t.t("app_method_heading"), "app-method")
        self._p(t.t("app_method"))
        self._sub(t.t("app_record_heading"), "app-record")
        rows = [
            [t.t("app_software"), f"fairuse {__version__}"],
            [t.t("app_engine"), a.engine_version],
            [t.t("app_law"), a.law_as_of],
            [t.t("app_memo_created"), _when(o.created)],
            [t.t("app_assessment_created"), _when(a.created_at)],
            [
                t.t("app_options"),
                t.t(
                    "app_options_value",
                    audience=t.audience_label,
                    privileged=t.t("yes") if o.privileged else t.t("no"),
                    judge=t.t("yes") if o.judge_mode else t.t("no"),
                ),
            ],
        ]
        if o.reviewer:
            rows.append([t.t("app_reviewer"), self._whole(o.reviewer)])
        for i, r in enumerate(self.reports, 1):
            rows.append(
                [
                    t.t("app_report", n=i),
                    f"{r.tool} {r.tool_version}, {_when(r.created_at)}, {t.t('app_device')}: {r.device}",
                ]
            )
        self.blocks.append(Table([t.t("col_item"), t.t("col_value")], rows, [0.3, 0.7]))
        self._sub(t.t("app_hashes_heading"), "app-hashes")
        hrows = [[role, self._whole(name), digest] for role, name, digest in self.input_hashes]
        for i, r in enumerate(self.reports, 1):
            for rec in r.inputs:
                hrows.append(
                    [
                        t.t("app_hash_role", n=i, role=t.label("work_role", rec.role)),
                        self._whole(rec.name) + f" ({rec.bytes:,} B, {rec.media_type})",
                        rec.sha256,
                    ]
                )
        self.blocks.append(
            Table([t.t("col_input"), t.t("col_file"), t.t("col_sha256")], hrows, [0.17, 0.27, 0.56], mono_cols=(2,))
        )
        self._sub(t.t("app_models_heading"), "app-models")
        mrows = [
            [
                t.label("model_role", m.role),
                _break_after_owner(self._whole(m.name)),
                self._whole(m.version, 200) or "–",  # narrow columns: a row must still fit a page
                self._whole(m.source),
                self._whole(m.device, 200),
            ]
            for r in self.reports
            for m in r.models
        ]
        if mrows:
            self.blocks.append(
                Table(
                    [t.t("col_role"), t.t("col_model"), t.t("col_version"), t.t("col_from"), t.t("col_device")],
                    mrows,
                    [0.17, 0.31, 0.22, 0.22, 0.08],
                )
            )
        else:
            self._p(t.t("app_no_models_report" if self.reports else "app_no_models"), "note")
        n_thresholds = sum(len(r.thresholds) for r in self.reports)
        # the thresholds, the scenario as entered, the assessment and the reports are
        # machine-readable: they travel as the JSON file attached to the PDF (and the JSON
        # twin), not as pages of raw JSON the reader would have to wade through
        self._sub(t.t("app_attached_heading"), "app-attached")
        self._p(t.t("app_attached", thresholds=f"{n_thresholds:,}"))
        # rendering notes are appended by memo.py once every string has been scanned
        self._sub(t.t("app_rendering_heading"), "app-rendering")
        self.doc.notes_slot = Para(segs(""), style="small")
        self.blocks.append(self.doc.notes_slot)


def _figure(fig, t: MemoTemplate) -> FigureBlock:
    """Decode and check a figure; a broken one becomes a placeholder that says why."""
    from analysis import labels

    caption = _short(fig.caption or labels.label("figure", fig.name), 300)
    try:
        png = base64.b64decode(fig.png_base64, validate=True)
    except Exception:
        return FigureBlock(caption, None, t.t("figure_broken", reason="its data is not valid base64"))
    if not png:
        return FigureBlock(caption, None, t.t("figure_broken", reason="empty"))
    try:
        from io import BytesIO

        from PIL import Image

        with Image.open(BytesIO(png)) as im:
            im.verify()
        with Image.open(BytesIO(png)) as im:
            # the header gives the size: refuse an oversized picture before decoding it
            if im.width * im.height > defaults.MAX_IMAGE_PIXELS:
                return FigureBlock(caption, None, t.t("figure_broken", reason=f"too large ({im.width} × {im.height})"))
            im.load()
    except Exception:
        # in words, not the exception's class or message (messages can carry memory addresses,
        # and the memo must stay byte-identical for the same inputs)
        return FigureBlock(caption, None, t.t("figure_broken", reason="its data is not a readable picture"))
    return FigureBlock(caption, png)
