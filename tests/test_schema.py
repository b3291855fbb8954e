"""Every record the pipeline emits validates against the shipped JSON Schema, and its spans point at its text."""
import jsonschema
import pytest

from marsad.demo import sample_files
from marsad.pipeline import process
from marsad.readers import read_file
from marsad.resources import schema


def records(files):
    return [process(read_file(f)).to_json() for f in files]


def check_spans(rec):
    text = rec["text"]
    for ent in rec["entities"]:
        for m in ent["mentions"]:
            assert text[m["start"]:m["end"]] == m["text"], (ent, m)
    for q in rec["quotes"]:
        c = q["content"]
        assert text[c["start"]:c["end"]] == c["text"], q
    for ev in rec["events"]:
        for sp in ev["evidence"]:
            assert 0 <= sp["start"] < sp["end"] <= len(text)
        for part in ev["actors"] + ev["targets"] + ev["sources"]:
            if part.get("start") is not None:
                assert text[part["start"]:part["end"]] == part["text"], part


@pytest.mark.parametrize("which", ["dev", "demo"])
def test_pipeline_records_validate_and_spans_match_text(which, request):
    files = request.getfixturevalue("dev_files") if which == "dev" else sample_files()
    validator = jsonschema.Draft202012Validator(schema())
    for rec in records(files):
        errors = sorted(validator.iter_errors(rec), key=str)
        assert not errors, f"{rec['id']}: {errors[0].message} at {list(errors[0].absolute_path)}"
        assert not rec.get("failures"), rec.get("failures")
        check_spans(rec)
