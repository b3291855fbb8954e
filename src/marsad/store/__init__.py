"""Stores: the ``Store`` protocol and query objects (``base``) and the backends behind them.

``open_store(target)`` picks the backend from the target: a path (or ``:memory:``)
is a SQLite file, a ``postgresql://`` URL a PostgreSQL database (``postgres``:
``pip install 'marsad[postgres]'``). Another backend is one more entry in
``BACKENDS`` implementing ``base.Store``; nothing else changes.
"""
from __future__ import annotations

from pathlib import Path
from typing import Callable

from ..errors import OptionsError
from .base import (AGGREGATES, FACETS, INCIDENT_ORDERS, MAX_LIMIT, ORDERS, EventQuery, Hit, IncidentQuery, Page,
                   Store, Summary)
from .sqlite import SQLiteStore


def _postgres(url: str) -> Store:
    # imported when asked for: psycopg is an optional extra
    try:
        from .postgres import PostgresStore
    except ImportError as e:
        raise OptionsError(f"a postgresql:// store needs psycopg 3: pip install 'marsad[postgres]' ({e})") from None
    return PostgresStore(url)


def _sqlite(url: str) -> Store:
    return SQLiteStore(url.partition("://")[2].removeprefix("/") or ":memory:")


# URL schemes of backends, each a factory from the whole URL to a Store.
BACKENDS: dict[str, Callable[[str], Store]] = {"sqlite": _sqlite, "postgresql": _postgres, "postgres": _postgres}


def is_url(target: str | Path) -> bool:
    """Whether ``target`` names a store by URL (a scheme of two letters or more) rather than a path."""
    scheme, sep, _ = str(target).partition("://")
    return bool(sep) and len(scheme) >= 2


def open_store(target: str | Path = "marsad.db") -> Store:
    """The store at ``target``: ``sqlite:///path`` or a plain path is SQLite (the default);
    ``postgresql://user:password@host:port/dbname`` is PostgreSQL."""
    t = str(target)
    if not is_url(t):          # a path (a Windows drive letter is no scheme)
        return SQLiteStore(t)
    scheme = t.partition("://")[0]
    if scheme not in BACKENDS:
        raise OptionsError(f"no store backend for {scheme}:// (known: {', '.join(BACKENDS)})")
    return BACKENDS[scheme](t)


__all__ = ["AGGREGATES", "BACKENDS", "FACETS", "INCIDENT_ORDERS", "MAX_LIMIT", "ORDERS", "EventQuery", "Hit",
           "IncidentQuery", "Page", "SQLiteStore", "Store", "Summary", "is_url", "open_store"]
