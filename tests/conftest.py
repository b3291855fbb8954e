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
