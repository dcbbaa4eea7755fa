"""Shared infrastructure for Mini-InstaPay services.

Infrastructure only: no domain models live here (see docs/ARCHITECTURE.md).
"""
