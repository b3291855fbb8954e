"""Derive the compact actor lexicon ``data/events/actors.tsv`` from PETRARCH.

    python -m marsad.events.build_lexicon ../shared/data/petrarch_dictionaries/arabic

Reads the UniversalPetrarch Arabic agent dictionary (``agents.all.ar_v3.txt``,
generic agents such as جندي [~MIL], لاجئ [~REF]) and actor dictionary
(``actor_dict_ar_v4.txt``, named actors with dated CAMEO codes) and keeps, for
each entry, only its normalised surface and the side its CAMEO role implies.
The dictionaries are lemmatised for UDPipe; the lemma of a noun is usually its
singular surface form, which is what news copy writes, so entries are kept as
they are (the trailing ``_`` of multiword entries removed).
"""
from __future__ import annotations

import re
import sys
from pathlib import Path

from ..arabic import normalize

# CAMEO role codes -> side; the first code found in an entry's code wins.
ROLE_SIDE = (
    ("IGO", "international"), ("NGO", "international"),
    ("REB", "non_state"), ("INS", "non_state"), ("IMG", "non_state"), ("UAF", "non_state"),
    ("OPP", "non_state"),
    ("MIL", "state"), ("COP", "state"), ("GOV", "state"), ("SPY", "state"),
    ("CVL", "civilians"), ("REF", "civilians"),
)
CODE = re.compile(r"\[~?([A-Z]{3,12})~?")
MIN_LEN = 3   # one- and two-letter lemmas match inside too many words
# Entries that news copy uses for things, not for who acted: actor_dict_ar_v4 lists قنبلة
# ("bomb") under a military code, which made "قنبلة يدوية ألقاها مسلحون" a state actor, and
# agents.all lists a bare طائرة ("aircraft") as civilian, which made "سقطت طائرة مقاتلة
# للنظام" civilians (the qualified entries, طائرة حربية، طائرة ركاب …, stay).
NOT_ACTORS = frozenset(normalize(w) for w in ("قنبلة", "طائرة"))


def side_for(code: str) -> str | None:
    for role, side in ROLE_SIDE:
        if role in code:
            return side
    return None


def entries(path: Path):
    name = None
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        if not line[0].isspace():
            head = line.split("[")[0].strip()
            name = head.strip("_ ").replace("_", " ") or None
        m = CODE.search(line)
        if name and m:
            yield name, m.group(1)


def build(src: Path) -> list[tuple[str, str, str]]:
    rows: dict[str, tuple[str, str]] = {}
    for fname in ("agents.all.ar_v3.txt", "actor_dict_ar_v4.txt"):
        for name, code in entries(src / fname):
            side = side_for(code)
            key = normalize(name)
            if side and len(key) >= MIN_LEN and key not in rows and key not in NOT_ACTORS \
                    and not re.search(r"[^\w ]", key):
                rows[key] = (side, f"petrarch:{fname}:{code}")
    return sorted((k, s, src_) for k, (s, src_) in rows.items())


def main(argv: list[str]) -> None:
    src = Path(argv[1] if len(argv) > 1 else "../shared/data/petrarch_dictionaries/arabic")
    out = Path(__file__).resolve().parent.parent / "data" / "events" / "actors.tsv"
    rows = build(src)
    with open(out, "w", encoding="utf-8") as fh:
        fh.write("# Actors and agents with a side, derived by marsad.events.build_lexicon from\n"
                 "# UniversalPetrarch Arabic dictionaries (MIT, Open Event Data Alliance):\n"
                 "# agents.all.ar_v3.txt and actor_dict_ar_v4.txt (branch arabic, a0af422).\n"
                 "# Side from the CAMEO role code: REB INS IMG UAF OPP -> non_state; MIL COP GOV SPY\n"
                 "# -> state; CVL REF -> civilians; IGO NGO -> international. Names normalised;\n"
                 "# build_lexicon.NOT_ACTORS left out.\n"
                 "# name\tside\tsource\n")
        for k, s, src_ in rows:
            fh.write(f"{k}\t{s}\t{src_}\n")
    print(f"{len(rows)} rows -> {out}")


if __name__ == "__main__":
    main(sys.argv)
