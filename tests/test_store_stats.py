"""The counts kept beside the events (marsad.store.stats) answer as the events do, on both backends."""
from __future__ import annotations

import copy
import random

import pytest

from marsad.store import EventQuery, open_store
from marsad.store import stats
from marsad.store.base import AGGREGATES, FACETS

# Days at the edges of months and years, and none: a month key must bound as its days do.
DATES = [None, "2015-07-01", "2015-07-31", "2015-08-01", "2015-08-20", "2016-01-03", "2014-12-29", "2014-12-31"]


@pytest.fixture(scope="module")
def articles():
    from marsad.batch import iter_files, process_items
    from marsad.demo import sample_files

    demo = [res.article for res in process_items(iter_files(sample_files()))]
    rng = random.Random(3)
    out = []
    for n in range(24):
        art = copy.deepcopy(demo[n % len(demo)])
        art.id, art.origin = f"stats-{n}", f"stats:{n}"
        for ev in art.events:
            ev.date = rng.choice(DATES)
        out.append(art)
    return out


def _questions():
    """(query, facet fields, aggregate) triples: every filter the counts keep, and some they do not."""
    filters = [dict(), dict(country="SY"), dict(country="IQ", kind=("shelling", "air_strike")),
               dict(since="2015-07", until="2015-08"), dict(since="2015"), dict(until="2015-07"),
               dict(since="2015-08-01"), dict(until="2015-07-31", country="YE"), dict(side="civilians"),
               dict(side="state", country="SY"), dict(status="claimed"), dict(acled_type="Battles"),
               dict(admin1="Idlib Governorate"), dict(min_killed=3), dict(text="غارات"), dict(actor="داعش")]
    return [EventQuery(**f) for f in filters]


def _answers(st, queries):
    out = []
    for q in queries:
        out.append(("count", q, st.count_events(q)))
        out.append(("facets", q, st.facets(q, FACETS, 50)))
        if not q.side:
            out.append(("facets-side", q, st.facets(q, ["side", "kind"], 3)))
        for by in AGGREGATES:
            out.append((by, q, st.aggregate(q, by)))
        out.append(("page", q, st.events(q.replace(limit=5, order_by="-date")).total))
    return out


@pytest.mark.parametrize("backend_name", ["sqlite", "postgresql"])
def test_counts_answer_as_the_events_do(articles, backend_name, request, monkeypatch):
    from conftest import store_target

    queries = _questions()
    with store_target(backend_name, request) as target, open_store(target) as st:
        for a in articles:
            st.put(a)
        # stale counts are not read: the answers come from the events
        assert stats.facets(st._stats_run, EventQuery(), ["kind"], 5) is None
        slow = _answers(st, queries)
        assert st.refresh_stats() > 0 and st.refresh_stats() == 0
        assert stats.facets(st._stats_run, EventQuery(country="SY"), FACETS, 5) is not None
        assert stats.aggregate(st._stats_run, EventQuery(kind=("shelling",), since="2015-08-01"), "week") is not None
        fast = _answers(st, queries)
        for (what, q, a), (_, _, b) in zip(slow, fast):
            assert a == b, f"{what} {q}"
        # a write marks its months stale again until the batch's update_incidents recounts them
        extra = copy.deepcopy(articles[0])
        extra.id, extra.origin = "stats-extra", "stats:extra"
        st.put(extra)
        assert stats.count(st._stats_run, EventQuery()) is None
        assert st.count_events() == sum(len(a.events) for a in articles) + len(extra.events)
        st.update_incidents()
        assert stats.count(st._stats_run, EventQuery()) == st.count_events() \
            == sum(len(a.events) for a in articles) + len(extra.events)
        fast = _answers(st, queries)
        monkeypatch.setattr(stats, "_fresh", lambda run: False)
        assert _answers(st, queries) == fast


def test_queries_the_counts_cannot_answer_are_left_to_the_events():
    assert stats.month_conditions(EventQuery(since="2015-08-01")) is None       # a day-precise bound
    assert stats.month_conditions(EventQuery(min_killed=1)) is None
    assert stats.month_conditions(EventQuery(bbox=(35, 30, 40, 37))) is None
    assert stats.day_conditions(EventQuery(since="2015-08-01", country="SY")) is not None
    assert stats.day_conditions(EventQuery(status="claimed")) is None
