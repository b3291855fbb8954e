"""Placeholder for the quotes stage (replaced by its own issue's work)."""
from ..core import Article

NAME = "quotes"
NEEDS = ("text", "sentences")
ADDS = ("quotes",)


def run(article: Article) -> Article:
    return article
