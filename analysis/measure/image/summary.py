"""The readable summary of an image comparison, as the CLI prints it."""

from __future__ import annotations

from analysis.evidence import ComparisonReport


def _fmt_value(sig) -> str:
    if not sig.computed:
        return "not computed"
    v = "n/a" if sig.value is None else (f"{sig.value:g}")
    t = "" if sig.threshold is None else f" (threshold {sig.threshold:g})"
    fired = "" if sig.fired is None else ("  FIRED" if sig.fired else "")
    return f"{v}{t}{fired}"


def format_image_summary(report: ComparisonReport, top: int = 5) -> str:
    """Verdict, region, each signal on its own line, and the runner-up.

    ``top`` limits the number of region-polygon points and evidence lines shown, so the
    summary stays short; the JSON report has everything.
    """
    img = report.image
    if img is None:
        return "\n".join(report.summary)
    v = img.verdict
    gen, src = report.inputs[0], report.inputs[1]
    lines = [
        f"Image comparison: {gen.name} ({img.generated_size[0]}x{img.generated_size[1]}) vs "
        f"{src.name} ({img.source_size[0]}x{img.source_size[1]})",
        "",
        report.summary[0] if report.summary else f"Verdict: {v.rung}",
    ]
    for e in v.evidence[: max(1, top)]:
        lines.append(f"  - {e}")
    if img.region is not None:
        r = img.region
        pts = ", ".join(f"({x:.0f}, {y:.0f})" for x, y in r.generated_polygon.points[: max(3, top)])
        more = "" if len(r.generated_polygon.points) <= max(3, top) else " …"
        lines += [
            "",
            f"Copied region: {r.source_area_share * 100:.1f} % of the source, {r.generated_area_share * 100:.1f} % of the "
            f"generated image, "
            + (
                "the whole source found by its perceptual hash"
                if r.found_by_hash
                else f"{r.inliers} verified matches{' (mirrored)' if r.mirrored else ''}"
            ),
            f"  in the generated image (pixels): {pts}{more}",
        ]
    lines += ["", "Signals (each on its own):"]
    for s in img.signals:
        lines.append(f"  {s.name:<15} {_fmt_value(s)}")
    if v.runner_up:
        lines += ["", f"Next most likely: {v.runner_up}"]
        for e in v.runner_up_evidence[: max(1, top // 2)]:
            lines.append(f"  - {e}")
    lines += [
        "",
        "Similarity is evidence for factor 3 (amount) and factor 4 (substitution), not a verdict on fair use.",
    ]
    return "\n".join(lines)
