"""Arabic dates and times in news copy, resolved against the publication date.

``find_dates(text, published)`` returns a ``core.DateSpan`` for every date
expression: Gregorian dates with the month names of every region (يناير،
كانون الثاني، جانفي، غشت) and paired forms (تموز/يوليو), numeric dates
(26/8/2014), Hijri dates (25 شوال 1436 هـ, converted with ``hijridate``),
years (عام 2011), months (في يوليو الماضي), weekdays (الثلاثاء، مساء الأحد) and
relative words (اليوم، أمس، أمس الأول، الأسبوع الماضي، منذ أيام، قبل أربعة أيام).
Adjacent expressions that name one day are merged into one span ("أمس
الأحد"، "اليوم (الثلاثاء)"، "25 شوال 1436 هـ الموافق 10 أغسطس 2015 م").

Resolution rules (see docs/numbers-and-dates.md):

* A weekday is the most recent such day on or before publication: a report
  published on a Tuesday means that day by "الثلاثاء", one published on a
  Wednesday the day before. "الماضي" makes it strictly before, "المقبل" after.
* A month without a year is the most recent such month on or before the
  publication month; a day and month without a year take the year that puts
  the date nearest the publication date.
* A relative word and a weekday side by side that disagree ("اليوم الاثنين" in
  a text dated Saturday) are resolved by the weekday: the date given with the
  text is then usually a crawl date.
* ``DateSpan.date`` is always a full ISO date. For month precision it is the
  first of the month, for year precision 1 January, for week precision the
  same weekday in that week, and for "before" (منذ أيام، الأيام الماضية) the
  publication date itself: the event happened on or before it.

Words live in data/calendar.tsv; matching runs precompiled regular
expressions over ``arabic.norm_view``.
"""
from __future__ import annotations

import datetime as dt
import re
from bisect import bisect_left

from .arabic import NormText, alternation, clitic_prefix, normalize
from .core import DateSpan, Span
from .numbers import orig_span, parse_value, trie_regex, view_of
from .resources import data_lists, data_rows

try:    # Umm al-Qura conversion (MIT); without it Hijri dates are found but not resolved
    from hijridate import Gregorian, Hijri
except ImportError:  # pragma: no cover
    Gregorian = Hijri = None

__all__ = ["find_dates", "find_published", "resolve_weekday"]

# How many characters from the top of an article a dateline or date line may
# start at for find_published: the Saudi dateline sits on the first body
# line, after a title of up to ~150 characters.
PUBLISHED_WINDOW = 400
# "في 25 يناير" with no year: a day that far ahead of publication counts as three
# days back, so a report of 6 August reads it as last January (past events
# dominate news), while one of 20 December still reads "5 يناير" as next month.
FUTURE_WEIGHT = 3
# A dateline date stands on one of the first lines (title, dateline, lead) …
PUBLISHED_LINES = 3
# … near the line's start: after a place name and an agency tag ("دمشق - (ا ف ب) -"
# is 18 characters, "المدينة المنورة 25 شوال" 16) …
DATELINE_OFFSET = 40
# … or on a short line of its own ("الثلاثاء 26 أغسطس 2014 - 10:30").
SHORT_LINE = 80
# --- lexicon ------------------------------------------------------------------

