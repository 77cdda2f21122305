"""fairuse: a fair-use four-factor analysis assistant.

The pipeline reads from the folder names:

    analysis/ingest   -> read and normalise the works (text, images)
    analysis/measure  -> compare them with real models (text, image)
    analysis/assess   -> walk the four factors of 17 U.S.C. § 107, find precedents
    analysis/report   -> export the memo (PDF, Markdown, JSON)

Heavy libraries (torch, transformers, cv2) are imported lazily inside the
functions that need them, so the rules engine and the PDF export work without them.
"""

__version__ = "0.1.0"
