"""marsad's annotated Arabic event corpus (docs/annotation.md): references, loader, scorer.

The corpus is stored by reference: ``eval/corpus/articles.tsv`` names each article by
its SaudiNewsNet url, and ``eval/corpus/ann/*.json`` hold annotations as character
offsets into the article's ``content`` field. The text itself (CC BY-NC-SA) is read
from ``../shared/data/saudinewsnet`` when the corpus is loaded and never committed.
"""
from .source import CorpusArticle, load_articles


__all__ = ["CorpusArticle", "load_articles"]
