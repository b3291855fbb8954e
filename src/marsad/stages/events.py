"""Placeholder for the events stage (replaced by its own issue's work)."""
from ..core import Article

NAME = "events"
NEEDS = ("text", "sentences")
ADDS = ("events",)


def run(article: Article) -> Article:
    return article
