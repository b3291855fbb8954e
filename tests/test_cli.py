import csv
import io
import json

import pytest
from click.testing import CliRunner

from marsad.cli import main

GOOD = "مقتل ثلاثة جنود\n\nقتل ثلاثة جنود عراقيين الاثنين في هجوم بقذائف الهاون على موقع للجيش قرب الرمادي."


@pytest.fixture
def runner():
    return CliRunner()


def test_every_command_has_help_text(runner):
    for name, cmd in main.commands.items():
        assert cmd.help and cmd.help.strip(), f"{name} has no help"
        res = runner.invoke(main, [name, "--help"])
        assert res.exit_code == 0


def test_extract_one_file_prints_its_cleaned_record(runner, seed_path):
    res = runner.invoke(main, ["extract", str(seed_path)])
    assert res.exit_code == 0, res.output
    rec = json.loads(res.output)
    assert rec["published"] == "2014-08-26"          # from seed-000.meta.json
    assert "ترك تعليق" not in rec["text"]


def test_batch_with_corrupt_files_still_produces_the_others(runner, tmp_path):
    inp = tmp_path / "in"
    inp.mkdir()
    (inp / "good1.txt").write_text(GOOD, encoding="utf-8")
    (inp / "good2.txt").write_bytes(GOOD.encode("cp1256"))
    (inp / "empty.txt").write_bytes(b"")
    (inp / "binary.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" * 20)
    out = tmp_path / "out"
    files = sorted(str(p) for p in inp.iterdir())
    res = runner.invoke(main, ["extract", *files, "--out", str(out)])
    assert res.exit_code == 1
    assert sorted(p.name for p in out.glob("good*.json")) == ["good1.json", "good2.json"]
    fails = [json.loads(line) for line in (out / "_failures.jsonl").read_text().splitlines()]
    assert {f["failures"][0]["reason"] for f in fails} == {"empty", "binary"}
    assert "[binary]" in res.stderr and "[empty]" in res.stderr


def test_extract_jsonl_keeps_input_order_and_accounts_for_bad_lines(runner, tmp_path):
    src = tmp_path / "in.jsonl"
    rows = [json.dumps({"id": "x1", "text": GOOD}, ensure_ascii=False), "{oops",
            json.dumps({"id": "x3", "text": GOOD + " وأصيب خمسة.", "published": "2015-08-10"}, ensure_ascii=False)]
    src.write_text("\n".join(rows) + "\n", encoding="utf-8")
    out = tmp_path / "out.jsonl"
    res = runner.invoke(main, ["extract", "--jsonl", str(src), "--out", str(out)])
    assert res.exit_code == 1
    recs = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [r.get("id") for r in recs] == ["x1", None, "x3"]
    assert recs[1]["failures"][0]["reason"] == "bad_json" and recs[1]["origin"].endswith(":2")


def test_ingest_then_export_csv_and_geojson(runner, tmp_path):
    (tmp_path / "a.txt").write_text(GOOD, encoding="utf-8")
    db = tmp_path / "m.db"
    res = runner.invoke(main, ["ingest", str(tmp_path / "a.txt"), "--db", str(db)])
    assert res.exit_code == 0, res.stderr
    res = runner.invoke(main, ["ingest", str(tmp_path / "a.txt"), "--db", str(db)])
    assert "stored 0, already stored 1" in res.stderr
    res = runner.invoke(main, ["export", "--db", str(db), "--format", "csv"])
    header = next(csv.reader(io.StringIO(res.stdout)))
    for col in ("date", "kind", "acled_event_type", "acled_sub_event_type", "actors", "targets", "place", "lat",
                "lon", "precision", "killed", "injured", "sources", "article_id"):
        assert col in header
    res = runner.invoke(main, ["export", "--db", str(db), "--format", "geojson"])
    assert json.loads(res.stdout)["type"] == "FeatureCollection"
    res = runner.invoke(main, ["export", "--db", str(db), "--format", "jsonl"])
    assert json.loads(res.stdout.splitlines()[0])["text"].startswith("مقتل ثلاثة جنود")


