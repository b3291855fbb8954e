import json

import pytest

from marsad.errors import InputError
from marsad.readers import decode, iter_jsonl, read_file, split_title

ARABIC = "قتل سبعة مدنيين في غارات على دير الزور."


def test_cp1256_and_bom_inputs_read_as_the_same_text(tmp_path):
    (tmp_path / "a.txt").write_bytes(ARABIC.encode("cp1256"))
    (tmp_path / "b.txt").write_bytes(b"\xef\xbb\xbf" + ARABIC.encode("utf-8"))
    (tmp_path / "c.txt").write_bytes(b"\xff\xfe" + ARABIC.encode("utf-16-le"))
    assert read_file(tmp_path / "a.txt").text == ARABIC
    assert read_file(tmp_path / "b.txt").text == ARABIC
    assert read_file(tmp_path / "c.txt").text == ARABIC


@pytest.mark.parametrize("data,reason", [
    (b"", "empty"), (b"   \n\n", "empty"), (b"\x00\x01\x02binary\x00" * 50, "binary"),
    ("Déjà vu à la française, éèàç".encode("latin-1") * 4, "undecodable"),
])
def test_bad_bytes_raise_input_error_with_reason(data, reason):
    with pytest.raises(InputError) as exc:
        decode(data, "x")
    assert exc.value.reason == reason


def test_enormous_file_is_refused_without_reading(tmp_path, monkeypatch):
    import marsad.readers as readers
    monkeypatch.setattr(readers, "MAX_BYTES", 100)
    (tmp_path / "big.txt").write_text(ARABIC * 10, encoding="utf-8")
    with pytest.raises(InputError) as exc:
        read_file(tmp_path / "big.txt")
    assert exc.value.reason == "too_large"


def test_title_is_first_line_when_a_blank_line_follows():
    assert split_title("عنوان الخبر\n\nنص الخبر.")[0] == "عنوان الخبر"
    assert split_title("سطر اول\nسطر ثان\n\nنص")[0] is None


def test_sidecar_meta_is_read(tmp_path):
    (tmp_path / "x.txt").write_text("عنوان\n\n" + ARABIC, encoding="utf-8")
    (tmp_path / "x.meta.json").write_text(json.dumps(
        {"published": "2014-08-26", "outlet": "afp", "url": "http://e.x/1", "title": "عنوان آخر"}), encoding="utf-8")
    art = read_file(tmp_path / "x.txt")
    assert (art.published, art.outlet, art.url, art.title) == ("2014-08-26", "afp", "http://e.x/1", "عنوان آخر")


def test_html_main_text_is_extracted(tmp_path):
    body = "".join(f"<p>{ARABIC} فقرة رقم {i} من التقرير الميداني المطول عن المعارك.</p>" for i in range(6))
    html = (f"<html><head><title>غارات على دير الزور</title></head><body><nav>الرئيسية | اتصل بنا</nav>"
            f"<article><h1>غارات على دير الزور</h1>{body}</article><footer>جميع الحقوق محفوظة</footer></body></html>")
    (tmp_path / "page.html").write_text(html, encoding="utf-8")
    art = read_file(tmp_path / "page.html")
    assert "قتل سبعة مدنيين" in art.text
    assert "اتصل بنا" not in art.text


def test_jsonl_yields_articles_and_per_line_errors(tmp_path):
    p = tmp_path / "in.jsonl"
    lines = [json.dumps({"id": "a1", "text": ARABIC, "published": "2015-08-10", "title": "t"}, ensure_ascii=False),
             "{not json",
             json.dumps({"id": "a3", "text": ""}),
             json.dumps({"content": ARABIC, "date_extracted": "2015-07-21 02:51:32", "source": "aawsat"},
                        ensure_ascii=False)]
    p.write_text("\n".join(lines) + "\n", encoding="utf-8")
    items = list(iter_jsonl(p))
    assert [i.line for i in items] == [1, 2, 3, 4]
    assert items[0].article.id == "a1" and items[0].article.published == "2015-08-10"
    assert items[1].error.reason == "bad_json"
    assert items[2].error.reason == "empty"
    assert items[3].article.outlet == "aawsat" and items[3].article.published == "2015-07-21"


def test_a_utf8_feed_whose_first_line_came_in_utf16_keeps_every_line(tmp_path):
    # Written for this test: lines gathered from several feeds, the first in UTF-16 with its mark.
    from marsad.readers import iter_jsonl
    first = '{"id": "a", "text": "قتل جندي في حلب"}'.encode("utf-16")
    rest = [('{"id": "%s", "text": "أصيب مدنيان في إدلب"}' % i).encode("utf-8") for i in "bcd"]
    p = tmp_path / "mixed.jsonl"
    p.write_bytes(b"\n".join([first] + rest) + b"\n")
    items = list(iter_jsonl(p))
    assert len(items) == 4
    assert [it.article.id for it in items[1:]] == ["b", "c", "d"]
