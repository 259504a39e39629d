"""Shared base code every app may use: domain errors, the audit trail, htmx helpers."""
