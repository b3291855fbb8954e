"""Dates: every date and time expression, resolved against the publication date.

Fills ``article.dates`` with ``core.DateSpan`` (see marsad/dates.py for the
forms read and the resolution rules). Later stages date events and quotes
with ``marsad.dates.date_for_span`` / ``event_date``.
"""
from ..core import Article
from ..dates import find_dates
from ..numbers import view_of

NAME = "dates"
NEEDS = ("text", "sentences")
ADDS = ("dates",)


def run(article: Article) -> Article:
    article.dates = find_dates(article.text, article.published, view_of(article.text))
    return article
