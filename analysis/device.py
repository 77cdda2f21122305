"""Pick the compute device: cuda, then mps, then cpu (the sentence-transformers habit)."""

from __future__ import annotations

VALID_DEVICES = ("auto", "cpu", "cuda", "mps")


def resolve_device(requested: str | None = "auto") -> str:
    """Return a concrete torch device string.

    ``auto`` (or ``None``) picks ``cuda`` when available, then ``mps``, then ``cpu``.
    An explicit device is returned as given (``cuda:1`` included) after a check that
    torch can see it, so a typo fails early with a clear message.
    """
    from analysis.errors import InputError

    req = (requested or "auto").strip().lower()
    base = req.split(":", 1)[0]
    if base not in VALID_DEVICES:
        raise InputError(f"unknown device {requested!r}; use one of {', '.join(VALID_DEVICES)}")
    try:
        import torch
    except ImportError:  # pragma: no cover - torch is a dependency, but keep the rules engine usable
        return "cpu"
    if base == "auto":
        if torch.cuda.is_available():
            return "cuda"
        mps = getattr(torch.backends, "mps", None)
        if mps is not None and mps.is_available():
            return "mps"
        return "cpu"
    if base == "cuda" and not torch.cuda.is_available():
        raise InputError("device 'cuda' was requested but torch sees no CUDA GPU; use --device cpu or auto")
    if base == "mps":
        mps = getattr(torch.backends, "mps", None)
        if mps is None or not mps.is_available():
            raise InputError("device 'mps' was requested but it is not available; use --device cpu or auto")
    return req
