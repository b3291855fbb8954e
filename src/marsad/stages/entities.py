"""Named entities: people, organisations and places, grouped per article.

The recogniser (``marsad.ner``: a CRF trained by scripts/train_ner.py, or with
``Options(ner="accurate")`` the e5 tagger mixed with the CRF) tags the
tokens of each sentence; mentions of one entity are grouped (بشار الاسد …
الاسد) with offsets on every mention and attached clitics left outside
(وبغداد → بغداد). The model loads once per process, on first use.
"""
from typing import Callable

from ..core import Article
from ..ner import recognize
from ..options import VARIANTS as _VARIANTS, Options, default

NAME = "entities"
REQUIRES = ("text", "sentences")
ASSIGNS = ("entities",)
VARIANTS = _VARIANTS["ner"]   # chosen by Options.ner


def build(options: Options) -> Callable[[Article], Article]:
    """The stage with the tagger ``options.ner`` (crf or accurate)."""
    model = options.ner

    def run_with(article: Article) -> Article:
        article.entities = recognize(article.text, article.sentences, model=model)
        return article
    return run_with


def run(article: Article) -> Article:
    return build(default())(article)
