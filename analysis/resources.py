"""Find the project's bundled folders (templates, samples) in a checkout or an installed wheel.

hatchling's ``force-include`` copies ``templates/`` and ``samples/`` into the wheel under
``analysis/_bundled/`` but an editable install leaves them at the repository root, so every
caller goes through these functions instead of building paths itself.
"""

from __future__ import annotations

from pathlib import Path

_PACKAGE_DIR = Path(__file__).resolve().parent
_REPO_ROOT = _PACKAGE_DIR.parent


def _bundled(name: str) -> Path:
    for candidate in (_PACKAGE_DIR / "_bundled" / name, _REPO_ROOT / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"the {name}/ folder is missing from this installation")


def templates_dir() -> Path:
    """Memo templates (wording and section order per audience)."""
    return _bundled("templates")


def samples_dir() -> Path:
    """Sample cases shipped with the project (they double as tests)."""
    return _bundled("samples")


def data_dir() -> Path:
    """The law as data: questionnaire, case library, weights."""
    return _PACKAGE_DIR / "assess" / "data"
