"""Dates: every date and time expression, resolved against the publication date.

Fills ``article.dates`` with ``core.DateSpan`` (see marsad/dates.py for the
forms read and the resolution rules). The events stage dates each event
from these (its ``_Context.date_of``: the nearest day in the event's sentence).
"""
from ..core import Article
from ..dates import find_dates
from ..numbers import view_of

NAME = "dates"
REQUIRES = ("text", "sentences", "published")
ASSIGNS = ("dates",)


def run(article: Article) -> Article:
    article.dates = find_dates(article.text, article.published, view_of(article.text))
    return article
