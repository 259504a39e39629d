"""Seed steps of the goals app (300-399)."""
