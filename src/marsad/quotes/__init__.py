"""Quotations and their speakers (the quotes stage's machinery)."""
from .extract import extract

__all__ = ["extract"]
