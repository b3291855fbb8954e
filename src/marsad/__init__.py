"""marsad (مرصد): Arabic news reports to structured, geocoded event data."""
from .core import Article, Entity, Event, Place, Quote, Span

__all__ = ["Article", "Entity", "Event", "Place", "Quote", "Span", "__version__", "process"]
__version__ = "0.1.0"


def process(text: str | Article, published: str | None = None, *, title: str | None = None,
            url: str | None = None, outlet: str | None = None, id: str | None = None,
            options=None) -> Article:
    """Run the shipped pipeline on one article: its body ``text`` (or an ``Article``), with the
    publication date ``published`` (YYYY-MM-DD) that relative dates resolve against. The result's
    ``to_json()`` is the record of docs/OUTPUT.md; ``options`` (``marsad.options.Options``) picks
    component variants as the CLI does. The pipeline loads its models on first use."""
    from .pipeline import process as run

    if isinstance(text, Article):
        return run(text, options=options)
    article = Article(text=text, id=id, published=published, title=title, url=url, outlet=outlet)
    if published:
        article.published_source = "input"
    return run(article, options=options)
