"""A look at a memo without opening it: its first page as a PNG (poppler's ``pdftoppm``)."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path


def first_page_png(pdf: bytes, dpi: int = 90) -> bytes | None:
    """The PDF's first page as PNG bytes, or None when pdftoppm is not installed or fails."""
    exe = shutil.which("pdftoppm")
    if not exe:
        return None
    with tempfile.TemporaryDirectory() as tmp:
        pdf_path = Path(tmp) / "memo.pdf"
        pdf_path.write_bytes(pdf)
        try:
            subprocess.run(
                [exe, "-png", "-r", str(dpi), "-f", "1", "-l", "1", "-singlefile", str(pdf_path), str(Path(tmp) / "p")],
                check=True,
                capture_output=True,
                timeout=30,
            )
        except (subprocess.SubprocessError, OSError):
            return None
        out = Path(tmp) / "p.png"
        return out.read_bytes() if out.is_file() else None
