"""Jinja templates of the backends (data only; the views they render are computed in Python)."""
