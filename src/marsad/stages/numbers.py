"""Placeholder for the numbers stage (replaced by its own issue's work)."""
from ..core import Article

NAME = "numbers"
NEEDS = ("text", "sentences")
ADDS = ("numbers",)


def run(article: Article) -> Article:
    return article
