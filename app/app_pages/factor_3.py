"""Step 3 · Factor 3 of 17 U.S.C. § 107, drawn from the questionnaire data."""

from __future__ import annotations

from app.factor_view import render_factor

render_factor(3, "app_pages/factor_3.py")
