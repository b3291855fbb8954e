from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
DEV = SHARED / "eval" / "dev"
SEED = DEV / "seed-000.txt"


@pytest.fixture
def seed_text() -> str:
    if not SEED.exists():
        pytest.skip("../shared/eval/dev is not beside the repo")
    return SEED.read_text(encoding="utf-8")


@pytest.fixture
def dev_files() -> list[Path]:
    files = sorted(DEV.glob("*.txt"))
    if not files:
        pytest.skip("../shared/eval/dev is not beside the repo")
    return files


@pytest.fixture
def seed_path() -> Path:
    if not SEED.exists():
        pytest.skip("../shared/eval/dev is not beside the repo")
    return SEED


# --- store backends: every store test runs on SQLite and on a real PostgreSQL server ----------

import os  # noqa: E402
import uuid  # noqa: E402
from contextlib import contextmanager  # noqa: E402

PG_ENV = "MARSAD_TEST_PG"
BACKENDS = ["sqlite", "postgresql"]


@pytest.fixture(scope="session")
def pg_url() -> str:
    """The test server's URL (``.ci/run`` starts one and sets $MARSAD_TEST_PG); skip when none answers."""
    url = os.environ.get(PG_ENV)
    if not url:
        pytest.skip(f"no PostgreSQL server: set {PG_ENV}=postgresql://user:pass@host/db (.ci/run starts one)")
    try:
        import psycopg
    except ImportError:
        pytest.skip("psycopg is not installed: pip install -e '.[postgres]'")
    try:
        psycopg.connect(url, connect_timeout=3).close()
    except psycopg.OperationalError as e:
        pytest.skip(f"no PostgreSQL server reachable at ${PG_ENV}: {str(e).strip()}")
    return url


@contextmanager
def pg_schema(url: str):
    """A URL whose tables live in a new, empty schema, dropped afterwards: each store starts empty."""
    import psycopg

    name = "t_" + uuid.uuid4().hex[:12]
    with psycopg.connect(url, autocommit=True) as con:
        con.execute(f"CREATE SCHEMA {name}")
    try:
        yield url + ("&" if "?" in url else "?") + f"options=-csearch_path%3D{name}"
    finally:
        with psycopg.connect(url, autocommit=True) as con:
            con.execute(f"DROP SCHEMA {name} CASCADE")


@contextmanager
def store_target(backend: str, request, path=":memory:"):
    """Where a fresh store of ``backend`` lives: ``path`` for SQLite, a new schema's URL for PostgreSQL."""
    if backend == "sqlite":
        yield str(path)
    else:
        with pg_schema(request.getfixturevalue("pg_url")) as url:
            yield url


@pytest.fixture(params=BACKENDS)
def backend(request) -> str:
    return request.param


@pytest.fixture
def new_store(backend, request):
    """An empty store of each backend."""
    from marsad.store import open_store

    with store_target(backend, request) as target, open_store(target) as st:
        yield st
