"""Pictures the project draws itself, deterministically from a seed.

They are free to redistribute (we made them), need no download, and cover what the
bundled photographs do not: flat graphics, gradients, noise textures and "paintings" made of
brush strokes in a chosen palette. Used by the style background set (``background_build.py``),
the copy-detection benchmark (``benchmarks/copydetect``), the samples and the tests.

``painting(seed, palette=…, stroke=…)`` with the same palette and stroke but different
seeds gives two different pictures in one style: the "same style only" case.
"""

from __future__ import annotations

import numpy as np

PALETTES: dict[str, list[tuple[int, int, int]]] = {
    "impression": [(52, 90, 150), (230, 200, 90), (240, 240, 220), (80, 140, 90), (200, 110, 60), (120, 170, 210)],
    "nocturne": [(15, 20, 50), (40, 60, 110), (230, 210, 120), (90, 100, 140), (10, 10, 20), (200, 180, 90)],
    "autumn": [(150, 60, 20), (220, 140, 40), (90, 50, 30), (240, 210, 150), (60, 80, 40), (180, 90, 60)],
    "pastel": [(250, 210, 220), (200, 230, 250), (220, 250, 210), (250, 240, 200), (210, 200, 240), (255, 255, 255)],
    "bauhaus": [(220, 40, 40), (30, 60, 160), (250, 200, 30), (20, 20, 20), (240, 235, 220), (120, 120, 120)],
}


def _rng(seed: int) -> np.random.Generator:
    return np.random.default_rng(seed)


def _colour(rng: np.random.Generator, palette: list[tuple[int, int, int]] | None = None) -> tuple[int, int, int]:
    if palette:
        c = np.array(palette[rng.integers(len(palette))], dtype=np.int64) + rng.integers(-18, 19, 3)
        r, g, b = (int(v) for v in np.clip(c, 0, 255))
        return (r, g, b)
    r, g, b = (int(v) for v in rng.integers(0, 256, 3))
    return (r, g, b)


