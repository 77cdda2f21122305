"""The numbers readers see, written once: one rounding, one word count, one headline.

The app's evidence page, the memo and the memo's JSON twin all show the same few figures
(how much of the source reappears, how much verbatim, how alike the meaning is). When each
sink rounded on its own, a reader saw "0.77" on one page and "0.79" on another, or 652 words
in the app and 653 in the memo. Every sink now asks here.

- ``share(x)``: a share of words as a whole percentage ("31 %"), or "under 1 %" for a
  non-zero share that rounds to 0 (so "0 %" never hides a copied passage);
- ``count(n, noun)``: a count with its noun in the right number ("1 passage", "2 passages");
  ``noun(n, noun)`` the noun alone, for a count written apart from it;
- ``similarity(x)``: a similarity on 0..1, two decimals;
- ``word_count(text)``: the words of a text exactly as the comparison counts them (the
  comparison's normalisation and tokenizer), so the works page and the memo agree;
- ``headline(report)``: the one figure a similarity report leads with, and its meaning in a
  sentence, for text and image comparisons.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from analysis.evidence import ComparisonReport


def share(x: float | None) -> str:
    """A share (0..1) as a whole percentage; "under 1 %" when it is above zero but rounds to 0."""
    if x is None:
        return "not measured"
    pct = round(float(x) * 100)
    if pct == 0 and x > 0:
        return "under 1 %"
    if pct == 100 and x < 1:
        return "over 99 %"
    return f"{pct} %"


def noun(n: int, singular: str, plural: str | None = None) -> str:
    """The noun in the right number for ``n`` things: "passage" for 1, "passages" otherwise."""
    return singular if n == 1 else (plural or singular + "s")


def count(n: int, singular: str, plural: str | None = None) -> str:
    """A count with its noun in the right number: "1 passage", "3 passages", "1,204 words"
    (never "passage(s)")."""
    return f"{n:,} {noun(n, singular, plural)}"


def similarity(x: float | None) -> str:
    """A similarity on 0..1 with two decimals (the one rounding the app and the memo use)."""
    return "not measured" if x is None else f"{float(x):.2f}"


def value_and_threshold(value: float | None, threshold: float | None) -> tuple[str, str]:
    """A measured value beside its threshold, with enough digits that a value that did not
    cross it never reads the same as the threshold ("0.642 (threshold 0.642)")."""
    if value is None or threshold is None:
        return ("–" if value is None else f"{value:.3f}", "–" if threshold is None else f"{threshold:.3f}")
    for digits in (3, 4, 5, 6):
        v, t = f"{value:.{digits}f}", f"{threshold:.{digits}f}"
        if v != t or value == threshold:
            return v, t
    return f"{value:.6g}", f"{threshold:.6g}"


def word_count(text: str) -> int:
    """The number of words in ``text`` as the text comparison counts them."""
    from analysis.ingest.text_normalise import normalise_text
    from analysis.measure.text.tokens import tokenize

    if not text.strip():
        return 0
    normalised, _ = normalise_text(text)
    return len(tokenize(normalised))


@dataclass(frozen=True)
class Headline:
    """One figure and what it means, e.g. "31 %" and "31 % of the source's words appear in the
    new work, 12 % of them word for word"."""

    figure: str
    sentence: str
    value: float

    def as_dict(self) -> dict[str, object]:
        return asdict(self)


def headline(report: ComparisonReport) -> Headline | None:
    """The headline figure of a comparison report with its meaning; None without measurements."""
    if report.text is not None:
        m = report.text.metrics
        taken = min(1.0, m.source_share_reproduced + m.source_share_paraphrased)
        if taken <= 0:
            sentence = (
                "None of the source's words were found in the new work, word for word or reworded "
                f"(meaning similarity {similarity(m.semantic_similarity)}: shared topic, not copying)."
            )
        else:
            sentence = (
                f"{share(taken)} of the source's {m.source_words:,} words appear in the new work: "
                f"{share(m.source_share_reproduced)} word for word or nearly, "
                f"{share(m.source_share_paraphrased)} reworded. The longest shared passage runs "
                f"{m.longest_passage_words:,} words."
            )
        return Headline(share(taken), sentence, taken)
    if report.image is not None:
        im = report.image
        from analysis import labels

        rung = labels.label("rung", im.verdict.rung)
        if im.region is not None:
            value = im.region.source_area_share
            sentence = (
                f"{share(value)} of the source image's area reappears in the new image "
                f"({share(im.region.generated_area_share)} of the new image). Finding: {rung}."
            )
            return Headline(share(value), sentence, value)
        value = 1.0 if im.verdict.rung == "near_duplicate" else 0.0
        if value:
            return Headline(share(value), f"The whole source image reappears in the new image. Finding: {rung}.", value)
        return Headline(share(value), f"No region of the source image was found in the new image. Finding: {rung}.", 0)
    return None
