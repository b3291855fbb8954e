"""Event kinds: the one table of ``data/events/kinds.tsv`` as typed rows.

Everything the code needs to know about a kind (its ACLED and PLOVER mapping, family,
whether it is violent, carries tolls or is split per place, which kinds can be one
incident, the part it plays in a rule) is a column of that table. Code asks this module
("the kinds that carry tolls", "the kind a death without its form is") and never names a
kind itself, so a new kind is a row of the table plus its triggers (docs/ARCHITECTURE.md).

    from marsad import kinds
    kinds.get(kind).acled              # {"event_type": ..., "sub_event_type": ...}
    kinds.VIOLENT, kinds.TOLLS         # frozensets of kind names
    kinds.role("death")                # the kind of a death told without its form
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from .resources import data_rows

__all__ = ["Kind", "table", "get", "names", "role", "with_rule", "family", "same_incident", "specificity",
           "acled_for", "VIOLENT", "VERBAL", "TOLLS", "PER_PLACE", "FAMILY"]

TABLE = "events/kinds.tsv"
_NONE = "-"


def _opt(value: str) -> str | None:
    return None if value == _NONE else value


def _yes(value: str, column: str, kind: str) -> bool:
    if value not in ("yes", "no"):
        raise ValueError(f"{TABLE}: {kind}: {column} must be yes or no, not {value!r}")
    return value == "yes"


@dataclass(frozen=True)
class Kind:
    """One row of the kind table."""

    name: str
    acled: dict | None               # {"event_type", "sub_event_type"} or None (verbal kinds)
    plover: dict                     # {"event_type", "mode"}
    family: str | None               # None: verbal, never merged with another kind
    violent: bool
    tolls: bool
    per_place: bool
    specificity: int
    incident: str | None             # kinds with one label may be one incident
    role: str | None
    rules: frozenset[str]
    acled_state_actor: str | None    # ACLED sub-event type when a state actor takes part
    acled_armed_target: dict | None  # ACLED type and sub-type when a target is an armed side

    @classmethod
    def from_row(cls, row: tuple[str, ...]) -> "Kind":
        (name, a_type, a_sub, p_type, p_mode, fam, violent, tolls, per_place, spec, incident,
         role_, rules, state_actor, armed_target) = row
        armed = None
        if armed_target != _NONE:
            t, s = (x.strip() for x in armed_target.split(" / ", 1))
            armed = {"event_type": t, "sub_event_type": s}
        return cls(
            name=name,
            acled=None if a_type == _NONE else {"event_type": a_type, "sub_event_type": a_sub},
            plover={"event_type": p_type, "mode": _opt(p_mode)},
            family=_opt(fam), violent=_yes(violent, "violent", name), tolls=_yes(tolls, "tolls", name),
            per_place=_yes(per_place, "per_place", name), specificity=int(spec), incident=_opt(incident),
            role=_opt(role_), rules=frozenset(r for r in rules.split(",") if r and r != _NONE),
            acled_state_actor=_opt(state_actor), acled_armed_target=armed)


@lru_cache(maxsize=None)
def table() -> dict[str, Kind]:
    """Every kind, in table order (violent kinds first)."""
    out: dict[str, Kind] = {}
    for row in data_rows(TABLE):
        k = Kind.from_row(row)
        if k.name in out:
            raise ValueError(f"{TABLE}: kind {k.name!r} twice")
        out[k.name] = k
    roles = [k.role for k in out.values() if k.role]
    if len(roles) != len(set(roles)):
        raise ValueError(f"{TABLE}: a role is given to two kinds: {sorted(roles)}")
    return out


def get(kind: str) -> Kind | None:
    return table().get(kind)


def names() -> tuple[str, ...]:
    return tuple(table())


def role(name: str) -> str:
    """The kind that plays ``name`` in the rules (see the table's header)."""
    for k in table().values():
        if k.role == name:
            return k.name
    raise KeyError(f"no kind has the role {name!r} in {TABLE}")


def with_rule(rule: str) -> frozenset[str]:
    """The kinds that take part in a rule of the events stage."""
    return frozenset(k.name for k in table().values() if rule in k.rules)


def family(kind: str) -> str | None:
    k = get(kind)
    return k.family if k else None


def same_incident(a: str, b: str) -> bool:
    """Two kinds that may be one incident told twice (the more specific wins)."""
    if a == b:
        return True
    ka, kb = get(a), get(b)
    return bool(ka and kb and ka.incident and ka.incident == kb.incident)


def specificity(kind: str) -> int:
    k = get(kind)
    return k.specificity if k else 0


def acled_for(kind: str, state_actor: bool, armed_target: bool) -> dict | None:
    """The ACLED categories of one event: the kind's, split as ACLED splits them by who
    took part (territory a state actor takes is regained; a killing of fighters is a battle)."""
    k = get(kind)
    if k is None or k.acled is None:
        return None
    acled = dict(k.acled)
    if state_actor and k.acled_state_actor:
        acled["sub_event_type"] = k.acled_state_actor
    if armed_target and k.acled_armed_target:
        acled = dict(k.acled_armed_target)
    return acled


VIOLENT = frozenset(k.name for k in table().values() if k.violent)
VERBAL = frozenset(k.name for k in table().values() if not k.violent)
TOLLS = frozenset(k.name for k in table().values() if k.tolls)
PER_PLACE = frozenset(k.name for k in table().values() if k.per_place)
# kind -> family for the kinds that merge (verbal kinds have none)
FAMILY = {k.name: k.family for k in table().values() if k.family}