def gradient(seed: int, size: tuple[int, int] = (512, 512)) -> np.ndarray:
    """A linear or radial two-colour gradient with soft bands and a few shapes."""
    import cv2

    rng = _rng(seed)
    w, h = size
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float64)
    if rng.random() < 0.5:
        ang = rng.uniform(0, np.pi)
        t = xx * np.cos(ang) + yy * np.sin(ang)
    else:
        cx, cy = rng.uniform(0, w), rng.uniform(0, h)
        t = np.hypot(xx - cx, yy - cy)
    t = (t - t.min()) / max(t.max() - t.min(), 1e-9)
    t = t + 0.08 * np.sin(t * rng.uniform(6, 20))
    c1, c2 = np.array(_colour(rng), float), np.array(_colour(rng), float)
    img = (c1[None, None] * (1 - t[..., None]) + c2[None, None] * t[..., None]).clip(0, 255).astype(np.uint8)
    for _ in range(rng.integers(2, 6)):
        cv2.circle(
            img,
            (int(rng.integers(0, w)), int(rng.integers(0, h))),
            int(rng.integers(10, w // 5)),
            _colour(rng),
            -1,
            cv2.LINE_AA,
        )
    return img


def shapes(seed: int, size: tuple[int, int] = (512, 512), n: int | None = None) -> np.ndarray:
    """Flat graphics: rectangles, circles, polygons, lines and a little text on a gradient."""
    import cv2

    rng = _rng(seed)
    w, h = size
    img = gradient(seed + 7919, size)
    for _ in range(n or int(rng.integers(25, 45))):
        kind = rng.integers(0, 5)
        c = _colour(rng)
        x, y = int(rng.integers(0, w)), int(rng.integers(0, h))
        if kind == 0:
            cv2.rectangle(img, (x, y), (x + int(rng.integers(10, w // 3)), y + int(rng.integers(10, h // 3))), c, -1)
        elif kind == 1:
            cv2.circle(img, (x, y), int(rng.integers(5, w // 8)), c, -1, cv2.LINE_AA)
        elif kind == 2:
            pts = rng.integers(-60, 61, (int(rng.integers(3, 7)), 2)) + np.array([x, y])
            cv2.fillPoly(img, [pts.astype(np.int32)], c, cv2.LINE_AA)
        elif kind == 3:
            cv2.line(
                img, (x, y), (int(rng.integers(0, w)), int(rng.integers(0, h))), c, int(rng.integers(1, 6)), cv2.LINE_AA
            )
        else:
            word = "".join(chr(int(v)) for v in rng.integers(65, 91, int(rng.integers(3, 8))))
            cv2.putText(img, word, (x, y), cv2.FONT_HERSHEY_SIMPLEX, float(rng.uniform(0.5, 1.6)), c, 2, cv2.LINE_AA)
    return img


def noise_texture(seed: int, size: tuple[int, int] = (512, 512)) -> np.ndarray:
    """Multi-octave filtered noise, coloured through a random three-colour ramp."""
    import cv2

    rng = _rng(seed)
    w, h = size
    acc = np.zeros((h, w), np.float64)
    for octave in range(5):
        s = 2 ** (octave + 2)
        small = rng.standard_normal((max(2, h // (64 // min(s, 32))), max(2, w // (64 // min(s, 32)))))
        acc += cv2.resize(small, (w, h), interpolation=cv2.INTER_CUBIC) / (octave + 1)
    acc = (acc - acc.min()) / max(acc.max() - acc.min(), 1e-9)
    cols = np.array([_colour(rng) for _ in range(3)], float)
    t = acc[..., None]
    img = np.where(t < 0.5, cols[0] * (1 - 2 * t) + cols[1] * (2 * t), cols[1] * (2 - 2 * t) + cols[2] * (2 * t - 1))
    return img.clip(0, 255).astype(np.uint8)


def painting(
    seed: int,
    size: tuple[int, int] = (512, 512),
    *,
    palette: str | None = None,
    stroke: tuple[int, int] = (6, 28),
    strokes: int = 2500,
) -> np.ndarray:
    """Brush strokes along a smooth flow field, in a palette: a synthetic 'painting'.

    The composition (a few large colour masses) comes from the seed; the style (palette,
    stroke width and length) from the arguments.
    """
    import cv2

    rng = _rng(seed)
    w, h = size
    pal = PALETTES[palette] if palette else [_colour(rng) for _ in range(6)]
    # underpainting: large blobs of palette colours
    img = np.zeros((h, w, 3), np.uint8)
    img[:] = pal[0]
    for _ in range(12):
        cv2.ellipse(
            img,
            (int(rng.integers(0, w)), int(rng.integers(0, h))),
            (int(rng.integers(w // 10, w // 2)), int(rng.integers(h // 10, h // 2))),
            float(rng.uniform(0, 180)),
            0,
            360,
            _colour(rng, pal),
            -1,
            cv2.LINE_AA,
        )
    base = img.copy()
    fx = cv2.resize(rng.standard_normal((4, 4)), (w, h), interpolation=cv2.INTER_CUBIC)
    for _ in range(strokes):
        x, y = int(rng.integers(0, w)), int(rng.integers(0, h))
        ang = fx[y, x] * np.pi
        length = rng.uniform(stroke[1] * 0.5, stroke[1])
        dx, dy = np.cos(ang) * length, np.sin(ang) * length
        c = np.array(base[y, x], dtype=np.int64) + rng.integers(-30, 31, 3)
        if rng.random() < 0.25:
            c = np.array(_colour(rng, pal))
        cv2.line(
            img,
            (int(x - dx), int(y - dy)),
            (int(x + dx), int(y + dy)),
            tuple(int(v) for v in np.clip(c, 0, 255)),
            int(rng.integers(max(1, stroke[0] // 2), stroke[0] + 1)),
            cv2.LINE_AA,
        )
    return img


def landscape(seed: int, size: tuple[int, int] = (512, 512)) -> np.ndarray:
    """Sky, sun, layered hills and trees: a simple scene with a clear layout."""
    import cv2

    rng = _rng(seed)
    w, h = size
    sky_top, sky_bot = np.array(_colour(rng), float), np.array(_colour(rng), float)
    t = np.linspace(0, 1, h)[:, None, None]
    img = np.broadcast_to(sky_top * (1 - t) + sky_bot * t, (h, w, 3)).astype(np.uint8).copy()
    cv2.circle(
        img,
        (int(rng.integers(w // 8, w - w // 8)), int(rng.integers(h // 10, h // 3))),
        int(rng.integers(20, 60)),
        _colour(rng),
        -1,
        cv2.LINE_AA,
    )
    for layer in range(4):
        base_y = int(h * (0.45 + 0.13 * layer))
        xs = np.linspace(0, w, 12)
        ys = base_y + rng.integers(-h // 10, h // 10, len(xs))
        pts = np.vstack([np.column_stack([xs, ys]), [[w, h], [0, h]]]).astype(np.int32)
        cv2.fillPoly(img, [pts], _colour(rng), cv2.LINE_AA)
        for _ in range(int(rng.integers(3, 10))):
            tx = int(rng.integers(0, w))
            ty = base_y + int(rng.integers(-10, 30))
            th = int(rng.integers(20, 70))
            cv2.rectangle(img, (tx - 3, ty), (tx + 3, ty + th // 3), (70, 50, 30), -1)
            tri = np.array([[tx - th // 4, ty], [tx + th // 4, ty], [tx, ty - th]], np.int32)
            cv2.fillPoly(img, [tri], _colour(rng), cv2.LINE_AA)
    noise = rng.normal(0, 4, img.shape)
    return np.clip(img + noise, 0, 255).astype(np.uint8)


GENERATORS = {
    "shapes": shapes,
    "gradient": gradient,
    "noise_texture": noise_texture,
    "painting": painting,
    "landscape": landscape,
}


def generate(kind: str, seed: int, size: tuple[int, int] = (512, 512)) -> np.ndarray:
    return GENERATORS[kind](seed, size)


def city(seed: int, size: tuple[int, int] = (512, 512)) -> np.ndarray:
    """A skyline: a sky gradient, buildings of several depths with lit window grids."""
    import cv2

    rng = _rng(seed)
    w, h = size
    top, bot = np.array(_colour(rng), float), np.array(_colour(rng), float)
    t = np.linspace(0, 1, h)[:, None, None]
    img = np.broadcast_to(top * (1 - t) + bot * t, (h, w, 3)).astype(np.uint8).copy()
    for layer in range(3):
        x = int(rng.integers(-w // 10, 0))
        shade = 0.5 + 0.25 * layer
        while x < w:
            bw = int(rng.integers(w // 16, w // 5))
            bh = int(rng.integers(h // 5, int(h * (0.45 + 0.15 * layer))))
            base = np.array(_colour(rng), float) * shade
            y0 = h - bh
            cv2.rectangle(img, (x, y0), (x + bw, h), tuple(int(v) for v in base), -1)
            win = max(3, bw // int(rng.integers(5, 9)))
            lit = np.array(_colour(rng), float)
            for wy in range(y0 + win, h - win, 2 * win):
                for wx in range(x + win // 2, x + bw - win, 2 * win):
                    if rng.random() < 0.6:
                        c = lit if rng.random() < 0.7 else base * 0.6
                        cv2.rectangle(img, (wx, wy), (wx + win - 1, wy + win - 1), tuple(int(v) for v in c), -1)
            x += bw + int(rng.integers(0, w // 30))
    noise = rng.normal(0, 3, img.shape)
    return np.clip(img + noise, 0, 255).astype(np.uint8)


def mosaic(seed: int, size: tuple[int, int] = (512, 512)) -> np.ndarray:
    """Voronoi cells, each a colour with its own stripes or speckle: a tiled mosaic."""
    import cv2

    rng = _rng(seed)
    w, h = size
    n = int(rng.integers(25, 70))
    pts = rng.uniform(0, 1, (n, 2)) * [w, h]
    yy, xx = np.mgrid[0:h, 0:w]
    d = (xx[..., None] - pts[:, 0]) ** 2 + (yy[..., None] - pts[:, 1]) ** 2
    lab = d.argmin(axis=2)
    cols = np.array([_colour(rng) for _ in range(n)], float)
    img = cols[lab]
    freq = rng.uniform(0.05, 0.4, n)
    ang = rng.uniform(0, np.pi, n)
    stripes = np.sin((xx * np.cos(ang[lab]) + yy * np.sin(ang[lab])) * freq[lab])
    img = img * (1 + 0.18 * stripes[..., None])
    edges = cv2.Laplacian(lab.astype(np.float32), cv2.CV_32F) != 0
    img[edges] = img[edges] * 0.3
    return np.clip(img + rng.normal(0, 4, img.shape), 0, 255).astype(np.uint8)


def poster(seed: int, size: tuple[int, int] = (512, 512)) -> np.ndarray:
    """A poster: a textured backdrop, a large title, a framed panel of drawn shapes, small print."""
    import cv2

    rng = _rng(seed)
    w, h = size
    img = noise_texture(seed + 101, size)
    img = (img.astype(np.float32) * 0.6 + np.array(_colour(rng), float) * 0.4).astype(np.uint8)
    panel = shapes(seed + 202, (w * 2 // 3, h // 2), n=20)
    x0, y0 = int(rng.integers(w // 12, w // 4)), int(rng.integers(h // 4, h // 3))
    img[y0 : y0 + panel.shape[0], x0 : x0 + panel.shape[1]] = panel
    cv2.rectangle(img, (x0 - 4, y0 - 4), (x0 + panel.shape[1] + 4, y0 + panel.shape[0] + 4), _colour(rng), 6)
    word = "".join(chr(int(v)) for v in rng.integers(65, 91, int(rng.integers(5, 9))))
    cv2.putText(img, word, (w // 16, h // 6), cv2.FONT_HERSHEY_TRIPLEX, w / 300.0, _colour(rng), 4, cv2.LINE_AA)
    for i in range(6):
        line = "".join(chr(int(v)) for v in rng.integers(97, 123, int(rng.integers(12, 30))))
        y = int(h * 0.82) + i * max(10, h // 40)
        cv2.putText(img, line, (w // 16, y), cv2.FONT_HERSHEY_PLAIN, w / 600.0, (20, 20, 20), 1, cv2.LINE_AA)
    return img


def scene_view(seed: int, view: float, size: tuple[int, int] = (512, 512)) -> np.ndarray:
    """One photograph of a 3-D scene, taken from camera position ``view`` (0 or about 1).

    The scene (hills and trees at several depths, a sun) is fixed by the seed; the camera
    moves sideways and forwards with ``view``, so near things shift and grow more than far
    ones (parallax), and the light, the clouds and the sensor noise are those of another
    moment. Two views of one seed are the "same scene, another viewpoint" hard negative.
    """
    import cv2

    rng = _rng(seed)
    moment = _rng(seed * 7 + int(view * 1000) + 1)
    w, h = size
    sky_top, sky_bot = np.array(_colour(rng), float), np.array(_colour(rng), float)
    t = np.linspace(0, 1, h)[:, None, None]
    img = np.broadcast_to(sky_top * (1 - t) + sky_bot * t, (h, w, 3)).astype(np.float64).copy()
    for _ in range(int(moment.integers(3, 8))):  # clouds of this moment
        cx, cy = int(moment.integers(0, w)), int(moment.integers(0, h // 3))
        cv2.ellipse(
            img, (cx, cy), (int(moment.integers(30, 90)), int(moment.integers(8, 25))), 0, 0, 360, (235,) * 3, -1
        )
    img = np.asarray(cv2.GaussianBlur(img, (0, 0), 3), dtype=np.float64)
    shift, zoom = 60.0 * view, 1.0 + 0.25 * view
    layers = 6
    for layer in range(layers):
        depth = 1.0 + 2.0 * (layers - 1 - layer)  # far layers first
        par = 1.0 / depth
        s = 1.0 + (zoom - 1.0) * par * 2
        horizon = h * (0.4 + 0.09 * layer)
        xs = np.linspace(-w, 2 * w, 40)
        ys = horizon + rng.integers(-h // 12, h // 12, len(xs))
        px = (xs - w / 2) * s + w / 2 - shift * par * 3
        py = (ys - h / 2) * s + h / 2
        colour = np.array(_colour(rng), float)
        pts = np.vstack([np.column_stack([px, py]), [[3 * w, 2 * h], [-2 * w, 2 * h]]]).astype(np.int32)
        cv2.fillPoly(img, [pts], tuple(colour), cv2.LINE_AA)
        for _ in range(int(rng.integers(6, 14))):
            tx, th = float(rng.uniform(-w * 0.5, w * 1.5)), float(rng.uniform(20, 80)) / depth**0.5
            ty = horizon + float(rng.uniform(-5, 25))
            qx = (tx - w / 2) * s + w / 2 - shift * par * 3
            qy = (ty - h / 2) * s + h / 2
            tc = _colour(rng)
            tri = np.array([[qx - th * s / 3, qy], [qx + th * s / 3, qy], [qx, qy - th * s]], np.int32)
            cv2.rectangle(img, (int(qx - 2), int(qy)), (int(qx + 2), int(qy + th * s / 3)), (70, 50, 30), -1)
            cv2.fillPoly(img, [tri], tc, cv2.LINE_AA)
    light = moment.uniform(0.8, 1.15, 3)
    img = img * light + moment.normal(0, 5, img.shape)
    return np.clip(img, 0, 255).astype(np.uint8)


GENERATORS.update({"city": city, "mosaic": mosaic, "poster": poster})
