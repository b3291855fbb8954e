"""Quotes: who said what, direct (« » " " “ ”) and reported (قال، أكد، بحسب …).

Fills ``article.quotes`` with core.Quote records: the statement's span without
its cue, the speaker (linked to an entity when a mention overlaps it), whether
it is a quotation, and the day it was made. See marsad.quotes.extract.
"""
from ..core import Article
from ..quotes import extract

NAME = "quotes"
REQUIRES = ("text", "sentences", "entities")
ASSIGNS = ("quotes",)


def run(article: Article) -> Article:
    article.quotes = extract(article)
    return article
