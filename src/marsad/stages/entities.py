"""Named entities: people, organisations and places, grouped per article.

The recogniser (``marsad.ner``: a CRF trained by scripts/train_ner.py) tags the
tokens of each sentence; mentions of one entity are grouped (بشار الاسد …
الاسد) with offsets on every mention and attached clitics left outside
(وبغداد → بغداد). The model loads once per process, on first use.
"""
from ..core import Article
from ..ner import recognize

NAME = "entities"
NEEDS = ("text", "sentences")
ADDS = ("entities",)


def run(article: Article) -> Article:
    article.entities = recognize(article.text, article.sentences)
    return article
