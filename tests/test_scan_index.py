"""The indexed scans give what the word-by-word scans they replaced gave (issue 18): trigger
candidates found by one regex over the trigger beginnings, and gazetteer names looked up by their
first two words."""
from marsad.arabic import norm_view
from marsad.events import detect
from marsad.events.lexicon import trigger_regex
from marsad.gazetteer import load

TEXT = ("قتل ثلاثة مدنيين وأصيب خمسة آخرون بجروح في قصف جوي استهدف بلدة كفرنبل بريف إدلب الجنوبي، "
        "وقالت مصادر محلية إن الطائرات الحربية شنت غارات على مدينة دير الزور وبالقرب من الرقة، "
        "فيما انفجرت عبوة ناسفة في حي الشيخ مقصود بحلب واستهدفت الاشتباكات ريف دمشق الغربي.")


def _word_loop(text: str, rx):
    """The loop the regex replaced: every word, its first 2..8 letters against the beginnings."""
    starts, last_end = detect._word_starts(), 0
    for w in detect._WORD.finditer(text):
        word = w.group()
        if w.start() < last_end or not any(word[:j] in starts for j in range(2, min(len(word), 8) + 1)):
            continue
        m = rx.match(text, w.start())
        if m:
            last_end = m.end()
            yield m


def test_trigger_candidates_equal_the_word_loop():
    rx, _ = trigger_regex()
    text = norm_view(TEXT).text
    got = [(m.span(), m.lastgroup) for m in detect._candidates(text, rx)]
    assert got == [(m.span(), m.lastgroup) for m in _word_loop(text, rx)]
    assert len(got) >= 5


def test_scan_takes_the_longest_name_after_clitics():
    g = load()
    view = norm_view(TEXT)
    keys = [h.key for h in g.scan(TEXT, view)]
    # دير الزور as one two-word name, not دير alone; بحلب read as ب + حلب; the three-word ريف ادلب الجنوبي
    assert "دير الزور" in keys and "دير" not in keys
    assert any(k.endswith("حلب") for k in keys)
    assert "ريف ادلب الجنوبي" in keys and "ادلب" not in keys
    for h in g.scan(TEXT, view):
        words = h.key.split(" ")
        assert (words[0], words[1]) in g.longer if len(words) > 1 else words[0] in g.single


def _full_regex(text: str, rx):
    """Candidates with the whole trigger alternation tried at every candidate word."""
    last_end = 0
    for w in detect._start_regex().finditer(text):
        if w.start() < last_end:
            continue
        m = rx.match(text, w.start())
        if m:
            last_end = m.end()
            yield m


def test_trigger_subsets_match_as_the_full_alternation(dev_files):
    # the subset regexes (lexicon.trigger_regex_at) give the same trigger, span and clitic groups
    rx, _ = trigger_regex()

    def key(m):
        return m.span(), m.lastgroup, {k: m.span(k) for k, v in m.groupdict().items() if v is not None}
    n = 0
    for raw in [TEXT, *(p.read_text(encoding="utf-8") for p in dev_files)]:
        text = norm_view(raw).text
        want = [key(m) for m in _full_regex(text, rx)]
        assert [key(m) for m in detect._candidates(text, rx)] == want
        n += len(want)
    assert n >= 50
