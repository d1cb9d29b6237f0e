"""Rendering an analysis for people: the terminal report (terminal) and the standalone HTML report (html)."""