_MONTHS: dict[str, tuple[int, bool]] = {}
_HMONTHS: dict[str, tuple[int, bool]] = {}
_WEEKDAYS: dict[str, int] = {}
_RELATIVE: dict[str, tuple[int, str]] = {}
_AGO: dict[str, tuple[int, str]] = {}
_PARTS: dict[str, str] = {}
_LEADS: set[str] = set()
_NAMED_EVENT: set[str] = set()
_NOT_TOMORROW: set[str] = set()
_YEAR_REL_OFFSET: dict[str, int] = {}
_REL_MONTH: dict[str, int] = {}
for _row in data_rows("calendar.tsv"):
    _kind, _form = _row[0], normalize(_row[1])
    _val = _row[2] if len(_row) > 2 else ""
    _extra = _row[3] if len(_row) > 3 else ""
    if _kind == "month":
        _MONTHS[_form] = (int(_val), _extra == "ambiguous")
    elif _kind == "hijri_month":
        _HMONTHS[_form] = (int(_val), _extra == "ambiguous")
    elif _kind == "weekday":
        _WEEKDAYS[_form] = int(_val)
    elif _kind == "relative":
        _RELATIVE[_form] = (int(_val), _extra)
    elif _kind == "ago_unit":
        _AGO[_form] = (int(_val), _extra)
    elif _kind == "part":
        _PARTS[_form] = _val
    elif _kind == "month_lead":
        _LEADS.add(_form)
    elif _kind == "named_event":
        _NAMED_EVENT.add(_form)
    elif _kind == "not_tomorrow":
        _NOT_TOMORROW.add(_form)
    elif _kind == "year_relative":
        _YEAR_REL_OFFSET[_form] = int(_val)
    elif _kind == "month_relative":
        _REL_MONTH[_form] = int(_val)
# normalised on load (الفائت، حتى meet the view's الفايت، حتي); a repeat is dropped
_W = {k: tuple(dict.fromkeys(normalize(w) for w in v)) for k, v in data_lists("date_words.tsv").items()}


def _alt(phrases) -> str:
    return trie_regex({_key(p) for p in phrases})


def _key(s: str) -> str:
    return re.sub(r"\s+", " ", s)


_M = _alt(_MONTHS)
_HM = _alt(_HMONTHS)
_MPAIR = r"(?P<m>" + _M + r")(?:\s*[/\\(\-–]\s*(?P<m2>" + _M + r")\s*\)?)?"
_WD = _alt(_WEEKDAYS)
_PART = _alt(_PARTS)
_PART_ADV = "|".join(_W["part_adverb"])
_PAST = "|".join(_W["past"])
_FUTURE = "|".join(_W["future"])
_GREG_MARK = r"(?:\s*" + alternation(_W["gregorian_mark"]) + r"(?!\w))"
_HIJRI_MARK = r"\s*" + alternation(_W["hijri_mark"]) + r"(?!\w)"
_YEAR_TAIL = (r"(?:\s*[،,]?\s*(?:من\s+)?" + alternation(_W["year_word"]) + r"?(?P<y>\d{4})(?!\d)" + _GREG_MARK + "?)")
# "في مارس (آذار) من العام الماضي"، "خلال أيار من العام المقبل": the year relative to publication
_YEAR_REL = (r"(?:\s+من\s+" + alternation(_W["year_noun"]) + r"\s+(?P<yrel>" + "|".join(_YEAR_REL_OFFSET) + "))")

_GREG_DAY = re.compile(r"(?<![\w/])(?:ال\s?)?(?P<d>\d{1,2})\s*(?:من\s+)?(?:شهر\s+)?" + clitic_prefix("وفبل") + _MPAIR
                       + r"(?:" + _YEAR_TAIL + "|" + _YEAR_REL + r")?(?!\w)")
def _ordinal_days() -> dict[str, int]:
    """Day ordinals as dates write them (masculine, with ال): الأول … العاشر from
    data/numbers.tsv, then الحادي عشر … التاسع عشر، العشرين، الحادي والعشرين …
    الحادي والثلاثين by the regular rule of Arabic compound ordinals."""
    units: dict[int, str] = {}
    for form, cat, val in ((r[0], r[1], r[2]) for r in data_rows("numbers.tsv") if len(r) > 2):
        f = normalize(form)
        if cat == "ordinal" and f.startswith("ال") and not f.endswith("ه") and f != "الاولي" and int(val) not in units:
            units[int(val)] = f
    units[1] = normalize("الأول")
    out = {w: n for n, w in units.items()}
    for n in range(1, 10):
        first = normalize("الحادي") if n == 1 else units[n]
        out[f"{first} عشر"] = 10 + n
        out[f"{first} والعشرين"] = 20 + n
    out[normalize("الحادي والثلاثين")] = 31
    out[normalize("العشرين")] = 20
    out[normalize("الثلاثين")] = 30
    return out


