"""Cleaning placeholder (the spine's own work replaces it)."""
from ..core import Article

NAME = "clean"
NEEDS = ("text",)
ADDS = ("text", "agencies", "dateline")


def run(article: Article) -> Article:
    return article
