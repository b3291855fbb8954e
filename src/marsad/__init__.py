"""marsad (مرصد): Arabic news reports to structured, geocoded event data."""
from .core import Article, Entity, Event, Place, Quote, Span

__all__ = ["Article", "Entity", "Event", "Place", "Quote", "Span", "__version__"]
__version__ = "0.1.0"
