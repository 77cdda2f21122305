"""The readable summary ``fairuse compare`` prints for two texts.

Headline metrics first, each with one line saying what it means, then the top passages
side by side (generated | source), each marked verbatim, near-verbatim or paraphrase.
Plain text, fixed width, so it reads the same in a terminal, a log or an e-mail.
"""

from __future__ import annotations

import shutil
import textwrap

from analysis import figures
from analysis.evidence import ComparisonReport, TextPassage

_MARK = {"verbatim": "VERBATIM", "near_verbatim": "NEAR-VERBATIM", "paraphrase": "PARAPHRASE"}
_ORDER = {"verbatim": 0, "near_verbatim": 1, "paraphrase": 2}
_MAX_PASSAGE_CHARS = 400


def _pct(x: float | None) -> str:
    if x is None:
        return "n/a"
    return f"{x * 100:5.1f}%"


def _num(x: float | None) -> str:
    return "n/a" if x is None else f"{x:.2f}"


def _clip(text: str, limit: int = _MAX_PASSAGE_CHARS) -> str:
    flat = " ".join(text.split())
    if len(flat) <= limit:
        return flat
    cut = flat[:limit].rsplit(" ", 1)[0]
    return f"{cut} … [+{len(flat) - len(cut)} chars]"


def _side_by_side(p: TextPassage, width: int) -> list[str]:
    col = max(20, (width - 3) // 2)
    left = textwrap.wrap(_clip(p.generated_text), col) or [""]
    right = textwrap.wrap(_clip(p.source_text), col) or [""]
    rows = max(len(left), len(right))
    left += [""] * (rows - len(left))
    right += [""] * (rows - len(right))
    return [f"{a:<{col}} | {b}" for a, b in zip(left, right)]


def format_text_summary(report: ComparisonReport, top: int = 5) -> str:
    """Headline metrics with their meanings, then the ``top`` passages side by side."""
    if report.text is None:
        return "\n".join(report.summary)
    m = report.text.metrics
    gen = next((i for i in report.inputs if i.role == "generated"), None)
    src = next((i for i in report.inputs if i.role == "source"), None)
    width = min(120, max(60, shutil.get_terminal_size((100, 20)).columns))
    out: list[str] = []
    out.append(f"Generated: {gen.name if gen else '?'} ({m.generated_words:,} words)")
    out.append(f"Source:    {src.name if src else '?'} ({m.source_words:,} words)")
    out.append(f"Strongest form of copying: {report.facts.copy_kind.replace('_', '-')}")
    out.append("")
    rows = [
        (
            "Verbatim share of generated",
            _pct(m.generated_share_verbatim),
            f"words inside {m.verbatim_count} exact shared {figures.noun(m.verbatim_count, 'passage')} of {report.thresholds.get('min_words', 8)}+ words",
        ),
        (
            "Near-verbatim share",
            _pct(m.generated_share_near_verbatim),
            f"words inside {m.near_verbatim_count} lightly edited copied {figures.noun(m.near_verbatim_count, 'passage')}",
        ),
        (
            "Paraphrase share",
            _pct(m.generated_share_paraphrase),
            f"words inside {m.paraphrase_count} {figures.noun(m.paraphrase_count, 'passage')} restating the source in other words",
        ),
        (
            "Source reproduced",
            _pct(m.source_share_reproduced),
            "share of the source's words copied verbatim or near-verbatim (factor 3: amount)",
        ),
        ("Source paraphrased", _pct(m.source_share_paraphrased), "share of the source's words restated by paraphrase"),
        ("Longest passage", f"{m.longest_passage_words:>5} w", "longest verbatim or near-verbatim passage, in words"),
        (
            "Heart of the work",
            _pct(m.heart_score),
            "share of the source's most central sentences that were taken (Harper & Row)",
        ),
        (
            "Meaning similarity",
            f"{_num(m.semantic_similarity):>6}",
            "cosine of the mean sentence embeddings; same topic scores high too",
        ),
        (
            "Style similarity",
            f"{_num(m.style_similarity):>6}",
            "function-word profiles (unrelated English prose ~0.8-0.9); style is not protected, shown for factor 4",
        ),
    ]
    for label, value, meaning in rows:
        out.append(f"  {label:<28} {value:>7}  {meaning}")
    if report.summary:
        out.append("")
        out.extend(textwrap.wrap(" ".join(report.summary), width))
    # longest first: the passages that matter most for factor 3's amount; verbatim before
    # paraphrase at equal length
    passages = sorted(report.text.passages, key=lambda p: (-p.words, _ORDER[p.kind]))[: max(0, top)]
    if passages:
        out.append("")
        total = len(report.text.passages)
        out.append(f"Top {len(passages)} of {figures.count(total, 'passage')}: generated | source")
        for i, p in enumerate(passages, 1):
            out.append("")
            sim = (
                "exact"
                if p.kind == "verbatim"
                else (
                    f"edit similarity {p.similarity:.2f}" if p.kind == "near_verbatim" else f"score {p.similarity:.2f}"
                )
            )
            out.append(
                f"[{i}] {_MARK[p.kind]}, {p.words} words, {sim}; generated chars {p.generated.start}-{p.generated.end}, "
                f"source chars {p.source.start}-{p.source.end}"
            )
            out.extend(_side_by_side(p, width))
    if report.text.notes:
        out.append("")
        out.extend(f"Note: {n}" for n in report.text.notes)
    out.append("")
    out.append("Similarity is evidence for factors 3 and 4, not a finding of infringement or of fair use.")
    return "\n".join(out)
