"""Numbers: every count in the text, with its kind, counted noun and toll status.

Fills ``article.numbers`` with ``core.NumberSpan`` (see marsad/numbers.py for
what is read and which numbers are flagged as not tolls). The events stage
takes its casualty counts from here.
"""
from ..core import Article
from ..numbers import find_numbers, view_of

NAME = "numbers"
REQUIRES = ("text", "sentences")
ASSIGNS = ("numbers",)


def run(article: Article) -> Article:
    article.numbers = find_numbers(article.text, view_of(article.text))
    return article
