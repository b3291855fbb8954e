"""Placeholder for the places stage (replaced by its own issue's work)."""
from ..core import Article

NAME = "places"
NEEDS = ("text", "sentences")
ADDS = ("places",)


def run(article: Article) -> Article:
    return article