_ORDINAL_DAYS = _ordinal_days()
# "في العاشر من يوليو"، "الخامس عشر من الشهر الحالي"
_ORD_DAY = re.compile(r"(?<!\w)" + clitic_prefix("وفب") + r"(?:يوم\s+)?(?P<od>" + _alt(_ORDINAL_DAYS) + r")\s+من\s+(?:(?:شهر\s+)?"
                      + clitic_prefix("وفبل")
                      + _MPAIR + r"(?:" + _YEAR_TAIL + "|" + _YEAR_REL + r")?|(?:الشهر\s+(?P<relm>"
                      + "|".join(_REL_MONTH) + r")|(?P<this>هذا\s+الشهر)))(?!\w)")
_HIJRI_DAY = re.compile(r"(?<![\w/])(?:ال\s?)?(?P<d>\d{1,2})\s*(?:من\s+)?(?:شهر\s+)?(?P<hm>" + _HM + r")"
                        r"(?:\s*[،,]?\s*(?:من\s+)?(?:عام\s+)?(?P<y>\d{4})(?!\d))?(?P<h>" + _HIJRI_MARK + r")?(?!\w)")
_MONTH_YEAR = re.compile(r"(?<!\w)(?:" + alternation(_W["month_year_lead"]) + r"\s+)?" + clitic_prefix("وفبل") + _MPAIR
                         + r"\s*[،,]?\s*(?:من\s+)?(?:عام\s+|العام\s+)?(?P<y>\d{4})(?!\d)")
_HMONTH_YEAR = re.compile(r"(?<!\w)(?:شهر\s+)?(?P<hm>" + _HM + r")\s+(?P<y>\d{4})" + _HIJRI_MARK)
_MONTH_ONLY = re.compile(r"(?<!\w)" + clitic_prefix("وف") + r"(?P<lead>" + _alt(_LEADS) + r")\s+(?:شهر\s+)?(?:ال)?" + _MPAIR
                         + r"(?:\s+(?P<rel>" + _PAST + "|" + _FUTURE + "|" + "|".join(_W["current"]) + r")|" + _YEAR_REL
                         + r")?(?!\w)(?!\s*\d)")
# A one-character look-ahead for a digit first, so a letter is rejected with one test;
# a digit or separator before the match is rejected in find_dates.
_NUMERIC = re.compile(r"(?=\d)(?:(?P<d>\d{1,2})(?P<sep>[/\-.]|\s*/\s*|\s+-\s+)(?P<m>\d{1,2})(?P=sep)(?P<y>\d{4})"
                      r"|(?P<y2>\d{4})(?P<sep2>[/\-])(?P<m2>\d{1,2})(?P=sep2)(?P<d2>\d{1,2}))(?![\d/])"
                      r"(?P<h>" + _HIJRI_MARK + ")?")
# A Hijri year: "عام 1436 هـ" (1 Muharram of that year, year precision)
_HIJRI_YEAR = re.compile(r"(?=1)(?<!\d)(?P<y>1[34]\d\d)(?!\d)" + _HIJRI_MARK)
# A year after a lead word (عام 2011، صيف 2012، في 2012): found from the digits, which
# re scans for fast, then the lead word is checked just before them.
_YEAR_DIGITS = re.compile(r"(?=[12])(?<!\d)(?P<y>(?:19|20)\d\d)(?!\d)(?:\s*م(?!\w))?")
_YEAR_LEAD = re.compile(r"(?<!\w)" + clitic_prefix("وفب") + alternation(_W["year_lead"]) + r"\s+(?:عام\s+)?$")
_WEEKDAY = re.compile(r"(?<!\w)" + clitic_prefix("وفب") + r"(?:(?P<part>" + _PART + r")\s+)?(?:" + alternation(_W["day_noun"])
                      + r"\s+)?" + clitic_prefix("وفب") + r"(?P<wd>" + _WD + r")"
                      r"(?:\s+(?P<rel>" + _PAST + "|" + _FUTURE + r"))?(?:\s+(?P<part2>" + _PART_ADV + r"))?(?!\w)")
