"""A store built from the demo articles and the dev articles, shared by the serve tests."""
from __future__ import annotations

import socket
import threading
import time
from pathlib import Path

from marsad.batch import iter_files, process_items
from marsad.demo import sample_files
from marsad.store import open_store

DEV = Path(__file__).resolve().parents[1].parent / "shared" / "eval" / "dev"


_BUILT: dict[str, Path] = {}


def shared_store(tmp_path_factory) -> Path:
    """One store for every serve test module of a run (building it runs the pipeline on 15 articles).
    Tests that write make their own."""
    if "db" not in _BUILT:
        _BUILT["db"] = build_store(tmp_path_factory.mktemp("serve") / "serve.db")
    return _BUILT["db"]


# Two reports of one air strike, written for these tests, from two outlets that disagree on the
# toll (five killed against twenty): one contested incident.
CONTESTED = [
    {"id": "strike-a", "published": "2015-08-10", "outlet": "wire-a", "title": "غارات على سراقب",
     "text": "قتل خمسة مدنيين الأحد في غارات جوية على بلدة سراقب في ريف إدلب، بحسب المرصد السوري لحقوق الإنسان."},
    {"id": "strike-b", "published": "2015-08-10", "outlet": "paper-b", "title": "مقتل مدنيين في سراقب",
     "text": "قال ناشطون إن عشرين مدنيا قتلوا يوم الأحد جراء غارات جوية شنتها طائرات حربية على بلدة سراقب بريف إدلب."},
]


def build_store(path: Path) -> Path:
    """Demo articles, the dev articles when ../shared is beside the repository, and the two
    contested reports; incidents grouped as an ingest groups them."""
    from marsad import process

    files = sample_files() + sorted(DEV.glob("*.txt"))
    with open_store(path) as store:
        for res in process_items(iter_files(files)):
            if res.article is not None:
                store.put(res.article)
        for a in CONTESTED:
            store.put(process(a["text"], a["published"], title=a["title"], outlet=a["outlet"], id=a["id"]))
        store.update_incidents()
    return path


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """uvicorn on 127.0.0.1 in a thread, for tests that need a real socket (the browser)."""

    def __init__(self, app):
        import uvicorn

        self.port = free_port()
        self.server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=self.port, log_level="warning"))
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def __enter__(self) -> "Server":
        self.thread.start()
        deadline = time.monotonic() + 20
        while not self.server.started:
            if time.monotonic() > deadline:
                raise RuntimeError("uvicorn did not start in 20 s")
            time.sleep(0.05)
        return self

    def __exit__(self, *exc) -> None:
        self.server.should_exit = True
        self.thread.join(10)
