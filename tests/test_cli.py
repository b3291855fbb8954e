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