# اليوم is not a date in "في اليوم التالي" (the next day), "اليوم نفسه", "اليوم العالمي".
_NOT_TODAY = r"(?!\s+" + alternation(_W["not_today_after"]) + ")"
_RELATIVE_RE = re.compile(r"(?<!\w)" + clitic_prefix("وفبل") + r"(?:(?P<part>" + _PART + r")\s+)?(?:يوم\s+)?"
                          + clitic_prefix("وفبل") + r"(?P<rel>" + _alt(_RELATIVE) + r")(?!\w)"
                          + _NOT_TODAY + r"(?:\s+(?P<part2>" + _PART_ADV + r"))?(?!\w)")
# "صباح الغد"، "مساء غد": الغد alone is also "the future", so only after a part of the day
_TOMORROW = re.compile(r"(?<!\w)" + clitic_prefix("وف") + r"(?P<part>" + _PART + r")\s+(?:ال)?غد(?!\w)")
_AGO_RE = re.compile(r"(?<!\w)" + clitic_prefix("وف") + r"(?P<pre>" + "|".join(_W["ago_lead"]) + r")\s+(?:"
                     + alternation(_W["ago_approx"]) + r"\s+)?(?:(?P<n>\d+|[^\s\d]+(?:\s+و[^\s\d]+)?)\s+)?"
                     r"(?:ال)?(?P<unit>" + _alt(_AGO) + r")(?!\w)(?!\s+" + alternation(_W["one"]) + "?"
                     + alternation(_W["ago_not_after"]) + r"(?!\w))(?!\s*\d)")
# Literal prefilters: each pattern below needs one of these words (the first word of
# each phrase its alternation is built from), so a text with none of them skips the
# pattern's scan; a substring test is ~100x cheaper than a scan with (?<!\w) at every
# position (about half of news articles name no weekday, 85 % have no غد).
def _first_words(phrases) -> tuple[str, ...]:
    return tuple(sorted({_key(p).split(" ")[0] for p in phrases}))


_NEEDS_WEEKDAY = _first_words(_WEEKDAYS)
_NEEDS_ORDINAL = _first_words(_ORDINAL_DAYS)
_NEEDS_AGO = _first_words(_W["ago_lead"])
_NEEDS_TOMORROW = ("غد",)


def _has_any(vt: str, words: tuple[str, ...]) -> bool:
    return any(w in vt for w in words)


_MERGE_GAP = re.compile(r"^[\s()\[\]،,\-–—]*(?:" + alternation(_W["merge_gap"]) + r"[\s()،,\-–]*)?$")
_SKIP_BEFORE_WEEKDAY = set(_W["skip_before_weekday"])
# اليوم is also a newspaper ("صحيفة اليوم"، "لمراسل اليوم") and part of an outlet name ("عين اليوم").
_SKIP_BEFORE_TODAY = set(_W["skip_before_today"])
_PLURAL_UNITS = frozenset(_W["plural_unit"])

# Ranks: the more explicit reading wins when adjacent expressions are merged.
_RANK = {"explicit": 3, "relative": 2, "weekday": 1}


class _Cand:
    __slots__ = ("s", "e", "date", "precision", "part", "calendar", "rank", "weekday")

    def __init__(self, s, e, date, precision, part=None, calendar="gregorian", rank="explicit", weekday=None):
        self.s, self.e, self.date, self.precision = s, e, date, precision
        self.part, self.calendar, self.rank = part, calendar, _RANK[rank]
        self.weekday = weekday          # the weekday a weekday name gave, to check a merge


def _iso(d: dt.date | None) -> str | None:
    return d.isoformat() if d else None


def _pub(published: str | None) -> dt.date | None:
    if not published:
        return None
    try:
        return dt.date.fromisoformat(published[:10])
    except ValueError:
        return None


def _safe_date(y: int, m: int, d: int) -> dt.date | None:
    try:
        return dt.date(y, m, d)
    except ValueError:
        return None


def _hijri(y: int, m: int, d: int) -> dt.date | None:
    if Hijri is None:
        return None
    try:
        g = Hijri(y, m, d).to_gregorian()
        return dt.date(g.year, g.month, g.day)
    except (ValueError, OverflowError):            # outside Umm al-Qura's 1343-1500 AH, or no such day
        return None


