"""Every threshold and default in one place, each with where its number comes from.

Edit a number here, never inline in the code that uses it. The report records the values
in force (``thresholds_snapshot``) so a memo can be reproduced.

Sections: LIMITS (input safety), TEXT (comparison of texts), IMAGE (comparison of images),
ASSESS (four-factor engine), REPORT (memo).
"""

from __future__ import annotations

# --------------------------------------------------------------------------- LIMITS
# Largest input file accepted, in bytes. Issue #2 names 20 MB as the default: a
# 1,000,000-word novel in plain text is about 6 MB, so this leaves room for PDF/DOCX
# overhead while keeping memory bounded. Overridable with FAIRUSE_MAX_FILE_BYTES.
MAX_FILE_BYTES = 20 * 1024 * 1024

# Largest image accepted, in pixels (width x height). Pillow's own decompression-bomb
# warning starts at 89,478,485 pixels (about 0.25 GB of RGBA); we stop well before, at
# 50 megapixels, which still admits a 8,000 x 6,000 camera original.
# Overridable with FAIRUSE_MAX_IMAGE_PIXELS.
MAX_IMAGE_PIXELS = 50_000_000

# --------------------------------------------------------------------------- TEXT
# Minimum length of a reported verbatim passage, in words. Issue #2 sets 8: PAN's
# baseline aligner (shared/evals/text/README.md) seeds on word 8-grams, and common
# 5-7 word phrases ("at the end of the day") are shared by unrelated texts.
TEXT_MIN_WORDS = 8

# Offline default and hub fallback for the sentence-embedding model (issue #2).
TEXT_MODEL_ENV = "FAIRUSE_TEXT_MODEL"
TEXT_MODEL_HUB_NAME = "sentence-transformers/all-MiniLM-L6-v2"

# --------------------------------------------------------------------------- IMAGE
IMAGE_MODEL_ENV = "FAIRUSE_IMAGE_MODEL"

# --------------------------------------------------------------------------- ASSESS
# The date of the law this release reflects: the newest decision in the case library
# that the engine relies on. Printed in every assessment ("law as of ...").
LAW_AS_OF = "2026-11-01"

# --------------------------------------------------------------------------- REPORT
# Longest passage quoted in a memo before it is truncated with a count of what was left out.
MEMO_MAX_PASSAGE_CHARS = 600
