"""Placeholder for the entities stage (replaced by its own issue's work)."""
from ..core import Article

NAME = "entities"
NEEDS = ("text", "sentences")
ADDS = ("entities",)


def run(article: Article) -> Article:
    return article