def _hijri_year_of(d: dt.date) -> int | None:
    if Gregorian is None:
        return None
    try:
        return Gregorian(d.year, d.month, d.day).to_hijri().year
    except (ValueError, OverflowError):
        return None


def _add_months(d: dt.date, n: int) -> dt.date:
    y, m = divmod(d.month - 1 + n, 12)
    return dt.date(d.year + y, m + 1, 1)


def resolve_weekday(published: dt.date, weekday: int, rel: str | None = None) -> dt.date:
    """The day a weekday name means in a report published on ``published``."""
    if rel and re.fullmatch(_FUTURE, rel):
        return published + dt.timedelta(days=(weekday - published.weekday()) % 7 or 7)
    back = (published.weekday() - weekday) % 7
    if rel and back == 0:
        back = 7                                   # "الثلاثاء الماضي" on a Tuesday: last week's
    return published - dt.timedelta(days=back)


def _part(m: re.Match) -> str | None:
    for g in ("part", "part2"):
        if m.groupdict().get(g):
            return _PARTS.get(_key(m.group(g)))
    return None


def _month_of(m: re.Match) -> int:
    return _MONTHS[_key(m.group("m"))][0]


# Six patterns need a month name. Scanning the whole text with each is the
# stage's main cost, so one pass finds the month names and those patterns run
# only in windows around them: a match starts at most WINDOW_BEFORE characters
# before its month ("يوم الحادي والعشرين من شهر" is 26) and ends within
# WINDOW_AFTER after it ("تشرين الثاني/نوفمبر من العام الماضي" is 36).
WINDOW_BEFORE = 48
WINDOW_AFTER = 80
_MONTH_ANY = re.compile(r"(?:" + _alt(list(_MONTHS) + list(_HMONTHS)) + r")(?![^\W\d_])")   # مارس2011 too
_WORD_END = re.compile(r"\s+\S+\s|$")


def _month_windows(vt: str) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for m in _MONTH_ANY.finditer(vt):
        a = max(0, m.start() - WINDOW_BEFORE)
        # end after the next whole word, so that a trailing look-ahead ((?!\w)، (?!\s*\d))
        # sees what the full text would show it
        b = _WORD_END.search(vt, min(len(vt), m.end() + WINDOW_AFTER)).end()
        if out and a <= out[-1][1]:
            out[-1] = (out[-1][0], max(b, out[-1][1]))
        else:
            out.append((a, b))
    return out


def _near(vt: str, pattern: re.Pattern, windows: list[tuple[int, int]]):
    for a, b in windows:
        yield from pattern.finditer(vt, a, b)


# --- the finder ---------------------------------------------------------------

