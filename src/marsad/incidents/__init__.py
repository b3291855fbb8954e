"""Incidents: the reports of one happening across articles, and what their sources say.

- ``wire``: near-duplicate articles (one agency text republished) by MinHash/LSH; a copy
  is linked to its original and counts once as evidence.
- ``build``: events of different articles that report the same happening grouped into
  incidents, incrementally and independently of arrival order.
- ``sources``: per incident, killed and injured as low / best / high with the source of
  each figure, updates told apart from contradictions, and a ``contested`` flag with its
  reasons.
"""
from .build import IncidentIndex, Report, reports_of
from .sources import Incident, summarise
from .wire import WireIndex

__all__ = ["Incident", "IncidentIndex", "Report", "WireIndex", "reports_of", "summarise"]
