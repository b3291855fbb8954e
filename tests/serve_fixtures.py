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


def build_store(path: Path) -> Path:
    """Demo articles, then the dev articles when ../shared is beside the repository."""
    files = sample_files() + sorted(DEV.glob("*.txt"))
    with open_store(path) as store:
        for res in process_items(iter_files(files)):
            if res.article is not None:
                store.put(res.article)
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
