"""Step 3 · Factor 4 of 17 U.S.C. § 107, drawn from the questionnaire data."""

from __future__ import annotations

from app.factor_view import render_factor

render_factor(4, "app_pages/factor_4.py")
