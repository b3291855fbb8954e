"""Small stand-ins for layers other stages own (numbers, dates, places).

The events stage uses ``article.numbers``, ``article.dates`` and
``article.places`` when the stages that own them have filled them. When they
are empty (a stage not built yet, or it failed on this article) these
functions give the minimum the events stage needs, so that it never depends on
another stage's progress. They are deliberately narrow.
"""
from __future__ import annotations

import re
from datetime import date, timedelta
from functools import lru_cache

from ..arabic import NormText, normalize
from ..core import DateSpan, NumberSpan, Place, Span
from ..resources import data_rows
from .lexicon import number_words

# --- numbers -----------------------------------------------------------------

_VAGUE = re.compile(r"(?<![\w])[وفب]?(?:ال)?(?:عشرات|ميات|الاف|عدد|اعداد|العديد|بضع|بضعه|عده|كثير|كبير)(?![\w])")
_WORD = re.compile(r"(?<![\w])[وب]?([\u0621-\u064a]+|\d+(?:[.,]\d+)?)")
# Years, ages, calibres, clock times and ids are not counts of people.
_NOT_COUNT_BEFORE = re.compile(r"(?:سن|عمر|عام|العام|رقم|عيار|الساعه|القرار|قرار|ال|بنسبه|نحو الساعه)\s*$")


def numbers(view: NormText, a: int, b: int) -> list[NumberSpan]:
    """Numbers (digits or words, with compounds such as خمسة وعشرون) in view[a:b]."""
    words = number_words()
    out: list[NumberSpan] = []
    text = view.text
    toks = [(m.start(1) + a, m.end(1) + a, m.group(1)) for m in _WORD.finditer(text[a:b])]
    i = 0
    while i < len(toks):
        s, e, w = toks[i]
        val = None
        if w[0].isdigit():
            val = float(w.replace(",", "")) if w.replace(",", "").replace(".", "", 1).isdigit() else None
        elif w in words and w not in ("الف", "الاف", "الفا") and not (w == "الفي" and False):
            val = float(words[w])
        elif w in ("احد", "احدي"):
            val = 1.0
        if val is None:
            i += 1
            continue
        j = i + 1
        # ثلاثة عشر, خمسة وعشرون, 230 ألف
        while j < len(toks):
            w2 = toks[j][2]
            w2s = w2[1:] if w2.startswith("و") and w2[1:] in words else w2
            if w2 in ("عشر", "عشره") and val < 10:
                val += 10
            elif w2s in words and words[w2s] in range(20, 100, 10) and val < 10 and w2.startswith("و"):
                val += words[w2s]
            elif w2 in ("الف", "الاف", "الفا"):
                val *= 1000
            else:
                break
            e = toks[j][1]
            j += 1
        if toks[i][2] in ("احد", "احدي") and j == i + 1:
            pass
        year = val >= 1900 and val <= 2100 and float(val).is_integer() and w[0].isdigit()
        before = text[max(a, s - 12):s]
        cand = not year and not _NOT_COUNT_BEFORE.search(before)
        span = view.span(s, e)
        out.append(NumberSpan(span.start, span.end, val, "exact", is_toll_candidate=cand,
                              reason=None if cand else "year or measure"))
        i = j
    return out


def vague_counts(view: NormText, a: int, b: int) -> list[Span]:
    return [view.span(m.start() + a, m.end() + a) for m in _VAGUE.finditer(view.text[a:b])]


# --- dates ------------------------------------------------------------------

WEEKDAYS = {"الاثنين": 0, "الثلاثاء": 1, "الاربعاء": 2, "الخميس": 3, "الجمعه": 4, "السبت": 5, "الاحد": 6}
_DATE = re.compile(r"(?<![\w])(?:[وف]?(?:يوم|مساء|صباح|ليل|ليله|فجر|ظهر|عصر)\s+)?"
                   r"(?P<w>[وف]?ال(?:اثنين|ثلاثاء|اربعاء|خميس|جمعه|سبت|احد)|[وف]?امس|[وف]?اليوم)(?![\w])")


def dates(view: NormText, published: str | None) -> list[DateSpan]:
    """Weekday names and أمس/اليوم resolved against the publication date."""
    if not published:
        return []
    try:
        pub = date.fromisoformat(published[:10])
    except ValueError:
        return []
    out = []
    for m in _DATE.finditer(view.text):
        w = re.sub(r"^[وف]", "", m.group("w"))
        if w == "امس":
            d = pub - timedelta(days=1)
        elif w == "اليوم":
            d = pub
        elif w in WEEKDAYS:
            d = pub - timedelta(days=(pub.weekday() - WEEKDAYS[w]) % 7)
        else:
            continue
        sp = view.span(m.start(), m.end())
        out.append(DateSpan(sp.start, sp.end, d.isoformat(), "day"))
    # "أمس الأحد": one date, not two
    merged: list[DateSpan] = []
    for ds in out:
        if merged and ds.start - merged[-1].end <= 2 and ds.date == merged[-1].date:
            merged[-1] = DateSpan(merged[-1].start, ds.end, ds.date, "day")
        else:
            merged.append(ds)
    return merged


