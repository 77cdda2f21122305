"""From measurements to worded signals and the verdict ladder.

The ladder, from most to least serious (the law treats each differently):

1. ``near_duplicate`` — the whole picture is reproduced (pHash within threshold over the
   eight flips and rotations, or a verified region covering most of both pictures);
2. ``partial_copy`` — a verified region of the source appears in the generated picture;
3. ``same_composition`` — same layout (SSIM of thumbnails high against unrelated pairs),
   no copied detail: same layout is not copying;
4. ``same_style_only`` — palette and texture unusually close, nothing else: style is not
   protectable by itself, but relevant to market substitution;
5. ``unrelated``.

Each rung gets its evidence in words, and the runner-up rung with its own evidence, so a
reader sees how close the call was.
"""

from __future__ import annotations

from analysis import defaults
from analysis.evidence import ImageSignal, ImageVerdict
from analysis.measure.image.background import load as load_background
from analysis.measure.image.features import DIHEDRAL_NAMES
from analysis.measure.image.signals import (
    SCENE_CAP,
    PairMeasurement,
    composition_threshold,
    copy_score,
    phash_evidence,
    region_strength,
)

COMPOSITION_CAVEAT = "Same layout is not copying: composition and arrangement ideas are not protected by themselves."
RUNG_ORDER_NOTE = (
    "Verdict ladder, most to least serious: near-duplicate, partial copy, same composition, same style only, "
    "unrelated. Only the first two are copying; the others are reported because they matter to market substitution."
)
STYLE_CAVEAT = "Style is not protectable by itself, but it is relevant to market substitution and dilution (factor 4)."


PARALLAX_NOTE = (
    "only {pct:.0f} % of the {matches} matched keypoints fit one flat transform: consistent with a second "
    "photograph of the same scene from a slightly different viewpoint (parallax) rather than a copy of the "
    "picture itself; a shared subject is not copied expression, so ask whether the generated picture could "
    "be an independent photograph"
)


# How each keypoint pass (features.py, region.find_region) is named to a reader.
_DETECTOR_WORDS = {
    "sift": "local features",
    "orb": "binary local features, for a flat graphic",
    "sift-mirrored": "local features of the mirrored picture",
    "sift-fine": "local features at a finer resolution, for a small copy",
    "sift-regions": "local features of one picture set apart in the generated image (on a page, in a collage)",
    "phash-region": "the perceptual hash of one picture set apart in the generated image (on a page, in a collage)",
    "sift-coarse": "local features of smoothed copies, for a restyled picture",
    "sift-gradient": "local features of edge maps, for a restyled picture",
    "sift-lines": "local features of line drawings of both, for a restyled picture",
}


def detector_words(detector: str | None) -> str:
    """Reader's words for the keypoint pass that verified a match."""
    return _DETECTOR_WORDS.get(detector or "", detector or "local features")


def parallax_suspected(m: PairMeasurement) -> bool:
    """Many good matches, but a clear share of them off the single homography: a 3-D scene
    seen twice, not a flat picture copied (which fits one transform almost exactly)."""
    r = m.region
    if r is None or not m.region_verified or r.matches < defaults.IMAGE_PARALLAX_MIN_MATCHES:
        return False
    return r.inliers / max(r.matches, 1) < defaults.IMAGE_PARALLAX_INLIER_RATIO


