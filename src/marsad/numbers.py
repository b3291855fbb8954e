"""Arabic numbers in news copy: the values casualty tolls rest on.

``find_numbers(text)`` returns a ``core.NumberSpan`` for every count written in
the text: digits (Western and Arabic-Indic, with separators and decimals),
number words in every gender and case form and their compounds (خمسة وعشرين،
ثلاثمئة وعشرين، ألف ومئتا), digits with a scale word (2.5 مليون), duals of
person nouns (قتيلان، جنديين), a singular person noun after a kill word (قتل
جندي), family phrases (امرأة وطفلاها) and vague counts (عشرات، عدد من). Each
span carries its kind (exact, approximate, at_least, at_most, vague), the
counted noun when one follows, and ``is_toll_candidate`` False with a reason
for the numbers that are labels or measures rather than counts of people
(years, ages, unit names, resolutions, ordinals, money, phone numbers,
percentages, things, partitives).

Matching runs precompiled regular expressions over ``arabic.norm_view`` (one
alef, ha for ta marbuta, Western digits), so every span maps back to offsets
in the original text. Word lists live in data/numbers.tsv,
data/numbers_nouns.tsv and data/numbers_context.tsv.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from .arabic import DIACRITICS, NormText, alternation, clitic_prefix, normalize, view_of
from .core import Article, NumberSpan, Span
from .resources import data_lists, data_rows

__all__ = ["find_numbers", "parse_value", "numbers_in", "view_of", "orig_span", "trie_regex", "TOLL_REASONS"]

# Reasons a number is not a toll candidate (NumberSpan.reason).
TOLL_REASONS = ("year", "date", "time", "age", "duration", "unit", "reference", "ordinal", "money",
                "measure", "percent", "phone", "object", "population", "partitive", "negated", "indefinite",
                "range", "repeat", "list")

# How far after a number (or its noun) a trailing qualifier may stand: "25
# مقاتلا من المعارضة على الأقل" puts three words between. Four words covers the
# dev articles; more starts to catch the next clause's qualifier.
POST_QUALIFIER_WORDS = 4

_WORDS = data_lists("numbers_words.tsv")
# How far back a partitive ("ثلاثة منهم") looks for the count it is a part of,
# in characters: about one long sentence of agency copy.
PARTITIVE_LOOKBACK = 300
# A bare 4-digit number in this range with no counted noun is a year after a
# year cue (في 2012، منذ 2011، صيف 2012) or in a year range; elsewhere it may be a
# toll ("ارتفعت الحصيلة إلى 2000").
YEAR_RANGE = (1900, 2100)
# A bare run of this many digits with no counted noun is an identifier, not a count.
LONG_DIGITS = 8
# Any number in this range after عام/سنة or before م/هـ is a year (historical copy: عام 1722م).
YEAR_DIGITS = (100, 2100)
HIJRI_YEAR_RANGE = (1300, 1500)


# --- lexicons ---------------------------------------------------------------

def _table(name: str) -> list[tuple[str, str, str]]:
    out = []
    for row in data_rows(name):
        row = tuple(row) + ("", "", "")
        out.append((row[0], row[1], row[2]))
    return out


_NUMBER_WORDS: dict[str, dict[str, int]] = {}      # form -> {category: value}
for _form, _cat, _val in _table("numbers.tsv"):
    _NUMBER_WORDS.setdefault(normalize(_form), {})[_cat] = int(_val)

_NOUNS: dict[str, dict[str, int]] = {}
for _form, _cat, _val in _table("numbers_nouns.tsv"):
    _NOUNS.setdefault(normalize(_form), {})[_cat] = int(_val) if _val else 0

_CONTEXT: dict[str, dict[str, str]] = {}           # category -> {phrase: value}
for _cat, _phrase, _val in _table("numbers_context.tsv"):
    _CONTEXT.setdefault(_cat, {})[normalize(_phrase)] = _val


def _nouns(cat: str) -> set[str]:
    return {f for f, cats in _NOUNS.items() if cat in cats}


_PERSON, _DUAL, _SINGLE, _OBJECT = _nouns("person"), _nouns("dual"), _nouns("single"), _nouns("object")
_POPULATION = _nouns("population")
_HEAD = _nouns("head")
_MEMBER = {f: c["member"] for f, c in _NOUNS.items() if "member" in c}


def _month_first_words() -> set[str]:
    out = set()
    for row in data_rows("calendar.tsv"):
        if row[0] in ("month", "hijri_month"):
            out.add(normalize(row[1]).split()[0])
    return out


_MONTH_WORDS = _month_first_words()


def _alt(words) -> str:
    """A regex alternation, longest first so that ثمانين wins over ثمان."""
    return "|".join(re.escape(w) for w in sorted(set(words), key=lambda w: (-len(w), w)))


def _phrase_alt(phrases) -> str:
    return "|".join(r"\s+".join(re.escape(p) for p in ph.split())
                    for ph in sorted(set(phrases), key=lambda w: (-len(w), w)))


# --- the atom regex ---------------------------------------------------------

def trie_regex(words) -> str:
    """A regex alternation factored by common prefixes: Python's re tries the
    branches of a flat alternation one by one at every position, a trie fails
    after the first letter that no word has. A space in a phrase matches any run
    of white space."""
    trie: dict = {}
    for w in words:
        node = trie
        for ch in w:
            node = node.setdefault(ch, {})
        node[""] = {}

    def build(node: dict) -> str:
        alts, end = [], "" in node
        for ch in sorted(k for k in node if k):
            alts.append((r"\s+" if ch == " " else re.escape(ch)) + build(node[ch]))
        if not alts:
            return ""
        body = alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"
        return "(?:" + body + ")?" if end else body
    return build(trie)


# thousands groups (1,500), then a comma decimal (2,5 مليون in much Arabic copy), then plain/decimal
_DIGITS = (r"\d+(?:[,٬]\d{3})+(?!\d)(?:[.٫]\d+)?|\d+,\d{1,2}(?![\d,])"
           # 100.000 شخص: a dot before three digits groups thousands, unless a scale word
           # follows (2.500 مليون is 2.5 million)
           r"|\d{1,3}(?:\.\d{3})+(?!\d)(?!\s*" + alternation(_WORDS["scale_after"]) + r"(?!\w))"
           r"|\d+(?:[.٫]\d+)?")
# Digit shapes that are not counts are read whole first, so 26/8/2014 is not 26, 8 and 2014.
# A one-character look-ahead first: re then rejects a letter with one test instead of
# trying every branch (measured 0.14 ms against 0.56 with a look-behind first, on
# 4,500-character articles); what stands before the number is checked in _atoms (_DIGIT_PRE).
_DIGIT_ATOM = re.compile(
    r"(?=[\d+])(?:(?P<datenum>\d{1,4}[/-]\d{1,2}[/-]\d{1,4}(?![\d/])|\d{1,2}\.\d{1,2}\.\d{4}(?!\d)"
    r"|\d{1,2}\s*[/-]\s*\d{1,2}\s*[/-]\s*\d{4}(?!\d)|\d{1,2}\s?/\s?\d{1,2}(?![\d/]))"
    r"|(?P<time>\d{1,2}:\d{2}(?![\d:]))"
    r"|(?P<phone>(?:\+|00)\d[\d\- ]{6,16}\d(?!\d)|0\d{8,11}(?!\d))"
    r"|(?P<digits>" + _DIGITS + r")(?!\d|[:/]\d))")
# A number stands after a space, a bracket, a quote or a dash, or after a proclitic
# (و15، ب5، الـ12، بالـ3) that itself starts a word.
_DIGIT_PRE = re.compile(r"(?:^|(?<=[\s(«\"'\-–]))(?P<pre>" + "|".join(_WORDS["digit_prefix"]) + ")?$")
# A number word with an optional proclitic (و/ف, then ب/ل), the words as a trie. Not ك:
# كميات would read as ك + مئات (ئ folds to ي in the view).
_WORD_ATOM = re.compile(r"(?<!\w)(?P<pre>" + clitic_prefix("وف") + clitic_prefix("بل") + r")(?P<w>" + trie_regex(_NUMBER_WORDS) + r")(?!\w)")
# Short words (ست، سبع، احد، الف) take only و/ف before them: لست is "I am not", not ل + 6.
SHORT_WORD = 3
_WORD = re.compile(r"[\w%٪]+")
_PUNCT_STOP = re.compile(r"[،,.؛;:!?؟\n\"«»()\[\]]")


@dataclass
class _Atom:
    start: int          # view offsets of the number itself (proclitic excluded)
    end: int
    kind: str           # digits, word, datenum, time, phone
    cats: dict          # category -> value, for words
    value: float | None
    has_wa: bool        # written with the conjunction و (وعشرون)
    pstart: int = -1    # view offset of the match with its proclitic


def _atoms(vt: str) -> list[_Atom]:
    out = []
    for m in _DIGIT_ATOM.finditer(vt):
        g = m.lastgroup
        s, e = m.span(g)
        pm = _DIGIT_PRE.search(vt, max(0, s - 4), s)
        if pm is None or (s and vt[s - 1].isdigit()):
            continue                                        # inside a word or a longer number
        ps = pm.start("pre") if pm.group("pre") else s
        if ps >= 2 and vt[ps - 1] in "-–" and re.match(r"[a-z]", vt[ps - 2]):
            continue                                        # F-16, MiG-29: a model name
        wa = (pm.group("pre") or "").startswith("و")
        if g == "digits":
            out.append(_Atom(s, e, "digits", {}, _digit_value(m.group(g), vt, e), wa, ps))
        else:
            out.append(_Atom(s, e, g, {}, None, False, ps))
    for m in _WORD_ATOM.finditer(vt):
        pre, w = m.group("pre"), m.group("w")
        if w not in _NUMBER_WORDS:
            continue
        if len(w) <= SHORT_WORD and pre and pre[-1] in "بل":
            continue
        if pre == "و" and "و" + w in _NUMBER_WORDS:
            continue                                        # واحد is a word, not و + احد
        s, e = m.span("w")
        out.append(_Atom(s, e, "word", dict(_NUMBER_WORDS[w]), None, pre.startswith("و"), m.start()))
    if vt.find("واحد") >= 0:
        for m in _ONE.finditer(vt):
            out.append(_Atom(m.start(), m.end(), "word", dict(_NUMBER_WORDS[m.group(1)]), None, False, m.start()))
    out.sort(key=lambda a: a.start)
    return out


_ONE = re.compile(r"(?<!\w)(" + "|".join(_WORDS["one"]) + r")(?!\w)")
_TWO = re.compile(r"\s+" + alternation(_WORDS["two"]) + r"(?!\w)")
_NISBA_PLURAL = re.compile(alternation(_WORDS["nisba_plural"]) + "$")
_MONTH_SECOND_WORDS = tuple(_WORDS["month_second_word"])
# "(1888 – 1952)"، "2011 و2012": a year before the number makes it a year too
_YEAR_RANGE_BEFORE = re.compile(r"(?:\(\s*|\d{4}\s*(?:[-–/]|"
                                + "|".join(dict.fromkeys(normalize(w) for w in _WORDS["year_range_joiner"])) + r")\s*)$")
_SCALE_NEXT = re.compile(r"\s*" + alternation(_WORDS["scale_after"]) + r"(?!\w)")


def _digit_value(d: str, vt: str = "", end: int = 0) -> float:
    d = d.replace("٫", ".").replace("٬", ",")
    if re.fullmatch(r"\d{1,3}(?:\.\d{3})+", d) and not _SCALE_NEXT.match(vt, end):
        return float(d.replace(".", ""))                    # 100.000 = 100000 (see _DIGITS)
    if re.fullmatch(r"\d+,\d{1,2}", d):          # 2,5 = 2.5 in much Arabic copy
        d = d.replace(",", ".")
    return float(d.replace(",", ""))


def _order(a: _Atom) -> int:
    """Rank in a compound: units 1, tens 2, hundreds 3, scales 4, digits 0."""
    if a.kind == "digits":
        return 0
    for cat, rank in (("scale", 4), ("hundred", 3), ("ten", 2), ("unit", 1), ("teen", 1)):
        if cat in a.cats:
            return rank
    return -1


def _joins(group: list[_Atom], b: _Atom, gap: str) -> bool:
    """Whether atom ``b`` continues the compound ``group`` (gap = view text between)."""
    a = group[-1]
    if gap.strip() or b.kind not in ("digits", "word") or a.kind not in ("digits", "word"):
        return False
    if "ordinal" in a.cats and len(a.cats) == 1:
        return "teen" in b.cats and not b.has_wa          # الحادي عشر
    if "vague" in a.cats and "scale" not in a.cats:
        return "scale" in b.cats and not b.has_wa          # عشرات الآلاف
    if not b.has_wa:
        if "teen" in b.cats and "unit" in a.cats and len(group) == 1 and a.cats.get("unit", 0) < 10:
            return True                                     # ثلاثة عشر
        if "scale" in b.cats and not ("scale" in a.cats and len(group) == 1 and a.kind == "word"):
            return True                                     # خمسة آلاف، 64 مليون، مئة ألف
        if b.cats.get("hundred") == 100 and "unit" in a.cats and len(group) == 1:
            return True                                     # ثلاث مئة
        return False
    # with و: units before tens (خمسة وعشرون), hundreds and scales before smaller parts
    ra, rb = _order(a), _order(b)
    if "unit" in a.cats and "ten" in b.cats and "teen" not in a.cats:
        return True
    if a.kind == "digits":
        return False
    if "scale" in a.cats and b.kind == "digits":
        return True                                         # مليون و200 ألف
    return ra > rb >= 1


# Beyond any count, sum or population a news report gives (a quadrillion): a
# larger value is a run of digits, not a quantity, and kept as vague so that no
# later arithmetic (int(), sums of tolls, SQLite's 64-bit integers) overflows.
NUMBER_LIMIT = 10 ** 15


def _group_value(group: list[_Atom]) -> tuple[float | None, bool]:
    """(value, vague) of a compound."""
    if any("vague" in a.cats and "scale" not in a.cats for a in group[:1]) or \
            (len(group) == 1 and set(group[0].cats) >= {"vague", "scale"}):
        return None, True
    total, current = 0.0, 0.0
    for i, a in enumerate(group):
        if a.kind == "digits":
            current += a.value
            continue
        c = a.cats
        if "ordinal" in c and i == 0:
            current += c["ordinal"]
        elif "teen" in c and i > 0:
            current += 10
        elif "scale" in c and (i > 0 or len(c) == 1 or "vague" not in c):
            scale = c["scale"]
            if scale in (2000, 2_000_000) and i == 0:
                total += scale                              # ألفان، مليونان
                continue
            total += (current or 1) * scale
            current = 0
        elif "hundred" in c:
            if c["hundred"] == 100 and current and current < 10 and i > 0 and not a.has_wa:
                current = current * 100                     # ثلاث مئة
            else:
                current += c["hundred"]
        elif "ten" in c:
            current += c["ten"]
        elif "unit" in c:
            current += c["unit"]
    if not total + current <= NUMBER_LIMIT:   # also catches inf and nan (400 digits)
        return None, True
    return total + current, False


def parse_value(phrase: str) -> float | None:
    """The value of a number phrase: "ثلاثمئة وعشرين" → 320, "2.5 مليون" → 2500000."""
    vt = normalize(phrase)
    atoms = [a for a in _atoms(vt) if a.kind in ("digits", "word")]
    if not atoms:
        return None
    group = [atoms[0]]
    for b in atoms[1:]:
        if not _joins(group, b, vt[group[-1].end:b.pstart]):
            break
        group.append(b)
    value, vague = _group_value(group)
    return None if vague else _num(value)


def _num(v: float | None):
    if v is None:
        return None
    return int(v) if float(v).is_integer() else v


# --- context regexes ---------------------------------------------------------

def _ctx_before(cat: str) -> re.Pattern:
    return re.compile(r"(?<!\w)" + clitic_prefix("وف") + "(?:" + _phrase_alt(_CONTEXT.get(cat, {})) + r")[\s،,]*$")


_APPROX_BEFORE = _ctx_before("approx_before")
_AT_LEAST_BEFORE = _ctx_before("at_least_before")
_AT_MOST_BEFORE = _ctx_before("at_most_before")
# "بينهم أكثر من 11500 طفل": a qualifier may stand between the partitive and the number.
_PARTITIVE_BEFORE = re.compile(r"(?<!\w)" + clitic_prefix("وف") + "(?:" + _phrase_alt(_CONTEXT["partitive_before"]) + r")[\s،,]+(?:(?:"
                               + _phrase_alt({**_CONTEXT["approx_before"], **_CONTEXT["at_least_before"],
                                              **_CONTEXT["at_most_before"]}) + r")\s+)?$")


def _ctx_after(cats: list[str]) -> re.Pattern:
    alts = []
    for cat in cats:
        alts.append(f"(?P<{cat}>" + _phrase_alt(_CONTEXT.get(cat, {})) + ")")
    return re.compile(r"(?:\s+[^\s،,.؛:!?؟()]+){0,%d}?\s*%s(?:%s)(?!\w)"
                      % (POST_QUALIFIER_WORDS, clitic_prefix("وف"), "|".join(alts)))


_POST_QUALIFIER = _ctx_after(["at_least_after", "approx_after", "at_most_after"])
_PARTITIVE_AFTER = re.compile(r"\s*(?:" + _phrase_alt(_CONTEXT["partitive_after"]) + r")(?!\w)")
_TRAP_AFTER = re.compile(r"\s*(?:ال)?(?P<w>" + _phrase_alt(_CONTEXT["trap_after"]) + r")(?![^\W\d_])")
_TRAP_AFTER_REASON = _CONTEXT["trap_after"]
_TRAP_BEFORE = _CONTEXT["trap_before"]
_TRIGGERS = set(_CONTEXT["trigger"])
_YEAR_CUES = set(_CONTEXT["year_cue"])
# Two words back: "قرار الأمم المتحدة 2216" names a resolution, not a count.
_REFERENCE_HEADS = {normalize(w) for w in _WORDS["reference_head"]}
_NEGATION = set(_CONTEXT["negation"])
# The lexical readings (family phrases, vague phrases, duals, a singular after a kill
# word) in one pass: one scan of the text instead of four. The singular sits in a
# look-ahead so that the scan goes on right after the trigger and "مقتل امرأة
# وطفلاها" still meets the family phrase (the longer reading then wins).
_LEXICAL = re.compile(
    r"(?<!\w)" + clitic_prefix("وفبل") + "(?:"
    r"(?P<h>" + trie_regex(_HEAD) + r")(?P<rest>(?:\s+و(?:" + trie_regex(_MEMBER) + r")(?!\w))+)"
    r"|(?P<p>" + trie_regex(_CONTEXT["vague_phrase"]) + r")(?!\w)"
    r"|(?P<n>" + trie_regex(_DUAL) + r")(?!\w)"
    r"|(?:" + trie_regex(_TRIGGERS) + r")(?=\s+" + clitic_prefix("وفبل") + r"(?P<s1>" + trie_regex(_SINGLE) + r")(?!\w)))")
_SINGLE_MORE = re.compile(r"\s+و(?P<n>" + trie_regex(_SINGLE) + r")(?!\w)")
_MEMBER_RE = re.compile(r"و(?P<m>" + _alt(_MEMBER) + r")(?!\w)")
_AGE_AFTER = re.compile(r"\s+(?:عاما\s+)?من\s+" + alternation(_WORDS["age_after"]) + r"(?!\w)")
_AGE_CUE = re.compile(alternation(_WORDS["age_cue"]) + r"\S*\s+(?:من\s+)?(?:العمر\s+)?[\s(]*$")


def _prev_words(vt: str, pos: int, n: int = 2) -> list[str]:
    """Up to ``n`` words before ``pos`` (nearest first), skipping a lone ال (سن الـ 14) and brackets."""
    words = _WORD.findall(vt[max(0, pos - 60):pos])
    words = [w for w in words if w != "ال"]
    return words[::-1][:n]


# What may close a number before its counted noun: "سبعة (7) أشخاص"، headline "مقتل «17» من
# الحوثيين" (the toll reader, events/tolls.py, steps past it too).
NUMBER_CLOSER = r"[)»”\"]?"
_NOUN_WORD = re.compile(NUMBER_CLOSER + r"\s*(" + clitic_prefix("وفبل") + r")(\w+)")


def _noun_after(vt: str, pos: int, value=None) -> tuple[str, int, int] | None:
    """The counted noun right after a number: (form as written in view, start, end)."""
    m = _NOUN_WORD.match(vt, pos)
    if not m:
        return None
    word, s, e = m.group(2), m.start(2), m.end(2)
    if word == "من":                                        # تسعة من قوات النظام، ثلاثة من العاملين
        m2 = re.compile(r"\s+(\w+)").match(vt, e)
        if m2:
            w2 = m2.group(1)
            stem = w2[2:] if w2.startswith("ال") else w2
            if w2 in _PERSON or stem in _PERSON or (w2.startswith("ال") and w2.endswith("ين") and len(w2) > 6):
                return w2, m2.start(1), m2.end(1)            # ثلاثة من الناشطين: a plural of people
        return None
    full, fs = m.group(1) + word, m.start(1)
    if full in _PERSON or full in _OBJECT or full in _DUAL or full in _POPULATION:
        return full, fs, e
    for cand in (word, _strip_al(word)):                    # بالمدنيين → مدنيين
        if cand in _PERSON or cand in _OBJECT or cand in _DUAL or cand in _POPULATION:
            return cand, s, e
    # The shapes below take the whole token: a number is not followed by a conjunction,
    # so a first ف/ب/ل is part of the noun (فلسطينيين، لاجئا).
    if _NISBA_PLURAL.search(full) and len(full) > 4:  # nisba plurals: مسيحيين، يمنيين
        return full, fs, e
    # 11-99 take an accusative singular (70 متمردا، 12 أسيرًا): a word in -ا right after is the noun
    if value is not None and 11 <= value % 100 <= 99 and full.endswith("ا") and len(full) >= 4 \
            and full not in _NOT_NOUNS and not full.startswith("ال"):
        return full, fs, e
    # 100 and more take a genitive singular (700 بريطاني، 1700 مجند، مائتي تلميذة): the next
    # word, unless it is a particle, a conjunction-led word, or a plural past verb (قتلوا، سقطوا)
    if value is not None and value >= 100 and value % 100 in (0, 1, 2) and len(full) >= 3 \
            and full not in _NOT_NOUNS and not full.startswith(("ال", "و", "ف")) \
            and not full.endswith("وا") and not full.isdigit():
        return full, fs, e
    return None


# Words that follow a number but are not what it counts (data/numbers_context.tsv).
_NOT_NOUNS = set(_CONTEXT["not_noun"])


# --- the finder --------------------------------------------------------------

def find_numbers(text: str, view: NormText | None = None) -> list[NumberSpan]:
    """Every count written in ``text``, in order, with offsets into ``text``."""
    view = view or view_of(text)
    vt = view.text
    atoms = _atoms(vt)
    cands: list[tuple[int, int, NumberSpan]] = []   # (view start, view end, span)

    groups: list[list[_Atom]] = []
    for a in atoms:
        if groups and _joins(groups[-1], a, vt[groups[-1][-1].end:a.pstart]):
            groups[-1].append(a)
        else:
            groups.append([a])

    for g in groups:
        s, e = g[0].start, g[-1].end
        ns = _make(view, g, s, e)
        if ns is not None:
            cands.append((s, e, ns))

    for m in _LEXICAL.finditer(vt):
        g = m.lastgroup
        if g == "p":
            s, e = m.span("p")
            ns = NumberSpan(*_orig(view, s, e), value=None, kind="vague")
            _attach_noun(view, ns, e)
            _vague_object(ns)
            cands.append((s, e, ns))
        elif g == "n":
            s, e = m.span("n")
            if _TWO.match(vt[e:e + 12]):
                continue                                    # قتيلين اثنين: the number word carries it
            sp = orig_span(view, s, e)
            ns = NumberSpan(sp.start, sp.end, value=2, noun=view.original[sp.start:sp.end], noun_span=sp)
            _qualify(view, ns, s, e)
            cands.append((s, e, ns))
        elif g == "s1":
            for s, e in _single_chain(vt, m.span("s1")):
                sp = orig_span(view, s, e)
                ns = NumberSpan(sp.start, sp.end, value=1, noun=view.original[sp.start:sp.end], noun_span=sp)
                _qualify(view, ns, s, e)                    # "لمقتل عنصر على الأقل"
                cands.append((s, e, ns))
        else:                                               # a family phrase
            s, e = m.start("h"), m.end()
            value = 1 + sum(_MEMBER[x.group("m")] for x in _MEMBER_RE.finditer(m.group("rest")))
            hs = orig_span(view, *m.span("h"))
            sp = orig_span(view, s, e)
            cands.append((s, e, NumberSpan(sp.start, sp.end, value=value, noun=view.original[hs.start:hs.end],
                                           noun_span=hs)))

    out = _drop_overlaps(cands)
    _link_pairs(out, text)
    _link_partitives(out, text)
    return out


def _single_chain(vt: str, first: tuple[int, int]):
    yield first
    pos = first[1]
    while True:
        m2 = _SINGLE_MORE.match(vt, pos)
        if not m2:
            return
        yield m2.span("n")
        pos = m2.end("n")


def _drop_overlaps(cands):
    """Keep the longer of two overlapping readings (امرأة وطفلاها over امرأة)."""
    taken: set[int] = set()          # view offsets already covered (spans are a few words long)
    kept: list[tuple[int, int, NumberSpan]] = []
    for c in sorted(cands, key=lambda c: (-(c[1] - c[0]), c[0])):
        cells = range(c[0], c[1])
        if not any(i in taken for i in cells):
            taken.update(cells)
            kept.append(c)
    return [c[2] for c in sorted(kept, key=lambda c: c[0])]


def _orig(view: NormText, s: int, e: int) -> tuple[int, int]:
    sp = orig_span(view, s, e)
    return sp.start, sp.end


_MARKS = frozenset(DIACRITICS)


def orig_span(view: NormText, s: int, e: int) -> Span:
    """The original span of view chars [s, e), with the word's trailing vowel marks
    and tatweel (عنصراً، سَبْعَةُ) kept inside it."""
    sp = view.span(s, e)
    end, text = sp.end, view.original
    while end < len(text) and text[end] in _MARKS:
        end += 1
    return Span(sp.start, end)


def _make(view: NormText, g: list[_Atom], s: int, e: int) -> NumberSpan | None:
    vt = view.text
    a0 = g[0]
    start, end = _orig(view, s, e)
    if a0.kind in ("datenum", "time", "phone"):
        reason = {"datenum": "date"}.get(a0.kind, a0.kind)
        return NumberSpan(start, end, value=None, is_toll_candidate=False, reason=reason)
    value, vague = _group_value(g)
    value = _num(value)
    ns = NumberSpan(start, end, value=value, kind="vague" if vague else "exact")
    prev = _prev_words(vt, s, 3)
    noun = _attach_noun(view, ns, e, value)
    ordinal = "ordinal" in a0.cats and len(a0.cats) == 1
    if ordinal:
        ns.reason = "unit" if prev and _TRAP_BEFORE.get(prev[0]) == "unit" else "ordinal"
        ns.is_toll_candidate = False
        return ns
    _qualify(view, ns, s, e if noun is None else noun)
    ns.reason = _trap(view, g, s, e, value, prev, ns)
    if ns.reason is None and a0.kind == "word" and value == 1 and len(g) == 1:
        if not (ns.noun and (normalize(ns.noun) in _PERSON or _strip_al(normalize(ns.noun)) in _PERSON)):
            ns.reason = "indefinite"                        # أحد الأحياء، عائلة واحدة: not a count of dead
        elif any(w in _NEGATION or (w[:1] in "وف" and w[1:] in _NEGATION) for w in prev):
            ns.reason = "negated"                           # لم يصب أحد
    if ns.reason is None and _PARTITIVE_BEFORE.search(vt, max(0, s - 40), s):
        ns.reason = "partitive"
    if ns.reason is None:
        after = e if noun is None else noun
        pm = _PARTITIVE_AFTER.match(vt, after)
        if pm and not _starts_number(vt, pm.end()):
            ns.reason = "partitive"                         # ثلاثة منهم (but not "15 منهم 12")
    if vague and ns.reason is None:
        _vague_object(ns)
    ns.is_toll_candidate = ns.reason is None
    return ns


def _vague_object(ns: NumberSpan) -> None:
    """"عدة منازل"، "العديد من الطائرات": an open count of things is no toll either."""
    if ns.noun and _strip_al(normalize(ns.noun)) in _OBJECT | {normalize(ns.noun)} & _OBJECT:
        ns.reason, ns.is_toll_candidate = "object", False


def _strip_al(w: str) -> str:
    return w[2:] if w.startswith("ال") and len(w) > 4 else w


def _starts_number(vt: str, pos: int) -> bool:
    pos += len(vt[pos:pos + 10]) - len(vt[pos:pos + 10].lstrip())
    m = _DIGIT_ATOM.match(vt, pos) or _WORD_ATOM.match(vt, pos)
    return bool(m and (m.lastgroup == "digits" or m.groupdict().get("w") in _NUMBER_WORDS))


def _attach_noun(view: NormText, ns: NumberSpan, e: int, value=None) -> int | None:
    found = _noun_after(view.text, e, value)
    if not found:
        return None
    _, ns_, ne = found
    sp = orig_span(view, ns_, ne)
    ns.noun, ns.noun_span = view.original[sp.start:sp.end], sp
    return ne


def _qualify(view: NormText, ns: NumberSpan, s: int, after: int) -> None:
    vt = view.text
    if ns.kind == "vague":
        return
    lo = max(0, s - 30)
    if _AT_MOST_BEFORE.search(vt, lo, s):
        ns.kind = "at_most"
    elif _AT_LEAST_BEFORE.search(vt, lo, s):
        ns.kind = "at_least"
    elif _APPROX_BEFORE.search(vt, lo, s):
        ns.kind = "approximate"
    else:
        stop = _PUNCT_STOP.search(vt, after, after + 60)
        m = _POST_QUALIFIER.match(vt, after, stop.start() if stop else min(len(vt), after + 60))
        if m and not re.search(r"\d", vt[after:m.start(m.lastgroup)]):   # not past another number
            ns.kind = {"at_least_after": "at_least", "approx_after": "approximate",
                       "at_most_after": "at_most"}[m.lastgroup]


def _lookup(word: str, table: dict):
    """``table[word]``, else with one proclitic off (لشارع → شارع، للقرار → القرار)."""
    if word in table:
        return table[word]
    if word.startswith("لل") and "ال" + word[2:] in table:
        return table["ال" + word[2:]]
    if word[:1] in "وفبلك" and len(word) > 2:
        return table.get(word[1:])
    return None


def _trap(view: NormText, g: list[_Atom], s: int, e: int, value, prev: list[str], ns: NumberSpan) -> str | None:
    vt = view.text
    digits = value is not None and float(value).is_integer() and len(g) == 1 and g[0].kind == "digits"
    # a year written after عام/سنة or before م/هـ may be any year (عام 1722م، سنة 666 هجرية)
    year_shaped = digits and YEAR_DIGITS[0] <= value <= YEAR_DIGITS[1]
    yearish = digits and (YEAR_RANGE[0] <= value <= YEAR_RANGE[1] or HIJRI_YEAR_RANGE[0] <= value <= HIJRI_YEAR_RANGE[1])
    if prev:
        r = _lookup(prev[0], _TRAP_BEFORE)
        if r == "year" and year_shaped:
            return "year"
        if r and r != "year":
            return r
        if prev[0] in _MONTH_WORDS or (len(prev) > 1 and prev[1] in _MONTH_WORDS and prev[0] in _MONTH_SECOND_WORDS):
            return "year" if yearish else "date"
        if any(w in _REFERENCE_HEADS for w in prev[1:3]) and ns.noun is None:
            return "reference"                              # قرار الأمم المتحدة 2216، قرار مجلس الأمن 2254
    m = _TRAP_AFTER.match(vt, e)
    if m:
        w = normalize(re.sub(r"\s+", " ", m.group("w")))
        r = _TRAP_AFTER_REASON.get(w)
        if r == "year":
            if year_shaped:
                return "year"
        elif r == "age_or_duration":
            before = vt[max(0, s - 40):s]
            return "age" if (before.rstrip().endswith("(") or _AGE_CUE.search(before)) else "duration"
        elif r:
            return r
    nm = re.match(r"\s*(\w+)", vt[e:e + 30])
    if nm and g[0].kind == "digits" and (nm.group(1) in _MONTH_WORDS or (
            nm.group(1)[:1] in "وفبل" and nm.group(1)[1:] in _MONTH_WORDS)):
        return "date"                                       # 17 فبراير (not ف + براير)
    if digits and re.match(r"\s*[-–)]\s", vt[e:e + 4]) and re.search(r"(?:^|\n|[:.]-?)\s*$", vt[max(0, s - 6):s]):
        return "list"                                       # "4 - عمليات تستهدف …": a list item number
    if digits and _AGE_AFTER.match(vt, e):
        return "age"                                        # في الـ20 من عمره
    if digits and ns.noun is None and (len(vt[s:e]) >= LONG_DIGITS or value >= 10 ** 10):
        return "reference"                                  # an id, a case or account number
    if re.match(r"\s*\+\s*\d", vt[e:e + 4]):
        return "reference"                                  # مجموعة 5+1
    if ns.noun and (normalize(ns.noun) in _OBJECT):
        return "object"
    if ns.noun and normalize(ns.noun) in _POPULATION:
        return "population"                                 # "23 مليون نسمة"
    if year_shaped and value >= 1000 and ns.noun is None and re.match(r"\s*[-–]\s*\d{4}(?!\d)", vt[e:e + 10]):
        return "year"                                       # (1888 – 1952م)
    if yearish and ns.noun is None:
        # a bare 2012 is a year after في/منذ/صيف, in (1888 – 1952) and year ranges;
        # after إلى/بلغت ("ارتفعت الحصيلة إلى 2000") it may be a toll
        if (prev and _lookup(prev[0], dict.fromkeys(_YEAR_CUES, True))) \
                or re.match(r"\s*[-–/]\s*\d{2,4}(?!\d)", vt[e:e + 8]) \
                or _YEAR_RANGE_BEFORE.search(vt[max(0, s - 8):s]):
            return "year"
    return None


_RANGE_GAP = re.compile(r"^\s*(?:" + "|".join(_WORDS["range_gap"]) + r"|[-–])\s*$")
_RANGE_OR = re.compile(r"[-–]|" + "|".join(_WORDS["range_or"]))
_RANGE_LEAD = re.compile(alternation(_WORDS["range_lead"]) + r"\s*$")
_REPEAT_GAP = re.compile(r"^\s*[()\[\]]\s*[()\[\]]?\s*$")


def _link_pairs(spans: list[NumberSpan], text: str) -> None:
    """Ranges and restatements between neighbouring numbers.

    "بين 100 و160 ضابطا"، "من سبعة إلى عشرين عاما"، "10-15 قتيلا"، "اثنتين أو ثلاث":
    the lower bound is the count (at_least, with the noun and any trap reason of
    the upper one); the upper bound is marked "range" so that it is not added.
    "(37) سبعة وثلاثون"، "سبعة (7) أشخاص": the restatement is marked "repeat".
    """
    for a, b in zip(spans, spans[1:]):
        if a.value is None or b.value is None or a.reason in ("partitive", "range", "repeat"):
            continue
        gap = text[a.end:b.start]
        if a.value == b.value and _REPEAT_GAP.match(gap) and ("(" in gap or ")" in gap):
            if a.noun is None and b.noun:
                a.noun, a.noun_span = b.noun, b.noun_span
            b.reason, b.is_toll_candidate = b.reason or "repeat", False
            continue
        if a.value < b.value and a.noun is None and a.reason is None and _RANGE_GAP.match(gap) and \
                (_RANGE_OR.search(gap) or _RANGE_LEAD.search(text[max(0, a.start - 12):a.start])):
            if a.kind == "exact":
                a.kind = "at_least"
            if b.kind == "exact":
                b.kind = "at_most"
            a.noun, a.noun_span = b.noun, b.noun_span
            if b.reason and a.reason is None:
                a.reason, a.is_toll_candidate = b.reason, False
            b.reason, b.is_toll_candidate = b.reason or "range", False


# the rest of a list after a partitive count: "، و" or " و", after at most one more word of the
# counted noun phrase ("12 من منسوبي القوات، وثلاثة")
_AND_NEXT = re.compile(r"^(?:\s+[^\s،,.؛:]+)?[\s،,]*و?\s*$")


def _link_partitives(spans: list[NumberSpan], text: str) -> None:
    """Point each partitive at the nearest earlier count it can be part of.

    A count joined by و to a partitive continues its list and is a part too:
    "منهم 12 من منسوبي القوات، وثلاثة عاملين"، "بينهم ثلاثة أطفال وامرأتان". A
    partitive with no count before it to be part of ("وقتل ثلاثة منهم"، "سقط قتلى
    بينهم ثلاثة أطفال") is the only number given: it stays a toll, at_least.
    """
    head: dict[int, int] = {}                               # list continuation -> first partitive
    for i in range(1, len(spans)):
        prev, ns = spans[i - 1], spans[i]
        if prev.reason == "partitive" and ns.is_toll_candidate:
            gap_from = prev.noun_span.end if prev.noun_span and prev.noun_span.end > prev.end else prev.end
            gap = text[gap_from:ns.start]
            if _AND_NEXT.match(gap) and re.search(r"(?:^|\s|،|,)و?\s*$", gap) and gap.rstrip().endswith(("و", "،", ",")) \
                    and "\n" not in gap:
                ns.reason, ns.is_toll_candidate = "partitive", False
                head[i] = head.get(i - 1, i - 1)
    for i, ns in enumerate(spans):
        if ns.reason != "partitive":
            continue
        if i in head:                                       # the list shares its first item's whole
            first = spans[head[i]]
            ns.subset_of = first.subset_of
            if first.reason is None:
                ns.reason, ns.is_toll_candidate = None, True
                ns.kind = "at_least" if ns.kind == "exact" else ns.kind
            continue
        vague = None
        for prev in reversed(spans[:i]):
            if ns.start - prev.end > PARTITIVE_LOOKBACK:
                break
            if prev.reason not in (None, "object"):        # "13 غارة … خمس منها" is part of 13 too
                continue
            if prev.value is None:
                vague = vague or prev                       # "مقتل العشرات … ثلاثة منهم أطفال"
            elif ns.value is None or prev.value >= ns.value:
                ns.subset_of = prev.start
                break
        if ns.subset_of is None and vague is not None:
            ns.subset_of = vague.start
        if ns.subset_of is None and ns.value is not None:
            ns.reason, ns.is_toll_candidate = None, True
            if ns.kind == "exact":
                ns.kind = "at_least"


# --- lookups for later stages --------------------------------------------------

def numbers_in(article: Article, span: Span, tolls_only: bool = False) -> list[NumberSpan]:
    """The number spans of ``article`` inside ``span`` (e.g. an event's sentence), in order."""
    return [n for n in article.numbers if span.start <= n.start and n.end <= span.end
            and (n.is_toll_candidate or not tolls_only)]
