"""Placeholder for the dates stage (replaced by its own issue's work)."""
from ..core import Article

NAME = "dates"
NEEDS = ("text", "sentences")
ADDS = ("dates",)


def run(article: Article) -> Article:
    return article