def build_signals(m: PairMeasurement, deep: ImageSignal) -> list[ImageSignal]:
    bg = load_background()
    ph_fired = m.phash_fired
    r = m.region
    comp_thr = composition_threshold()
    sigs = [
        ImageSignal(
            name="near_duplicate",
            computed=True,
            value=float(m.phash_distance),
            threshold=float(defaults.IMAGE_PHASH_MAX_DISTANCE),
            fired=ph_fired,
            meaning=(
                f"Perceptual-hash (pHash) distance {m.phash_distance} of 64 bits, best over the eight flips and "
                f"rotations ({DIHEDRAL_NAMES[m.phash_transform]}). 0 means the same picture; unrelated pictures are "
                "near 32. It survives re-encoding, resizing, colour changes and small overlays, not crops."
                + (
                    ""
                    if m.phash_informative
                    else " Not informative here: a picture is (nearly) one flat colour, whose hash is the same whatever the colour."
                )
            ),
            threshold_source=(
                "analysis.defaults.IMAGE_PHASH_MAX_DISTANCE, set below the smallest distance (14) seen among the 6,384 "
                "unrelated pairs of benchmarks/copydetect; on the shipped background set "
                f"{bg['phash_false_positive_rate_at_threshold'] * 100:.2f} % of unrelated pairs fall within it"
            ),
            detail={
                "transform": DIHEDRAL_NAMES[m.phash_transform],
                "bits": 64,
                "informative": m.phash_informative,
                "evidence": round(phash_evidence(m.phash_distance), 4) if m.phash_informative else 0.0,
            },
        ),
        ImageSignal(
            name="region_copy",
            computed=True,
            value=float(m.inliers),
            threshold=float(defaults.IMAGE_MIN_INLIERS),
            fired=m.region_verified,
            meaning=(
                "Keypoints of the two pictures that match one-to-one and agree on one geometric transform "
                "(RANSAC homography with sanity guards). A verified match means a region of the source appears in "
                "the generated picture, possibly moved, scaled, rotated or mirrored. Pixels alone cannot tell a copy "
                "from a second photograph of the same scene taken from almost the same place."
                + (
                    f" The region covers {r.source_area_share * 100:.0f} % of the source and "
                    f"{r.generated_area_share * 100:.0f} % of the generated picture."
                    if m.region_verified and r is not None
                    else ""
                )
                + (
                    f" Here the whole source was found instead by its perceptual hash in one picture set apart in the "
                    f"generated image (distance {r.phash_distance}/64, threshold "
                    f"{defaults.IMAGE_PROPOSAL_PHASH_MAX_DISTANCE})."
                    if r is not None and r.phash_distance is not None
                    else ""
                )
            ),
            threshold_source=(
                "analysis.defaults.IMAGE_MIN_INLIERS, calibrated on benchmarks/copydetect; on the shipped background "
                f"set {bg['region_false_positive_rate_at_threshold'] * 100:.2f} % of unrelated pairs reach it"
            ),
            detail={
                "detector": None if r is None else r.detector,
                "matches": 0 if r is None else r.matches,
                "mirrored": False if r is None else r.mirrored,
                "source_area_share": None if r is None or not m.region_verified else round(r.source_area_share, 4),
                "generated_area_share": None
                if r is None or not m.region_verified
                else round(r.generated_area_share, 4),
                "inlier_ratio": None if r is None or not r.matches else round(r.inliers / r.matches, 4),
                "parallax_suspected": parallax_suspected(m),
                "evidence": round(region_strength(m), 4),
            },
        ),
        ImageSignal(
            name="composition",
            computed=True,
            value=round(m.ssim, 4),
            threshold=round(comp_thr, 4),
            fired=m.ssim_percentile >= defaults.IMAGE_COMPOSITION_PERCENTILE,
            meaning=(
                f"Structural similarity (SSIM) of blurred 48 px grey thumbnails"
                f"{', after aligning the source by the matched transform' if m.ssim_aligned else ''}: "
                f"higher than for {m.ssim_percentile:.0f} % of unrelated pairs. It measures layout only. "
                + COMPOSITION_CAVEAT
            ),
            threshold_source=(
                f"the {defaults.IMAGE_COMPOSITION_PERCENTILE:.0f}th percentile of SSIM over {bg['pairs_unordered']} "
                "unrelated pairs of the shipped background set (analysis.defaults.IMAGE_COMPOSITION_PERCENTILE)"
            ),
            detail={"percentile": round(m.ssim_percentile, 1), "aligned": m.ssim_aligned},
        ),
        ImageSignal(
            name="style",
            computed=True,
            value=round(m.style_percentile / 100.0, 4),
            threshold=defaults.IMAGE_STYLE_PERCENTILE / 100.0,
            fired=m.style_percentile >= defaults.IMAGE_STYLE_PERCENTILE,
            meaning=(
                f"Palette and texture statistics are closer than for {m.style_percentile:.0f} % of unrelated pairs "
                "(a percentile, not a 'style match'). " + STYLE_CAVEAT
            ),
            threshold_source=(
                f"percentile of the style distance among {bg['pairs_unordered']} unrelated pairs of the shipped background "
                "set (analysis.defaults.IMAGE_STYLE_PERCENTILE)"
            ),
            detail={
                "distance": round(m.style_distance, 4),
                **{f"distance_{k}": round(v, 4) for k, v in m.style_parts.items()},
            },
        ),
        deep,
    ]
    return sigs