def find_dates(text: str, published: str | None = None, view: NormText | None = None) -> list[DateSpan]:
    """Every date expression in ``text``, resolved against ``published`` (ISO) where needed."""
    view = view or view_of(text)
    vt = view.text
    pub = _pub(published)
    cands: list[_Cand] = []
    windows = _month_windows(vt)

    for m in _near(vt, _GREG_DAY, windows):
        mon, day = _month_of(m), int(m.group("d"))
        if m.group("y"):
            d = _safe_date(int(m.group("y")), mon, day)
        elif pub and m.group("yrel"):
            d = _safe_date(pub.year + _YEAR_REL_OFFSET[m.group("yrel")], mon, day)
        elif _named_event(vt, m.start()):
            d = None                                # ثورة 25 يناير: a name, not this year's date
        elif pub:
            d = _nearest_year(pub, mon, day)
        else:
            d = None
        if d or not m.group("y"):
            if d is None and _safe_date(2000, mon, day) is None:
                continue
            cands.append(_Cand(m.start(), m.end(), d, "day"))

    for m in (_ORD_DAY.finditer(vt) if _has_any(vt, _NEEDS_ORDINAL) else ()):            # also "العاشر من الشهر الحالي", no month name
        day = _ORDINAL_DAYS[_key(m.group("od"))]
        d = None
        if m.group("m"):
            mon = _month_of(m)
            if m.group("y"):
                d = _safe_date(int(m.group("y")), mon, day)
            elif pub and m.group("yrel"):
                d = _safe_date(pub.year + _YEAR_REL_OFFSET[m.group("yrel")], mon, day)
            elif pub and not _named_event(vt, m.start()):
                d = _nearest_year(pub, mon, day)
        elif pub:
            first = _add_months(pub, _REL_MONTH[m.group("relm")] if m.group("relm") else 0)
            d = _safe_date(first.year, first.month, day)
        cands.append(_Cand(m.start(), m.end(), d, "day"))

    for m in _near(vt, _HIJRI_DAY, windows):
        hm, amb = _HMONTHS[_key(m.group("hm"))]
        if amb and not (m.group("y") or m.group("h")):
            continue                                # صفر، رمضان alone are ordinary words
        day = int(m.group("d"))
        d = None
        if m.group("y"):
            d = _hijri(int(m.group("y")), hm, day)
        elif pub:
            hy = _hijri_year_of(pub)
            if hy:
                d = _hijri(hy, hm, day)
                if d and d > pub + dt.timedelta(days=30):
                    d = _hijri(hy - 1, hm, day)
        cands.append(_Cand(m.start(), m.end(), d, "day", calendar="hijri"))

    for m in _NUMERIC.finditer(vt):
        if m.start() and vt[m.start() - 1] in "0123456789/.-":
            continue
        if m.group("y"):
            y, mo, day = int(m.group("y")), int(m.group("m")), int(m.group("d"))
        else:
            y, mo, day = int(m.group("y2")), int(m.group("m2")), int(m.group("d2"))
        if m.group("h") or 1300 <= y <= 1500:
            d, cal = _hijri(y, mo, day), "hijri"
        else:
            d, cal = _safe_date(y, mo, day), "gregorian"
        if d:
            cands.append(_Cand(m.start(), m.end(), d, "day", calendar=cal))

    for m in _near(vt, _MONTH_YEAR, windows):
        d = _safe_date(int(m.group("y")), _month_of(m), 1)
        if d:
            cands.append(_Cand(m.start(), m.end(), d, "month"))

    for m in _near(vt, _HMONTH_YEAR, windows):
        hm = _HMONTHS[_key(m.group("hm"))][0]
        cands.append(_Cand(m.start(), m.end(), _hijri(int(m.group("y")), hm, 1), "month", calendar="hijri"))

    for m in _near(vt, _MONTH_ONLY, windows):
        mon = _month_of(m)
        d = None
        if pub and m.group("yrel"):
            d = dt.date(pub.year + _YEAR_REL_OFFSET[m.group("yrel")], mon, 1)
        elif pub:
            rel = m.group("rel") or ""
            d = dt.date(pub.year, mon, 1)
            if re.fullmatch(_FUTURE, rel):
                if d <= pub.replace(day=1):
                    d = d.replace(year=pub.year + 1)
            elif d > pub.replace(day=1) or (re.fullmatch(_PAST, rel) and d == pub.replace(day=1)):
                d = d.replace(year=pub.year - 1)
        cands.append(_Cand(m.start("lead") if m.group("lead") in ("شهر",) else m.start("m"),
                           m.end(), d, "month", rank="relative"))

    for m in _YEAR_DIGITS.finditer(vt):
        lead = _YEAR_LEAD.search(vt, max(0, m.start() - 16), m.start())
        if lead:
            cands.append(_Cand(lead.start(), m.end(), dt.date(int(m.group("y")), 1, 1), "year"))

    for m in _HIJRI_YEAR.finditer(vt):
        lead = _YEAR_LEAD.search(vt, max(0, m.start() - 16), m.start())
        start = lead.start() if lead else m.start()
        cands.append(_Cand(start, m.end(), _hijri(int(m.group("y")), 1, 1), "year", calendar="hijri"))

    for m in (_WEEKDAY.finditer(vt) if _has_any(vt, _NEEDS_WEEKDAY) else ()):
        prev = vt[max(0, m.start() - 12):m.start()].split()
        if prev and prev[-1] in _SKIP_BEFORE_WEEKDAY:
            continue
        wd = _WEEKDAYS[_key(m.group("wd"))]
        d = resolve_weekday(pub, wd, m.group("rel")) if pub else None
        cands.append(_Cand(m.start(), m.end(), d, "day", _part(m), rank="weekday", weekday=wd))

    for m in _RELATIVE_RE.finditer(vt):
        key = _key(m.group("rel"))
        if key == "غدا" and _prev_word(vt, m.start()) in _NOT_TOMORROW:
            continue
        if key == "اليوم":
            prev = vt[max(0, m.start() - 12):m.start()].split()
            if prev and prev[-1].lstrip("\"«“(") in _SKIP_BEFORE_TODAY:      # "(مراسل" and «روسيا
                continue
        off, unit = _RELATIVE[key]
        part = _part(m) or ("night" if "ليل" in key else None)     # الليلة الماضية، الليل قبل الماضي
        cands.append(_Cand(m.start(), m.end(), _relative(pub, off, unit), unit, part, rank="relative"))

    for m in (_TOMORROW.finditer(vt) if _has_any(vt, _NEEDS_TOMORROW) else ()):
        cands.append(_Cand(m.start(), m.end(), _relative(pub, 1, "day"), "day", _part(m), rank="relative"))

    for m in (_AGO_RE.finditer(vt) if _has_any(vt, _NEEDS_AGO) else ()):
        count, unit = _AGO[_key(m.group("unit"))]
        plural_only = m.group("n") is None and _key(m.group("unit")) in _PLURAL_UNITS
        if m.group("n"):
            n = parse_value(m.group("n"))
            if n is None:
                continue
            count = int(n) * count
        if plural_only:
            d, prec = pub, "before"
        elif unit == "hour":
            d, prec = pub, "day"
        else:
            d, prec = _relative(pub, -count, unit), unit
        cands.append(_Cand(m.start(), m.end(), d, prec, rank="relative"))

    return [_to_span(view, c) for c in _merge(vt, _drop_overlaps(cands))]


