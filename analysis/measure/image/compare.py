"""Compare a generated image with a suspected source: the image engine's entry points.

``compare_image_paths`` and ``compare_image_bytes`` return one ``ComparisonReport``
(``kind="image"``) with each signal reported separately (near-duplicate, region copy,
composition, style, optional deep embedding), the verdict ladder's rung with its evidence
and runner-up, the copied region as polygons in both originals' pixels, figures, and the
``EvidenceFacts`` digest the four-factor engine reads:

* ``share_of_source_taken``: the share of the source's area reproduced (factor 3's
  "amount"): the region's source share for a partial copy, the whole (1.0, or the region
  share for a crop: a match verified without the perceptual hash, or a region that fills
  more of the generated picture than of the source) for a near-duplicate, 0 otherwise;
* ``share_of_generated_copied``: the share of the generated picture the copy occupies;
* ``expression_delivered``: how much of the source's *expression* the generated picture
  delivers: equal to the share taken for the copy rungs, and 0 for same composition, same
  style or unrelated, because layout and style alone are not protected expression;
* ``style_similarity``: the style percentile / 100 (against unrelated pairs);
* ``semantic_similarity``: the deep embedding's cosine when a model was configured;
* ``copy_kind``: the rung; ``heart_taken``: None (the engine cannot tell which part of a
  picture is its heart; the questionnaire asks the user).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np

from analysis import defaults
from analysis.evidence import (
    ComparisonReport,
    EvidenceFacts,
    ImageComparison,
    ImageRegion,
    ImageSignal,
    InputRecord,
    ModelRecord,
    Polygon,
)
from analysis.ingest.image import LoadedImage, load_image, max_image_pixels
from analysis.ingest.limits import max_file_bytes, require_file

ProgressCallback = Callable[[float, str], None]

RUNG_WORDS = {
    "near_duplicate": "near-duplicate: the whole picture is reproduced",
    "partial_copy": "partial copy: a region of the source appears in the generated picture",
    "same_composition": "same composition only: a similar layout, no copied detail",
    "same_style_only": "same style only: similar palette and texture, no copied content",
    "unrelated": "unrelated: no copy, layout or style resemblance beyond chance",
}


SCENE_NOTE = (
    "The matches fit two different flat transforms ({n1} and {n2} keypoints; the first misplaces the second set by "
    "{shift:.0f} px): near and far things moved differently, as in two photographs of one 3-D scene taken from "
    "different places. Pixels of a shared subject are not copied expression, so the region is not counted as a copy."
)


def thresholds_snapshot() -> dict[str, float | int | str | bool | None]:
    from analysis.measure.image.signals import composition_threshold

    return {
        "image_analysis_max_side": defaults.IMAGE_ANALYSIS_MAX_SIDE,
        "image_max_keypoints": defaults.IMAGE_MAX_KEYPOINTS,
        "image_ratio_test": defaults.IMAGE_RATIO_TEST,
        "image_ransac_reproj_px": defaults.IMAGE_RANSAC_REPROJ_PX,
        "image_max_scale_change": defaults.IMAGE_MAX_SCALE_CHANGE,
        "image_min_inliers": defaults.IMAGE_MIN_INLIERS,
        "image_fine_max_side": defaults.IMAGE_FINE_MAX_SIDE,
        "image_second_plane_min_inliers": defaults.IMAGE_SECOND_PLANE_MIN_INLIERS,
        "image_second_plane_min_shift_px": defaults.IMAGE_SECOND_PLANE_MIN_SHIFT_PX,
        "image_phash_max_distance": defaults.IMAGE_PHASH_MAX_DISTANCE,
        "image_whole_cover_share": defaults.IMAGE_WHOLE_COVER_SHARE,
        "image_crop_min_share_gap": defaults.IMAGE_CROP_MIN_SHARE_GAP,
        "image_composition_percentile": defaults.IMAGE_COMPOSITION_PERCENTILE,
        "image_composition_ssim": round(composition_threshold(), 4),
        "image_style_percentile": defaults.IMAGE_STYLE_PERCENTILE,
        "image_deep_threshold": defaults.IMAGE_DEEP_THRESHOLD,
        "max_image_pixels": max_image_pixels(),
        "max_file_bytes": max_file_bytes(),
    }


def _deep_signal(
    gen: LoadedImage, src: LoadedImage, model: str | None, device: str, progress
) -> tuple[ImageSignal, list[ModelRecord], str]:
    from analysis.measure.image.deep import configured_model

    spec = configured_model(model)
    if spec is None:
        return (
            ImageSignal(
                name="deep_embedding",
                computed=False,
                meaning=(
                    "Not computed: no image model configured. Give --image-model (a TorchScript copy-detection model "
                    f"such as SSCD, or a CLIP/DINOv2 folder) or set {defaults.IMAGE_MODEL_ENV}."
                ),
                threshold_source="",
            ),
            [],
            "cpu",
        )
    from analysis.device import resolve_device
    from analysis.measure.image.deep import cosine, load_embedder

    dev = resolve_device(device)
    if progress:
        progress(0.6, f"embedding with {Path(spec).name or spec}")
    emb = load_embedder(spec, dev)
    vecs = emb.embed([gen.analysis, src.analysis])
    cos = cosine(vecs[0], vecs[1])
    sig = ImageSignal(
        name="deep_embedding",
        computed=True,
        value=round(cos, 4),
        threshold=defaults.IMAGE_DEEP_THRESHOLD,
        fired=cos >= defaults.IMAGE_DEEP_THRESHOLD,
        meaning=(
            f"Cosine similarity of the two pictures' embeddings from {emb.name} ({emb.kind}). Supporting evidence only: "
            "it says the pictures are alike to this model, not where or what was copied."
        ),
        threshold_source="analysis.defaults.IMAGE_DEEP_THRESHOLD (SSCD README: cosine > 0.75 = copy at 90 % precision for sscd_disc_mixup; a rough guide for other models)",
        detail={"model": emb.name, "kind": emb.kind, "dimensions": int(vecs.shape[1])},
    )
    rec = ModelRecord(role="image-embedding", name=emb.name, source=emb.source, version=emb.version, device=dev)
    return sig, [rec], dev


def _region_record(match, gen: LoadedImage, src: LoadedImage) -> ImageRegion | None:
    if match is None or match.generated_polygon is None or match.source_polygon is None:
        return None
    if not match.verified or len(match.source_polygon) < 3:
        return None
    gw, gh = gen.original_size
    sw, sh = src.original_size
    gp = np.clip(gen.to_original(match.generated_polygon), 0, [gw, gh])
    sp = np.clip(src.to_original(match.source_polygon), 0, [sw, sh])
    return ImageRegion(
        source_polygon=Polygon(points=[(round(float(x), 1), round(float(y), 1)) for x, y in sp]),
        generated_polygon=Polygon(points=[(round(float(x), 1), round(float(y), 1)) for x, y in gp]),
        source_area_share=round(min(1.0, max(0.0, match.source_area_share)), 4),
        generated_area_share=round(min(1.0, max(0.0, match.generated_area_share)), 4),
        inliers=match.inliers,
        mirrored=match.mirrored,
        source_hull_area_share=round(min(1.0, max(0.0, match.hull_source_area_share)), 4),
        detector=match.detector,
    )


def compare_loaded(
    gen: LoadedImage,
    src: LoadedImage,
    *,
    device: str = "auto",
    model: str | None = None,
    progress: ProgressCallback | None = None,
    figures: bool = True,
) -> ComparisonReport:
    """Compare two already loaded images (the path and bytes entry points end here)."""
    from analysis.measure.image.features import extract
    from analysis.measure.image.figures import overlay, side_by_side
    from analysis.measure.image.signals import measure_pair
    from analysis.measure.image.verdict import RUNG_ORDER_NOTE, build_signals, decide

    def step(frac: float, msg: str) -> None:
        if progress:
            progress(frac, msg)

    step(0.15, "extracting features of the generated image")
    gf = extract(gen.analysis, original=gen.rgb)
    step(0.3, "extracting features of the source image")
    sf = extract(src.analysis, original=src.rgb)
    step(0.45, "matching hashes, keypoints, layout and style")
    m = measure_pair(gf, sf)
    deep, models, used_device = _deep_signal(gen, src, model, device, progress)
    if deep.computed:
        m.deep_cosine = deep.value
    signals = build_signals(m, deep)
    verdict, score = decide(m, deep)
    region = _region_record(m.region, gen, src)
    step(0.8, "drawing figures")
    figs = []
    if figures:
        shown = m.region if region is not None else None
        figs.append(side_by_side(gf, sf, shown))
        if shown is not None:
            figs.append(overlay(gf, sf, shown))
    notes = [RUNG_ORDER_NOTE, f"Fused copy score {score:.3f} (0.5 or more means a copy rung)."]
    if m.second_plane and m.region is not None:
        notes.append(
            SCENE_NOTE.format(n1=m.region.inliers, n2=m.region.second_plane_inliers, shift=m.region.second_plane_shift)
        )
    for img, role in ((gen, "generated"), (src, "source")):
        if img.scale < 1:
            notes.append(
                f"The {role} image ({img.original_size[0]}x{img.original_size[1]}) was analysed at {img.analysis_size[0]}x{img.analysis_size[1]}; regions are given in its original pixels."
            )
        for n in img.notes:
            notes.append(f"{role} image: {n}.")
    for feats, role in ((gf, "generated"), (sf, "source")):
        if feats.spread < defaults.IMAGE_FLAT_STD:
            notes.append(
                f"The {role} picture is (nearly) one flat colour: there is almost no expression to compare, "
                "and the hash, layout and style signals say little."
            )
    facts = _facts(verdict.rung, region, m, deep)
    facts.fused_score = round(score, 4)
    summary = _summary_sentences(verdict, region, m, deep)
    facts.summary = summary[0]
    report = ComparisonReport(
        kind="image",
        inputs=[
            InputRecord(
                role="generated",
                name=gen.name,
                sha256=gen.sha256,
                bytes=gen.bytes,
                kind="image",
                media_type=gen.media_type,
                detail=gen.detail(),
            ),
            InputRecord(
                role="source",
                name=src.name,
                sha256=src.sha256,
                bytes=src.bytes,
                kind="image",
                media_type=src.media_type,
                detail=src.detail(),
            ),
        ],
        models=models,
        device=used_device,
        thresholds=thresholds_snapshot(),
        image=ImageComparison(
            generated_size=gen.original_size,
            source_size=src.original_size,
            signals=signals,
            region=region,
            verdict=verdict,
            fused_score=round(score, 4),
            figures=figs,
            notes=notes,
        ),
        facts=facts,
        summary=summary,
    )
    step(1.0, "done")
    return report


def _facts(rung: str, region: ImageRegion | None, m, deep: ImageSignal) -> EvidenceFacts:
    if rung == "near_duplicate":
        if region is not None and (
            not m.phash_fired
            or region.generated_area_share - region.source_area_share >= defaults.IMAGE_CROP_MIN_SHARE_GAP
        ):  # a crop: its region's shares
            taken, occupied = region.source_area_share, region.generated_area_share
        else:
            taken, occupied = 1.0, 1.0
    elif rung == "partial_copy" and region is not None:
        taken, occupied = region.source_area_share, region.generated_area_share
    else:
        taken, occupied = 0.0, 0.0
    return EvidenceFacts(
        medium="image",
        share_of_source_taken=round(taken, 4),
        share_of_generated_copied=round(occupied, 4),
        heart_score=None,
        heart_taken=None,
        expression_delivered=round(taken, 4),
        semantic_similarity=deep.value if deep.computed else None,
        style_similarity=round(min(1.0, max(0.0, m.style_percentile / 100.0)), 4),
        copy_kind=rung,
    )


def _summary_sentences(verdict, region: ImageRegion | None, m, deep: ImageSignal) -> list[str]:
    from analysis.measure.image.verdict import COMPOSITION_CAVEAT, PARALLAX_NOTE, STYLE_CAVEAT, parallax_suspected

    out = [f"Verdict: {RUNG_WORDS[verdict.rung]} (confidence {verdict.confidence})."]
    if region is not None:
        out.append(
            f"The matched region is {region.source_area_share * 100:.0f} % of the source's area and occupies "
            f"{region.generated_area_share * 100:.0f} % of the generated image ("
            + (
                "the whole source found by its perceptual hash in one picture set apart there"
                if region.found_by_hash
                else f"{region.inliers} verified matches{', mirrored' if region.mirrored else ''}"
            )
            + ")."
        )
    if verdict.rung in ("near_duplicate", "partial_copy") and parallax_suspected(m) and m.region is not None:
        note = PARALLAX_NOTE.format(pct=100.0 * m.region.inliers / m.region.matches, matches=m.region.matches)
        out.append("Caution: " + note + ".")
    if m.phash_informative:
        out.append(
            f"Perceptual-hash distance {m.phash_distance}/64 (near-duplicate at {defaults.IMAGE_PHASH_MAX_DISTANCE} or less)."
        )
    else:
        out.append("Perceptual hash not informative: a picture is (nearly) one flat colour.")
    out.append(f"Layout: closer than {m.ssim_percentile:.0f} % of unrelated pairs. {COMPOSITION_CAVEAT}")
    out.append(f"Style: closer than {m.style_percentile:.0f} % of unrelated pairs. {STYLE_CAVEAT}")
    if deep.computed:
        out.append(f"Deep embedding cosine {deep.value:.3f} (threshold {deep.threshold}).")
    else:
        out.append("Deep embedding: not computed (no image model configured).")
    if verdict.runner_up:
        out.append(f"Next most likely: {RUNG_WORDS[verdict.runner_up]}.")
    return out


def compare_image_paths(
    generated: Path | str,
    source: Path | str,
    *,
    device: str = "auto",
    model: str | None = None,
    progress: ProgressCallback | None = None,
) -> ComparisonReport:
    """Compare two image files. Bad input raises an ``InputError`` subclass."""
    # both checked before either is decoded
    gen_p, src_p = require_file(generated, "an image file"), require_file(source, "an image file")
    if progress:
        progress(0.02, "reading images")
    gen = load_image(gen_p, gen_p.name)
    src = load_image(src_p, src_p.name)
    return compare_loaded(gen, src, device=device, model=model, progress=progress)


def compare_image_bytes(
    generated: bytes,
    source: bytes,
    *,
    generated_name: str,
    source_name: str,
    device: str = "auto",
    model: str | None = None,
    progress: ProgressCallback | None = None,
) -> ComparisonReport:
    """Compare two images given as bytes (the app's uploads)."""
    if progress:
        progress(0.02, "reading images")
    gen = load_image(generated, generated_name)
    src = load_image(source, source_name)
    return compare_loaded(gen, src, device=device, model=model, progress=progress)