def _rung_scores(m: PairMeasurement) -> dict[str, float]:
    r = m.region
    cover = 0.0
    if m.region_verified and r is not None:
        cover = min(r.source_area_share, r.generated_area_share) / defaults.IMAGE_WHOLE_COVER_SHARE
    reg = region_strength(m)
    if m.second_plane:
        reg = min(reg, SCENE_CAP)
    nd = max(
        phash_evidence(m.phash_distance) if m.phash_informative else 0.0,
        reg * min(1.0, cover) if cover >= 1.0 else reg * 0.5 * min(cover, 1.0),
    )
    copy = copy_score(m)
    return {
        "near_duplicate": nd,
        "partial_copy": reg if not (cover >= 1.0) else reg * 0.6,
        "same_composition": 0.9 * m.ssim_percentile / 100.0 * (1.0 - copy * 0.5),
        "same_style_only": 0.8 * m.style_percentile / 100.0 * (1.0 - copy * 0.5),
        "unrelated": 1.0 - max(copy, m.ssim_percentile / 100.0 * 0.9, m.style_percentile / 100.0 * 0.8),
    }


def _evidence(rung: str, m: PairMeasurement, deep: ImageSignal) -> list[str]:
    r = m.region
    out: list[str] = []
    if rung == "near_duplicate":
        if m.phash_fired:
            out.append(
                f"pHash distance {m.phash_distance}/64 ({DIHEDRAL_NAMES[m.phash_transform]}), within the near-duplicate threshold of {defaults.IMAGE_PHASH_MAX_DISTANCE}"
            )
        elif not m.phash_informative:
            out.append("pHash not informative: a picture is (nearly) one flat colour")
        else:
            out.append(
                f"pHash distance {m.phash_distance}/64, above the near-duplicate threshold of {defaults.IMAGE_PHASH_MAX_DISTANCE}"
            )
        if m.region_verified and r is not None:
            out.append(
                f"a verified match ({r.inliers} inliers) covers {r.source_area_share * 100:.0f} % of the source and {r.generated_area_share * 100:.0f} % of the generated picture"
            )
    elif rung == "partial_copy":
        if m.region_verified and r is not None and r.phash_distance is not None:
            out.append(
                f"the whole source, shrunk, is one picture set apart in the generated image (on a page, in a collage): "
                f"that part's pHash is {r.phash_distance}/64 from the source's (threshold "
                f"{defaults.IMAGE_PROPOSAL_PHASH_MAX_DISTANCE}); too little local detail for keypoint matches"
            )
            out.append(f"that part is {r.generated_area_share * 100:.0f} % of the generated picture")
        elif m.region_verified and r is not None:
            out.append(
                f"{r.inliers} geometrically verified keypoint matches ({detector_words(r.detector)}{', mirrored' if r.mirrored else ''}); threshold {defaults.IMAGE_MIN_INLIERS}"
            )
            out.append(
                f"the copied region is {r.source_area_share * 100:.0f} % of the source's area and {r.generated_area_share * 100:.0f} % of the generated picture"
            )
        else:
            out.append(
                f"only {m.inliers} verified keypoint matches, below the threshold of {defaults.IMAGE_MIN_INLIERS}"
            )
    elif rung == "same_composition":
        out.append(f"layout (thumbnail SSIM {m.ssim:.2f}) closer than {m.ssim_percentile:.0f} % of unrelated pairs")
        out.append(COMPOSITION_CAVEAT)
    elif rung == "same_style_only":
        out.append(f"palette and texture closer than {m.style_percentile:.0f} % of unrelated pairs")
        out.append(STYLE_CAVEAT)
    else:
        ph = (
            f"pHash distance {m.phash_distance}/64 > {defaults.IMAGE_PHASH_MAX_DISTANCE}"
            if m.phash_informative
            else "pHash not informative (a flat picture)"
        )
        out.append(f"no verified region ({m.inliers} inliers < {defaults.IMAGE_MIN_INLIERS}) and {ph}")
        out.append(
            f"layout closer than {m.ssim_percentile:.0f} % and style closer than {m.style_percentile:.0f} % of unrelated pairs"
        )
    if m.second_plane and r is not None:
        out.append(
            f"the matches fit two different planes ({r.inliers} and {r.second_plane_inliers} keypoints, "
            f"{r.second_plane_shift:.0f} px apart): the same 3-D scene photographed from another place, "
            "not a flat copy, so the region is not counted as copying"
        )
    if rung in ("near_duplicate", "partial_copy") and parallax_suspected(m) and r is not None:
        out.append(PARALLAX_NOTE.format(pct=100.0 * r.inliers / r.matches, matches=r.matches))
    if rung in ("near_duplicate", "partial_copy") and deep.computed and deep.value is not None:
        out.append(
            f"deep embedding cosine {deep.value:.3f} ({'above' if deep.fired else 'below'} its threshold {deep.threshold})"
        )
    return out