# --- places -----------------------------------------------------------------

_PLACE = re.compile(
    r"(?<![\w])[وفبل]?(?P<type>مدينه|بلده|بلدتي|قريه|حي|احياء|منطقه|منطقتي|مناطق|محافظه|ريف|ضاحيه|مخيم|سد|مطار|مسجد|جامع|سجن|ولايه|قضاء|ناحيه)"
    r"\s+(?P<name>(?!(?:في|علي|علي|من|الي|الي|عن|مع|التي|الذي|قرب|بين)\b)[\u0621-\u064a]{3,}"
    r"(?:\s+(?!(?:في|علي|علي|من|الي|الي|عن|مع|التي|الذي|قرب|بين|شمال|جنوب|شرق|غرب|شرقي|غربي|شمالي|جنوبي|وسط|امس|اليوم)\b)"
    r"(?:ال[\u0621-\u064a]{2,}))?)")
PRECISION = {"مدينه": "town", "بلده": "town", "بلدتي": "town", "قريه": "town", "حي": "point", "احياء": "point",
             "مخيم": "point", "سد": "point", "مطار": "point", "مسجد": "point", "جامع": "point", "سجن": "point",
             "محافظه": "admin1", "ولايه": "admin1", "قضاء": "district", "ناحيه": "district", "ضاحيه": "point"}
POINT_TYPES = frozenset({"مسجد", "جامع", "سجن", "مطار", "سد", "مخيم"})
_REGION = re.compile(r"(?<![\w])(?P<name>(?:شرق|غرب|شمال|جنوب)\s+(?:سوريا|سوريه|العراق|اليمن|ليبيا|لبنان|البلاد))(?![\w])")
_GENERIC = frozenset({"مدينه", "بلده", "قريه", "حي", "احياء", "منطقه", "مناطق", "خاضعه", "واقعه", "محيط", "مقر", "موقع", "مركز", "القوات", "المعسكر", "المسجد", "المدينه", "الشرقي", "الغربي", "الشمالي", "الجنوبي", "الاشتباكات", "المعارك", "المذكوره", "المجاوره", "الخاضعه", "الواقعه", "الجنوبيه", "الشماليه",
                      "الشرقيه", "الغربيه", "العسكريه", "الثالثه", "الحدوديه", "المحيطه", "نفسها"})


@lru_cache(maxsize=1)
def _not_names() -> frozenset[str]:
    """Words after a place noun that are not a name (verbs, directions, adjectives)."""
    return frozenset(normalize(r[0]) for r in data_rows("events/not_place_names.tsv"))


@lru_cache(maxsize=1)
def _heads() -> frozenset[str]:
    """First words of compound place names (راس، عين، تل …)."""
    return frozenset(normalize(r[0]) for r in data_rows("events/place_name_heads.tsv"))


def places(view: NormText, a: int, b: int) -> list[Place]:
    """Place phrases (مدينة X، قرية X، ريف X، شرق سوريا) in view[a:b], unresolved (no coordinates)."""
    out = []
    for rx in (_PLACE, _REGION):
        for m in rx.finditer(view.text, a, b):
            name = m.group("name")
            if name.split()[0] in _GENERIC or name.split()[0] in _not_names():
                continue
            start = m.start("name")
            kind = m.groupdict().get("type") or ""
            if len(name.split()) == 1 and name in _heads():
                # "منطقة رأس عيسى": a construct-state head takes the next word as part of the name
                nxt = re.match(r"\s+(?!(?:في|علي|من|الي|عن|مع|التي|الذي|قرب|بين|شمال|جنوب|شرق|غرب|امس|اليوم)(?![\w]))[\u0621-\u064a]{3,}",
                               view.text[m.end("name"):b])
                if nxt:
                    name = name + nxt.group(0)
            name_end = m.start("name") + len(name)
            if kind in POINT_TYPES:
                # "مسجد قوة طوارئ عسير": a building is named by its type and up to three words
                start = m.start("type")
                more = re.match(r"(?:\s+(?!(?:في|علي|علي|من|الي|عن|مع|التي|الذي|قرب|بين|امس|اليوم)(?![\w]))[\u0621-\u064a]{3,}){0,2}",
                                view.text[name_end:b])
                end = name_end + (more.end() if more else 0)
            else:
                end = name_end
            sp = view.span(start, end)
            out.append(Place(name=view.original[sp.start:sp.end], lat=None, lon=None,
                             precision=PRECISION.get(kind, "region"), evidence=sp))
    out.sort(key=lambda p: p.evidence.start)
    return out