def _nearest_year(pub: dt.date, month: int, day: int) -> dt.date | None:
    """A day and month without a year: the year that puts it nearest publication,
    a day ahead counting FUTURE_WEIGHT days back (news tells mostly of the past)."""
    best, best_cost = None, None
    for y in (pub.year - 1, pub.year, pub.year + 1):
        d = _safe_date(y, month, day)
        if d is None:
            continue
        cost = (pub - d).days if d <= pub else FUTURE_WEIGHT * (d - pub).days
        if best_cost is None or cost < best_cost:
            best, best_cost = d, cost
    return best


def _prev_word(vt: str, pos: int) -> str:
    words = vt[max(0, pos - 16):pos].split()
    return words[-1] if words else ""


def _named_event(vt: str, pos: int) -> bool:
    """Whether a day and month at ``pos`` name a past event: "ثورة 25 يناير"، "هجمات 11 سبتمبر"."""
    w = _prev_word(vt, pos)
    return w in _NAMED_EVENT or (w[:1] in "وفبل" and w[1:] in _NAMED_EVENT) or \
        (w.startswith("لل") and "ال" + w[2:] in _NAMED_EVENT)


def _relative(pub: dt.date | None, off: int, unit: str) -> dt.date | None:
    """The date ``off`` units from ``pub``; None when that falls outside years 1-9999
    ("قبل 2500 عام" in a report of year 2015 has no date a calendar can hold)."""
    if pub is None:
        return None
    try:
        return _shift(pub, off, unit)
    except (ValueError, OverflowError):
        return None


def _shift(pub: dt.date, off: int, unit: str) -> dt.date:
    if unit == "day":
        return pub + dt.timedelta(days=off)
    if unit == "week":
        return pub + dt.timedelta(days=7 * off)
    if unit == "month":
        return _add_months(pub, off)
    if unit == "year":
        return dt.date(pub.year + off, 1, 1)
    return pub                                      # "before": on or before publication


