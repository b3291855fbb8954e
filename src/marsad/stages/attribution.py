"""Placeholder for the attribution stage (sources and status of events, from quotes)."""
from ..core import Article

NAME = "attribution"
NEEDS = ("events", "quotes")
ADDS = ("events",)


def run(article: Article) -> Article:
    return article
