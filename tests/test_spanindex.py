"""SpanIndex answers as the scans it replaces: the same items, in the order they were given."""
from hypothesis import given, strategies as st

from marsad.spanindex import SpanIndex

spans = st.lists(st.tuples(st.integers(0, 60), st.integers(0, 15)).map(lambda t: (t[0], t[0] + t[1])), max_size=40)
queries = st.lists(st.tuples(st.integers(-2, 80), st.integers(0, 20)).map(lambda t: (t[0], t[0] + t[1])), max_size=10)


@given(spans, queries)
def test_queries_equal_the_scans_in_the_given_order(items, qs):
    # tagged with their position: equal spans stay told apart, and the order is checked
    tagged = [(s, e, i) for i, (s, e) in enumerate(items)]
    index = SpanIndex(tagged, start=lambda t: t[0], end=lambda t: t[1])
    for a, b in qs:
        assert index.starting_in(a, b) == [t for t in tagged if a <= t[0] < b]
        assert index.overlapping(a, b) == [t for t in tagged if t[0] < b and a < t[1]]


def test_a_long_mention_early_on_is_still_found_late():
    # "الجمهورية العربية السورية" spanning the sentence, then short mentions after its start
    items = [(0, 100, "long"), (5, 8, "a"), (50, 55, "b"), (120, 130, "c")]
    index = SpanIndex(items, start=lambda t: t[0], end=lambda t: t[1])
    assert [t[2] for t in index.overlapping(90, 125)] == ["long", "c"]
    assert [t[2] for t in index.starting_in(5, 51)] == ["a", "b"]
    assert SpanIndex([], start=lambda t: t[0], end=lambda t: t[1]).overlapping(0, 10) == []