def _drop_overlaps(cands: list[_Cand]) -> list[_Cand]:
    order = sorted(cands, key=lambda c: (-(c.e - c.s), -c.rank, c.s))
    if any(c.e <= c.s for c in cands):        # an empty candidate: the plain scan
        kept: list[_Cand] = []
        for c in order:
            if all(c.e <= k.s or k.e <= c.s for k in kept):
                kept.append(c)
        return sorted(kept, key=lambda c: c.s)
    # Kept spans are disjoint and non-empty, so the one that starts last before c ends
    # last: one bisection per candidate instead of a scan of all kept (quadratic, issue 19).
    kept, starts = [], []
    for c in order:
        i = bisect_left(starts, c.e)
        if i == 0 or kept[i - 1].e <= c.s:
            kept.insert(i, c)
            starts.insert(i, c.s)
    return kept


def _merge(vt: str, cands: list[_Cand]) -> list[_Cand]:
    """Join adjacent readings of one day: "أمس الأحد"، "الثلاثاء 26 أغسطس"، "هـ الموافق 10 أغسطس"."""
    out: list[_Cand] = []
    for c in cands:
        if out:
            p = out[-1]
            gap = vt[p.e:c.s]
            day_pair = p.precision == "day" and c.precision == "day"
            both_explicit = p.rank == c.rank == _RANK["explicit"]
            if day_pair and _MERGE_GAP.match(gap) and (not both_explicit or "الموافق" in gap or p.calendar != c.calendar):
                best = c if (c.rank, c.calendar == "gregorian") > (p.rank, p.calendar == "gregorian") else p
                date = best.date
                wd = p.weekday if p.weekday is not None else c.weekday
                if best.rank == _RANK["relative"] and wd is not None and date and date.weekday() != wd:
                    # "اليوم الاثنين" in a text dated Saturday: the date given is wrong (often a
                    # crawl date); the weekday the text names is the better evidence.
                    date = resolve_weekday(date, wd)
                merged = _Cand(p.s, c.e, date, best.precision, p.part or c.part, best.calendar)
                merged.rank = best.rank
                out[-1] = merged
                continue
        out.append(c)
    return out


def _to_span(view: NormText, c: _Cand) -> DateSpan:
    sp = orig_span(view, c.s, c.e)
    return DateSpan(sp.start, sp.end, _iso(c.date), c.precision, c.part, c.calendar)


# --- publication date -----------------------------------------------------------

def find_published(text: str) -> tuple[str, Span] | None:
    """The publication date from a dateline or date line near the top of an article.

    Only full dates with a year count ("الرياض 25 شوال 1436 هـ الموافق 10 أغسطس
    2015 م واس"، "26 آب 2014"، "الثلاثاء 26 أغسطس 2014"، "26/8/2014"), and only
    where a dateline puts them: on one of the first ``PUBLISHED_LINES`` lines,
    starting within ``DATELINE_OFFSET`` characters of the line's start or on a
    short line of its own, so that a background date in the lead ("اندلعت
    الثورة في 15 آذار 2011") is not taken for the publication date. A
    Gregorian reading wins over a Hijri one.
    """
    head = text[:PUBLISHED_WINDOW]
    view = view_of(head)
    lines, offset = [], 0
    for ln in head.split("\n"):
        if ln.strip():
            lines.append((offset, offset + len(ln)))
        offset += len(ln) + 1
    lines = lines[:PUBLISHED_LINES]
    best = None
    for ds in find_dates(head, None, view):
        if ds.date is None or ds.precision != "day" or not re.search(r"\d{4}", head[ds.start:ds.end]):
            continue
        line = next(((a, b) for a, b in lines if a <= ds.start < b), None)
        if line is None:
            continue
        lead = len(head[line[0]:ds.start].strip())
        if lead > DATELINE_OFFSET and line[1] - line[0] > SHORT_LINE:
            continue
        if best is None or (best.calendar != "gregorian" and ds.calendar == "gregorian"):
            best = ds
        if best.calendar == "gregorian":
            break
    return (best.date, Span(best.start, best.end)) if best else None
