"""Repeat mentions of one incident, told again later in an article, made one event.

The sentence merge (``events.merge``) joins mentions while it reads the article, with the
place each sentence names. Some repeats only show once every event is built, with its
final place, date and toll: a later sentence that gives the form ("ضربات لقوات التحالف",
"شن طيران التحالف ثلاث غارات") of deaths an earlier one reported bare, or that tells the
same strikes again at the town the lead named. Such an event is one more mention of the
earlier one: its evidence and mentions join the earlier event, which keeps its own place,
date and toll and takes the later one's only where it has none.

Two built events are one incident (:func:`repeats`) when
* their kinds may be one incident (kinds.tsv's incident group, or a plain death and a
  violent form), and
* one place holds the other (a province or country its town, or the same name), or the
  later names none, and
* their days agree: the same day at the same precision, or one undated (a window
  "before" publication); a day against a week is two incidents ("وقتل الثلاثاء برصاص
  قنص أربعة أشخاص" after attacks "منذ أيام"), and
* their tolls do not contradict (two different death counts are two incidents: the
  breakdown of a total by town stays apart).

Off by default (:data:`MERGE_REPEATS`): measured on the corpus train split it raised
event F1 by 0.003 (the bar of docs/events.md, "Repeat and background mentions (session
6)", asks 0.005) and corpus dev by 0.014; the figures are there.
"""
from __future__ import annotations

from .. import kinds
from ..core import Event, Toll
from .merge import FAMILY, NO_VIOLENCE_FAMILIES, same_place

DEATH = kinds.role("death")
# Whether the events stage merges repeat mentions of built events (docs/events.md: adopted
# only past the bar written there; session 6 measured it just under the bar on train).
MERGE_REPEATS = False
# How many of the events already standing a later one is compared with, latest first: the
# longest corpus train article has 21 events, and a draft of thousands of mentions (the
# fuzz campaigns of issue 19) must not make the merge quadratic.
HOST_REACH = 64
# A date "before" publication is the default the dating rules give an undated event
# (docs/dating.md): it says nothing against another day.
UNDATED = "before"


def _kinds_repeat(a: str, b: str) -> bool:
    if kinds.same_incident(a, b):
        return True
    # "لقي عدد من الحوثيين مصرعهم" in one sentence, "شن طيران التحالف غارات" on the same
    # town in the next: a plain death and the form that caused it
    if DEATH in (a, b):
        other = b if a == DEATH else a
        return FAMILY.get(other) not in (None, *NO_VIOLENCE_FAMILIES)
    return False


def _days_agree(a: Event, b: Event) -> bool:
    if not a.date or not b.date or UNDATED in (a.date_precision, b.date_precision):
        return True
    return a.date == b.date and a.date_precision == b.date_precision


def _tolls_agree(a: Toll, b: Toll) -> bool:
    return a.total is None or b.total is None or a.total == b.total


def repeats(first: Event, later: Event) -> bool:
    """Whether ``later`` tells ``first`` again (the conditions of the module's docstring)."""
    if first.kind not in FAMILY or later.kind not in FAMILY:
        return False
    if not _kinds_repeat(first.kind, later.kind):
        return False
    if later.place is not None and same_place(first.place, later.place) is False:
        return False
    return _days_agree(first, later) and _tolls_agree(first.killed, later.killed) \
        and _tolls_agree(first.injured, later.injured)


def absorb(host: Event, ev: Event) -> None:
    """``ev``'s mentions join ``host``; what ``host`` lacks it takes from ``ev``."""
    host.evidence = sorted(set(host.evidence) | set(ev.evidence), key=lambda s: (s.start, s.end))
    host.mentions = host.mentions + ev.mentions
    # the form wins over a plain death, the more specific kind over its group
    if host.kind == DEATH or kinds.same_incident(host.kind, ev.kind) \
            and kinds.specificity(ev.kind) > kinds.specificity(host.kind):
        host.kind, host.acled, host.plover = ev.kind, ev.acled, ev.plover
    if host.place is None:
        host.place = ev.place
    if not host.date or host.date_precision == UNDATED and ev.date and ev.date_precision != UNDATED:
        host.date, host.date_precision, host.date_evidence = ev.date, ev.date_precision, ev.date_evidence
    if host.killed.total is None and ev.killed.total is not None:
        host.killed = ev.killed
    if host.injured.total is None and ev.injured.total is not None:
        host.injured = ev.injured


def merge_repeats(built: list, enabled: bool | None = None) -> list:
    """``built``: (draft, event) pairs in the stage's order (headline first, then the body in
    order); a later event that repeats an earlier one joins the first it repeats (of the last
    HOST_REACH standing). Returns the
    pairs that stand. ``enabled`` overrides :data:`MERGE_REPEATS`."""
    if not (MERGE_REPEATS if enabled is None else enabled):
        return built
    out: list = []
    for d, ev in built:
        host = next((e for _, e in out[-HOST_REACH:] if repeats(e, ev)), None)
        if host is None:
            out.append((d, ev))
        else:
            absorb(host, ev)
    return out
