"""Stores: the ``Store`` protocol and query objects (``base``) and the backends behind them.

``open_store(target)`` picks the backend from the target: a path (or ``:memory:``)
is a SQLite file. A server backend plugs in here by its URL scheme
(``postgresql://…``) and implements ``base.Store``; nothing else changes.
"""
from __future__ import annotations

from pathlib import Path

from ..errors import OptionsError
from .base import (AGGREGATES, FACETS, INCIDENT_ORDERS, MAX_LIMIT, ORDERS, EventQuery, Hit, IncidentQuery, Page,
                   Store, Summary)
from .sqlite import SQLiteStore

# URL schemes of backends, each a factory from the target to a Store.
BACKENDS = {"sqlite": SQLiteStore}


def open_store(target: str | Path = "marsad.db") -> Store:
    """The store at ``target``: ``sqlite:///path`` or a plain path is SQLite (the default)."""
    t = str(target)
    scheme, sep, rest = t.partition("://")
    if not sep or len(scheme) < 2:          # a path (a Windows drive letter is no scheme)
        return SQLiteStore(t)
    if scheme not in BACKENDS:
        raise OptionsError(f"no store backend for {scheme}:// (known: {', '.join(BACKENDS)})")
    return BACKENDS[scheme](rest[1:] if scheme == "sqlite" and rest.startswith("/") else rest)


__all__ = ["AGGREGATES", "BACKENDS", "FACETS", "INCIDENT_ORDERS", "MAX_LIMIT", "ORDERS", "EventQuery", "Hit",
           "IncidentQuery", "Page", "SQLiteStore",
           "Store", "Summary", "open_store"]
