"""The kind table: one home for everything about an event kind, and no kind named in code."""
from __future__ import annotations

import re
from pathlib import Path

from marsad import kinds
from marsad.events.lexicon import triggers
from marsad.resources import schema

SRC = Path(__file__).resolve().parents[1] / "src" / "marsad"
# Files of other parts that still spell kinds, each with the reason it is allowed for now.
# Empty it as they move to marsad.kinds.
ALLOWED = {
    "quotes/bench.py": "a benchmark script's own VIOLENT set (quotes/ is another part; use kinds.VIOLENT)",
}


def test_no_kind_name_is_written_in_code():
    names = "|".join(sorted(map(re.escape, kinds.names()), key=len, reverse=True))
    literal = re.compile(r"""(?<![\w])["'](?:%s)["']""" % names)
    found = []
    for path in sorted(SRC.rglob("*.py")):
        rel = path.relative_to(SRC).as_posix()
        if rel in ALLOWED:
            continue
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if literal.search(line):
                found.append(f"{rel}:{n}: {line.strip()}")
    assert found == [], "kind names belong in data/events/kinds.tsv:\n" + "\n".join(found)


def test_the_table_holds_every_kind_of_the_contract():
    violent = ["air_strike", "shelling", "bombing", "suicide_bombing", "armed_clash", "territory_taken",
               "attack_on_civilians", "killing", "abduction", "arrest", "protest", "riot"]
    verbal = ["statement", "accuse", "reject", "request", "threaten", "agree", "cooperate", "aid",
              "sanction", "mobilize", "consult"]
    # the contract's kinds, in its order (a new kind is a row the contract gains)
    assert [k for k in kinds.names() if k in violent + verbal] == violent + verbal
    assert kinds.VIOLENT >= set(violent) and kinds.VERBAL >= set(verbal)
    assert all(kinds.get(k).acled for k in violent) and not any(kinds.get(k).acled for k in verbal)
    # the schema's kinds are the table's
    assert schema()["properties"]["events"]["items"]["properties"]["kind"]["enum"] == list(kinds.names())
    # every trigger's kind is in the table
    assert {t.kind for t in triggers()} <= set(kinds.names())


def test_abduction_is_an_assault_arrest_stays_coercion():
    """shared/spec/OUTPUT.md, Changes 2026-12-03: PLOVER files abduction under ASSAULT."""
    assert kinds.get("abduction").plover == {"event_type": "ASSAULT", "mode": "abduct"}
    assert kinds.get("arrest").plover == {"event_type": "COERCE", "mode": "arrest"}


def test_columns_that_were_code():
    assert kinds.PER_PLACE == {"protest", "air_strike"}
    assert kinds.TOLLS == {"air_strike", "shelling", "bombing", "suicide_bombing", "armed_clash", "territory_taken",
                           "attack_on_civilians", "killing", "riot"}
    assert kinds.FAMILY["shelling"] == kinds.FAMILY["air_strike"] == "remote"
    assert kinds.family("consult") is None
    assert kinds.same_incident("bombing", "suicide_bombing") and kinds.same_incident("arrest", "abduction")
    assert not kinds.same_incident("bombing", "shelling")
    assert kinds.specificity("suicide_bombing") > kinds.specificity("bombing")
    assert kinds.role("death") == "killing" and kinds.role("threat") == "threaten"
    assert kinds.with_rule("suicide_possible") == {"bombing", "armed_clash"}


def test_acled_splits_by_who_took_part():
    assert kinds.acled_for("territory_taken", state_actor=True, armed_target=False)["sub_event_type"] \
        == "Government regains territory"
    assert kinds.acled_for("territory_taken", state_actor=False, armed_target=False)["sub_event_type"] \
        == "Non-state actor overtakes territory"
    assert kinds.acled_for("killing", state_actor=False, armed_target=True) \
        == {"event_type": "Battles", "sub_event_type": "Armed clash"}
    assert kinds.acled_for("consult", False, False) is None