def test_demo_runs_into_its_store(runner, tmp_path):
    res = runner.invoke(main, ["demo", "--db", str(tmp_path / "demo.db")])
    assert res.exit_code == 0, res.output
    assert "5 articles" in res.stdout


ALEPPO = ("قصف على حلب\n\nقتل أربعة مدنيين الأربعاء في قصف بقذائف الهاون على حي الميدان بحلب، "
          "بحسب المرصد السوري لحقوق الإنسان.")


def test_export_help_lists_the_registered_formats(runner):
    from marsad.export import EXPORTERS

    res = runner.invoke(main, ["export", "--help"])
    assert all(name in res.output for name in EXPORTERS)


def test_export_acled_profile_with_filters_and_parquet_needs_out(runner, tmp_path):
    db = tmp_path / "m.db"
    assert runner.invoke(main, ["demo", "--db", str(db)]).exit_code == 0
    res = runner.invoke(main, ["export", "--db", str(db), "--format", "csv", "--profile", "acled", "--bom",
                               "--country", "IQ", "--min-killed", "1"])
    assert res.exit_code == 0, res.output
    rows = list(csv.DictReader(io.StringIO(res.stdout.lstrip("\ufeff"))))
    assert rows and {r["country"] for r in rows} == {"Iraq"}
    assert "without coordinates" in res.stderr
    res = runner.invoke(main, ["export", "--db", str(db), "--format", "parquet"])
    assert res.exit_code == 2 and "--out" in res.output
    res = runner.invoke(main, ["export", "--db", str(db), "--format", "csv", "--since", "yesterday"])
    assert res.exit_code == 2 and "since" in res.output


def test_search_command_prints_event_and_article_hits(runner, tmp_path):
    (tmp_path / "aleppo.txt").write_text(ALEPPO, encoding="utf-8")
    db = tmp_path / "m.db"
    assert runner.invoke(main, ["ingest", str(tmp_path / "aleppo.txt"), "--db", str(db)]).exit_code == 0
    res = runner.invoke(main, ["search", "حلب OR دمشق", "--db", str(db)])
    hits = [json.loads(line) for line in res.stdout.splitlines()]
    assert {h["type"] for h in hits} == {"event", "article"}
    assert all("[حلب]" in h["snippet"] for h in hits)
    res = runner.invoke(main, ["search", "هاون", "--db", str(db), "--scope", "articles"])
    assert "[الهاون]" in json.loads(res.stdout)["snippet"]       # clitic-aware, cut from the original
    res = runner.invoke(main, ["search", "-حلب", "--db", str(db)])
    assert res.exit_code == 2


def test_sqlite_utils_finds_the_full_text_index(runner, tmp_path):
    """sqlite-utils (and Datasette, by the same rule) detect FTS tables linked to their content table."""
    import subprocess
    import sys

    pytest.importorskip("sqlite_utils")
    (tmp_path / "aleppo.txt").write_text(ALEPPO, encoding="utf-8")
    db = tmp_path / "m.db"
    assert runner.invoke(main, ["ingest", str(tmp_path / "aleppo.txt"), "--db", str(db)]).exit_code == 0
    out = subprocess.run([sys.executable, "-m", "sqlite_utils", "search", str(db), "articles", "حلب", "-c", "title"],
                         capture_output=True, text=True, check=True).stdout
    assert json.loads(out) == [{"title": "قصف على حلب"}]
    out = subprocess.run([sys.executable, "-m", "sqlite_utils", "search", str(db), "event_texts", "Aleppo", "-c", "notes"],
                         capture_output=True, text=True, check=True).stdout
    assert "حلب" in json.loads(out)[0]["notes"]
    views = subprocess.run([sys.executable, "-m", "sqlite_utils", "views", str(db)], capture_output=True, text=True,
                           check=True).stdout
    assert "events_flat" in views


def test_a_store_url_is_shown_without_its_password():
    from marsad.cli import shown

    assert shown("postgresql://marsad:s3cret@dbhost/marsad") == "postgresql://marsad:***@dbhost/marsad"
    assert shown("marsad.db") == "marsad.db"
