"""Every lexicon under src/marsad/data says where its words came from (STYLE.md §6)."""
from __future__ import annotations

from pathlib import Path

from marsad.resources import data_lists

DATA = Path(__file__).resolve().parent.parent / "src" / "marsad" / "data"


def test_every_word_list_opens_with_a_provenance_header():
    files = sorted(p for ext in ("*.tsv", "*.txt") for p in DATA.rglob(ext))
    assert files
    for path in files:
        head = path.read_text(encoding="utf-8").splitlines()[:3]
        assert head and all(line.startswith("#") for line in head[:2]), path.relative_to(DATA)


def test_lists_moved_out_of_code_are_complete():
    # the lists the code indexes by name (a missing one would fail at import; this names the file)
    tolls = data_lists("events/tolls.tsv")
    assert "مقتل" in tolls["death_cue"] and "جريحا" in tolls["injury_noun"]
    dates = data_lists("date_words.tsv")
    assert dates["hijri_mark"] == ("ه", "هجريه")
    numbers = data_lists("numbers_words.tsv")
    assert "مليون" in numbers["scale_after"]
