"""Sentence spans over the cleaned text, shared by every later stage."""
from ..arabic import sentences
from ..core import Article

NAME = "segment"
REQUIRES = ("text",)
ASSIGNS = ("sentences",)


def run(article: Article) -> Article:
    article.sentences = sentences(article.text)
    return article
