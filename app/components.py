"""HTML pieces the pages draw: texts side by side with marked passages, labels, legends.

Everything the user typed or uploaded is escaped with ``html.escape`` before it goes near
markup: a work that contains ``<script>`` or ``</div>`` shows those characters, it never
changes the page. Meaning is never carried by colour alone: every mark also has a text
label (V1, N2, P3 …), a distinct underline style, and a legend that spells the kinds out.

Pure functions, no Streamlit import: the pages pass the strings to ``st.html``.
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import NamedTuple

from analysis import defaults, figures, labels
from analysis.evidence import TextPassage

KIND_LABEL = labels.group("passage_kind_title")
KIND_SHORT = labels.group("passage_short")
KIND_MEANING = labels.group("passage_meaning")

# Display limits live with every other number in analysis/defaults.py (APP section).
FULL_TEXT_MAX_CHARS = defaults.APP_FULL_TEXT_MAX_CHARS
EXCERPT_CONTEXT_CHARS = defaults.APP_EXCERPT_CONTEXT_CHARS

LEAN_SYMBOL = labels.group("lean_symbol")
LEAN_CLASS = {
    "strongly_favours": "fu-lean-for",
    "favours": "fu-lean-for",
    "neutral": "fu-lean-neutral",
    "disfavours": "fu-lean-against",
    "strongly_disfavours": "fu-lean-against",
}

CSS = """
<style>
.fu-legend{display:flex;flex-wrap:wrap;gap:.75rem;font-size:.85rem;margin:.25rem 0 .75rem 0}
.fu-legend span{white-space:nowrap}
.fu-mark{color:#1b1b1f;border-radius:3px;padding:0 1px}
.fu-verbatim{background:#fbd5d2;border-bottom:2px solid #a4161a}
.fu-near_verbatim{background:#fde7c2;border-bottom:2px dashed #9a4a00}
.fu-paraphrase{background:#d9e6fb;border-bottom:2px dotted #1b4fb8}
.fu-selected{font-weight:700;-webkit-box-decoration-break:clone;box-decoration-break:clone;
  box-shadow:0 0 0 2px #1b1b1f}
.fu-badge{display:inline-block;font:600 .68rem/1.2 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;
  color:#fff;background:#3b3b44;border-radius:3px;padding:0 3px;margin-right:2px;vertical-align:.1em}
.fu-badge.fu-verbatim-b{background:#a4161a}.fu-badge.fu-near_verbatim-b{background:#9a4a00}
.fu-badge.fu-paraphrase-b{background:#1b4fb8}
.fu-pair{display:grid;grid-template-columns:1fr 1fr;gap:1rem}
.fu-pane{border:1px solid rgba(128,128,128,.35);border-radius:6px;padding:.6rem .8rem}
.fu-pane h4{margin:0 0 .4rem 0;font-size:.9rem;font-weight:600}
.fu-text{white-space:pre-wrap;word-break:break-word;font-family:Georgia,'Times New Roman',serif;
  font-size:.92rem;line-height:1.55;max-height:460px;overflow-y:auto}
.fu-gap{color:#6b6b75;font-style:italic;font-family:system-ui,sans-serif;font-size:.8rem}
.fu-lean{font-weight:600;padding:.15rem .45rem;border-radius:4px;display:inline-block}
.fu-lean-for{background:#dff3e4;color:#14532d}
.fu-lean-neutral{background:#ececf1;color:#33333a}
.fu-lean-against{background:#fbe1e1;color:#7f1d1d}
.fu-prefill{font-size:.78rem;background:#eef3ff;color:#1e3a8a;border:1px solid #c7d6fb;border-radius:10px;padding:0 .45rem}
.fu-diff{font-weight:700;text-decoration:underline wavy #1b1b1f;text-underline-offset:3px}
.fu-table{border-collapse:collapse;width:100%;font-size:.85rem}
.fu-table th,.fu-table td{border-bottom:1px solid rgba(128,128,128,.25);padding:.3rem .5rem;text-align:left;vertical-align:top}
.fu-table thead th{font-weight:600;color:#55555f}
.fu-table tbody th{font-weight:600;white-space:nowrap}
.fu-bar{display:inline-block;width:70px;height:8px;background:#e6e8ee;border-radius:4px;vertical-align:middle}
.fu-bar span{display:block;height:8px;background:#1f4e8c;border-radius:4px}
/* the factor page's "where it leans now" card stays in view while the questions scroll */
div[data-testid="stColumn"]:has(.fu-sticky){position:sticky;top:3.75rem;align-self:flex-start;z-index:1;
  max-height:calc(100vh - 4.5rem);overflow-y:auto}
.fu-sticky{display:none}
</style>
"""


@dataclass(frozen=True)
class Mark:
    """A span to mark in one text: [start, end), its kind and its passage number (1-based)."""

    start: int
    end: int
    kind: str
    number: int


def esc(text: object) -> str:
    """Escape user text for HTML (quotes included, so it is safe in attributes too)."""
    return html.escape(str(text), quote=True)


def badge(kind: str, number: int) -> str:
    return f'<span class="fu-badge fu-{kind}-b" aria-hidden="true">{KIND_SHORT.get(kind, "?")}{number}</span>'


def passage_name(kind: str, number: int) -> str:
    return f"{KIND_SHORT.get(kind, '?')}{number} · {KIND_LABEL.get(kind, kind)}"


def legend_html(counts: dict[str, int] | None = None) -> str:
    """The key to the marks, with counts: words, not just colours."""
    items = []
    for kind in ("verbatim", "near_verbatim", "paraphrase"):
        n = f" ({counts.get(kind, 0)})" if counts is not None else ""
        chip = f'<span class="fu-badge fu-{kind}-b" aria-hidden="true">{KIND_SHORT[kind]}</span>'
        items.append(
            f'<span>{chip}<span class="fu-mark fu-{kind}">{KIND_LABEL[kind]}</span>{n}: {KIND_MEANING[kind]}</span>'
        )
    return '<div class="fu-legend" role="note" aria-label="Key to the marked passages">' + "".join(items) + "</div>"


def marks_for(passages: Sequence[TextPassage], side: str) -> list[Mark]:
    """Marks for one side ('generated' or 'source'), numbered in the report's order."""
    out = []
    for i, p in enumerate(passages, start=1):
        span = p.generated if side == "generated" else p.source
        if span.end > span.start:
            out.append(Mark(span.start, span.end, p.kind, i))
    return out


def _non_overlapping(marks: Iterable[Mark], length: int) -> list[Mark]:
    """Sort marks and clip overlaps, so nested or crossing spans never produce broken HTML."""
    result: list[Mark] = []
    pos = 0
    for m in sorted(marks, key=lambda m: (m.start, -(m.end - m.start))):
        start, end = max(m.start, pos), min(m.end, length)
        if end <= start:
            continue
        result.append(Mark(start, end, m.kind, m.number))
        pos = end
    return result


def marked_text_html(text: str, marks: Iterable[Mark], selected: int | None = None) -> str:
    """The text, escaped, with each passage wrapped in a labelled mark.

    Long texts are cut to excerpts around the marks (with a note of how much is not shown).
    """
    ms = _non_overlapping(marks, len(text))
    excerpt = len(text) > FULL_TEXT_MAX_CHARS
    pieces: list[str] = []
    pos = 0

    def plain(a: int, b: int) -> None:
        if b <= a:
            return
        chunk = text[a:b]
        if excerpt and len(chunk) > 2 * EXCERPT_CONTEXT_CHARS + 40:
            head = chunk[:EXCERPT_CONTEXT_CHARS] if a > 0 else ""
            tail = chunk[-EXCERPT_CONTEXT_CHARS:] if b < len(text) else ""
            skipped = len(chunk) - len(head) - len(tail)
            pieces.append(esc(head))
            pieces.append(f'<span class="fu-gap"> … [{skipped:,} characters not shown] … </span>')
            pieces.append(esc(tail))
        else:
            pieces.append(esc(chunk))

    for m in ms:
        plain(pos, m.start)
        sel = " fu-selected" if selected == m.number else ""
        label = f"{KIND_LABEL.get(m.kind, m.kind)} passage {KIND_SHORT.get(m.kind, '?')}{m.number}"
        pieces.append(
            f'<mark class="fu-mark fu-{m.kind}{sel}" title="{esc(label)}" aria-label="{esc(label)}">'
            f"{badge(m.kind, m.number)}{esc(text[m.start : m.end])}</mark>"
        )
        pos = m.end
    plain(pos, len(text))
    return "".join(pieces)


def side_by_side_html(
    generated_text: str,
    source_text: str,
    passages: Sequence[TextPassage],
    *,
    selected: int | None = None,
    generated_title: str = "Generated work",
    source_title: str = "Suspected source",
) -> str:
    """Both texts in two panes, every passage marked and labelled on both sides."""
    left = marked_text_html(generated_text, marks_for(passages, "generated"), selected)
    right = marked_text_html(source_text, marks_for(passages, "source"), selected)
    return (
        '<div class="fu-pair">'
        f'<section class="fu-pane" aria-label="{esc(generated_title)}"><h4>{esc(generated_title)}</h4>'
        f'<div class="fu-text" tabindex="0">{left}</div></section>'
        f'<section class="fu-pane" aria-label="{esc(source_title)}"><h4>{esc(source_title)}</h4>'
        f'<div class="fu-text" tabindex="0">{right}</div></section>'
        "</div>"
    )


DIFF_MAX_WORDS = defaults.APP_DIFF_MAX_WORDS  # longer pairs are shown without word differences, and say so


_FOLD = str.maketrans({"“": '"', "”": '"', "„": '"', "‘": "'", "’": "'", "‚": "'", "–": "-", "—": "-", "−": "-"})


def _fold(word: str) -> str:
    """Compare words as the engine does: typographic quotes and dashes are not edits."""
    import unicodedata

    return unicodedata.normalize("NFKC", word).translate(_FOLD)


class WordDiff(NamedTuple):
    """A near-verbatim pair with the differing words marked on each side, and how many differ."""

    generated_html: str
    source_html: str
    differing: int


def _diff_html(a: str, b: str) -> WordDiff | None:
    """Both sides with the words that differ wrapped in ``fu-diff`` spans; None when too long."""
    import difflib
    import re

    ta, tb = re.findall(r"\S+|\s+", a), re.findall(r"\S+|\s+", b)
    if len(ta) > 2 * DIFF_MAX_WORDS or len(tb) > 2 * DIFF_MAX_WORDS:
        return None
    wa = [_fold(t) for t in ta if not t.isspace()]
    wb = [_fold(t) for t in tb if not t.isspace()]
    sm = difflib.SequenceMatcher(a=wa, b=wb, autojunk=False)
    diff_a: set[int] = set()
    diff_b: set[int] = set()
    for tag, i1, i2, j1, j2 in sm.get_opcodes():
        if tag != "equal":
            diff_a.update(range(i1, i2))
            diff_b.update(range(j1, j2))

    def render(tokens: list[str], diff: set[int]) -> str:
        out, w = [], 0
        for t in tokens:
            if t.isspace():
                out.append(esc(t))
                continue
            out.append(f'<span class="fu-diff" title="differs">{esc(t)}</span>' if w in diff else esc(t))
            w += 1
        return "".join(out)

    return WordDiff(render(ta, diff_a), render(tb, diff_b), len(diff_a) + len(diff_b))


def passage_pair_html(passage: TextPassage, number: int, *, generated_title: str, source_title: str) -> str:
    """One passage and its pair, side by side, with what it is in words.

    For near-verbatim passages the words that differ are shown in bold with a wavy underline,
    so the small edits are visible at a glance (not by colour).
    """
    kind = passage.kind
    left, right = esc(passage.generated_text), esc(passage.source_text)
    note = ""
    if kind == "near_verbatim":
        d = _diff_html(passage.generated_text, passage.source_text)
        if d is not None:
            left, right, n = d.generated_html, d.source_html, d.differing
            note = (
                f'<div class="fu-gap">{figures.count(n, "word")} {"differs" if n == 1 else "differ"}, shown <span class="fu-diff">like this</span>.</div>'
                if n
                else ""
            )
        else:
            note = '<div class="fu-gap">Too long to show word-by-word differences.</div>'
    head = (
        f"{badge(kind, number)} <strong>{KIND_LABEL.get(kind, kind)}</strong>, "
        f"{passage.words} words, similarity {passage.similarity:.2f}"
        + (f", pair verifier {passage.verified:.2f}" if getattr(passage, "verified", None) is not None else "")
    )
    mark = f'<mark class="fu-mark fu-{kind}">'
    return (
        f'<div style="margin:.25rem 0 .5rem 0">{head}{note}</div><div class="fu-pair">'
        f'<section class="fu-pane"><h4>{esc(generated_title)} '
        f'<span class="fu-gap">(characters {passage.generated.start:,}–{passage.generated.end:,})</span></h4>'
        f'<div class="fu-text">{mark}{left}</mark></div></section>'
        f'<section class="fu-pane"><h4>{esc(source_title)} '
        f'<span class="fu-gap">(characters {passage.source.start:,}–{passage.source.end:,})</span></h4>'
        f'<div class="fu-text">{mark}{right}</mark></div></section></div>'
    )


def lean_html(lean: str, label: str) -> str:
    """A factor's lean as a chip: arrow symbol + words + colour (never colour alone)."""
    return (
        f'<span class="fu-lean {LEAN_CLASS.get(lean, "fu-lean-neutral")}">'
        f'<span aria-hidden="true">{LEAN_SYMBOL.get(lean, "●")}</span> {esc(label)}</span>'
    )


def parts_table_html(parts) -> str:
    """The substitution risk's parts as a plain table: value as a number and a bar, weight, source."""
    rows = []
    for p in parts:
        if p.value is None:
            val = '<span class="fu-gap">unknown</span>'
        else:
            w = max(0.0, min(1.0, float(p.value))) * 100
            val = f'<span class="fu-bar" aria-hidden="true"><span style="width:{w:.0f}%"></span></span> {p.value:.2f}'
        rows.append(
            f"<tr><th scope='row'>{esc(p.name)}</th><td>{val}</td><td>{p.weight:g}</td>"
            f"<td>{esc(p.source)}</td><td>{esc(p.explanation)}</td></tr>"
        )
    return (
        '<table class="fu-table"><thead><tr><th scope="col">part</th><th scope="col">value (0–1)</th>'
        '<th scope="col">weight</th><th scope="col">from</th><th scope="col">meaning</th></tr></thead><tbody>'
        + "".join(rows)
        + "</tbody></table>"
    )


def prefill_chip() -> str:
    return f'<span class="fu-prefill">{esc(labels.label("origin", "measured").capitalize())}</span>'