def decide(m: PairMeasurement, deep: ImageSignal) -> tuple[ImageVerdict, float]:
    """The rung, its confidence, the runner-up, and the fused copy score."""
    score = copy_score(m)
    r = m.region
    if score >= 0.5:
        whole = (
            m.region_verified
            and r is not None
            and min(r.source_area_share, r.generated_area_share) >= defaults.IMAGE_WHOLE_COVER_SHARE
        )
        rung = "near_duplicate" if (m.phash_fired or whole) else "partial_copy"
        confidence = "high" if score >= 0.9 else "medium" if score >= 0.7 else "low"
        if confidence == "high" and parallax_suspected(m):
            confidence = "medium"  # a second photograph of the scene would look the same
    elif m.ssim_percentile >= defaults.IMAGE_COMPOSITION_PERCENTILE:
        rung = "same_composition"
        confidence = "medium" if score < 0.2 and m.ssim_percentile >= 99 else "low"
    elif m.style_percentile >= defaults.IMAGE_STYLE_PERCENTILE:
        rung = "same_style_only"
        confidence = "medium" if score < 0.2 and m.style_percentile >= 97 else "low"
    else:
        rung = "unrelated"
        confidence = (
            "high"
            if score < 0.1 and m.style_percentile < 75 and m.ssim_percentile < 90
            else "medium"
            if score < 0.3
            else "low"
        )
    scores = _rung_scores(m)
    own = score if rung in ("near_duplicate", "partial_copy") else scores[rung]
    scores.pop(rung, None)
    runner = max(scores, key=lambda k: scores[k])
    verdict = ImageVerdict(
        strength=round(min(1.0, max(0.0, own)), 4),
        runner_up_strength=round(min(1.0, max(0.0, scores[runner])), 4),
        rung=rung,
        confidence=confidence,
        evidence=_evidence(rung, m, deep),
        runner_up=runner,
        runner_up_evidence=_evidence(runner, m, deep),
    )
    return verdict, score
