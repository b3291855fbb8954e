"""Property-based run over the API's OpenAPI schema (schemathesis): no input is a server error.

Bounded (MAX_EXAMPLES per operation, run in process over ASGI) so it stays under a minute.
"""
from __future__ import annotations

import os

import pytest

pytest.importorskip("fastapi")
schemathesis = pytest.importorskip("schemathesis")

from hypothesis import HealthCheck, settings  # noqa: E402

from marsad.serve import create_app  # noqa: E402
from serve_fixtures import shared_store  # noqa: E402

# Examples per operation: 15 operations x 30 take ~15 s on the project's 2-core machine; at 40 the
# first run found an offset of 2**63 overflowing SQLite (now capped); a run at 150 found nothing more.
# MARSAD_SCHEMA_EXAMPLES=N runs more.
MAX_EXAMPLES = int(os.environ.get("MARSAD_SCHEMA_EXAMPLES", 30))


@pytest.fixture(scope="module")
def api_schema(tmp_path_factory):
    db = shared_store(tmp_path_factory)
    return schemathesis.openapi.from_asgi("/openapi.json", create_app(db, token="schema-token"))




def test_no_server_errors(api_schema):
    from hypothesis import given

    seen = 0
    for result in api_schema.get_all_operations():
        op = result.ok()
        seen += 1

        @given(case=op.as_strategy())
        @settings(max_examples=MAX_EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck), database=None)
        def run(case):
            # without the token a POST is refused before the pipeline runs; the token path is in test_serve.py
            response = case.call()
            assert response.status_code < 500, (case.method, case.formatted_path, case.query, response.text[:300])

        run()
    assert seen >= 12
