"""Raw measurements of one pair, and the fused copy score.

``measure_pair`` runs the four classical signals on precomputed ``ImageFeatures`` and
returns numbers only; ``verdict.py`` turns them into worded ``ImageSignal`` records and
the verdict ladder. The benchmark calls ``measure_pair`` and ``copy_score`` directly, so
what it measures is exactly what the product reports.

The fused copy score is the larger of two calibrated evidences: near-duplicate (pHash
distance) and region copy (guarded inliers). Each is a logistic curve that crosses 0.5
exactly at its threshold in ``analysis.defaults``, so "score >= 0.5" is the product's
own decision "this is a copy (near-duplicate or partial)". Composition and style never
raise it: same layout or same style is not copying. A verified region whose matches also
fit a second, different plane (parallax: the same 3-D scene photographed from elsewhere)
is held below 0.5: pixels of a shared subject are not copied expression.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from analysis import defaults
from analysis.measure.image.composition import composition_ssim
from analysis.measure.image.features import ImageFeatures, min_phash_distance
from analysis.measure.image.region import RegionMatch, find_region, whole_in_region
from analysis.measure.image.style import percentile_closer, style_distance


@dataclass
class PairMeasurement:
    phash_distance: int
    phash_transform: int
    region: RegionMatch | None
    ssim: float
    ssim_aligned: bool
    ssim_percentile: float
    style_distance: float
    style_parts: dict[str, float]
    style_percentile: float
    deep_cosine: float | None = None
    phash_informative: bool = True  # False when a picture is (nearly) one flat colour

    @property
    def phash_fired(self) -> bool:
        return self.phash_informative and self.phash_distance <= defaults.IMAGE_PHASH_MAX_DISTANCE

    @property
    def inliers(self) -> int:
        return 0 if self.region is None else self.region.inliers

    @property
    def region_verified(self) -> bool:
        return self.region is not None and self.region.verified

    @property
    def second_plane(self) -> bool:
        """The matches fit two different planes: a 3-D scene seen twice, not a flat copy."""
        return self.region_verified and self.region is not None and self.region.second_plane_inliers > 0


def _sigmoid(x: float) -> float:
    return 1.0 / (1.0 + math.exp(-x))


def phash_evidence(distance: int, threshold: int | None = None) -> float:
    """0..1, crossing 0.5 between the threshold distance and the next one up."""
    limit = defaults.IMAGE_PHASH_MAX_DISTANCE if threshold is None else threshold
    return _sigmoid((limit + 0.5 - distance) / 1.5)


def region_evidence(inliers: int) -> float:
    """0..1, crossing 0.5 between one inlier below the threshold and the threshold."""
    return _sigmoid((inliers - (defaults.IMAGE_MIN_INLIERS - 0.5)) / 3.0)


def region_strength(m: PairMeasurement) -> float:
    """The region evidence: from the guarded inliers, or, for the whole source found in a
    proposed region by its hash, from that hash distance (crossing 0.5 at its threshold)."""
    reg = region_evidence(m.inliers)
    r = m.region
    if r is not None and r.phash_distance is not None:
        reg = max(reg, phash_evidence(r.phash_distance, defaults.IMAGE_PROPOSAL_PHASH_MAX_DISTANCE))
    return reg


def copy_score(m: PairMeasurement) -> float:
    """The fused verdict score: >= 0.5 means a copy rung (near-duplicate or partial copy)."""
    ph = phash_evidence(m.phash_distance) if m.phash_informative else 0.0
    reg = region_strength(m)
    if m.second_plane:
        # two planes: a scene photographed again; a pHash within a few bits would still be
        # the same picture, anything looser is the same scene's layout
        return max(min(max(ph, reg), SCENE_CAP), ph if m.phash_distance <= SCENE_PHASH_KEEP else 0.0)
    return max(ph, reg)


SCENE_CAP = 0.45  # the region evidence of a two-plane (parallax) match: below the copy line
SCENE_PHASH_KEEP = 2  # pHash distance at or below which a two-plane pair is still the same picture


def measure_pair(generated: ImageFeatures, source: ImageFeatures, *, localise: bool = True) -> PairMeasurement:
    from analysis.measure.image import background

    bg = background.load()
    d, t = min_phash_distance(generated, source)
    region = find_region(generated, source, localise=localise)
    informative = min(generated.spread, source.spread) >= defaults.IMAGE_FLAT_STD
    if (region is None or not region.verified) and informative and d > defaults.IMAGE_PHASH_MAX_DISTANCE:
        # no keypoint match and not the same picture: is the whole source one part of it?
        region = whole_in_region(generated, source) or region
    H = region.homography if region is not None and region.verified else None
    ssim, aligned = composition_ssim(generated, source, H)
    sd, parts = style_distance(generated.style, source.style)
    return PairMeasurement(
        phash_distance=d,
        phash_transform=t,
        region=region,
        ssim=ssim,
        ssim_aligned=aligned,
        ssim_percentile=percentile_closer(ssim, bg["ssim"], smaller_is_closer=False),
        style_distance=sd,
        style_parts=parts,
        style_percentile=percentile_closer(sd, bg["style_distances"], smaller_is_closer=True),
        # a flat picture's pHash is all zeros whatever its colour: two blank images would "match"
        phash_informative=informative,
    )


def composition_threshold() -> float:
    """The SSIM value at ``IMAGE_COMPOSITION_PERCENTILE`` of the background set."""
    from analysis.measure.image import background

    return float(np.percentile(background.load()["ssim"], defaults.IMAGE_COMPOSITION_PERCENTILE))
