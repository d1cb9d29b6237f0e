"""`communique serve` (communique/cli/serve.py): the token it keeps, and a real server on loopback.

The servers here are real uvicorn servers on 127.0.0.1 built from :func:`server_config`, the configuration
`serve` runs, over an empty store; the memory test runs one in its own process so that its peak can be read.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from typer.testing import CliRunner

from communique.cli import app as cli

TOKEN = "serve-test-token"


@pytest.fixture
def data_dir(tmp_path, monkeypatch) -> Path:
    folder = tmp_path / "data"
    monkeypatch.setenv("COMMUNIQUE_DATA_DIR", str(folder))
    monkeypatch.delenv("COMMUNIQUE_TOKEN", raising=False)
    return folder


def test_the_token_file_is_created_owner_only_in_one_step(data_dir, monkeypatch):
    """Never a moment with the default mode (0644 under the usual umask) before a chmod narrows it."""
    from communique.api.app import load_or_create_token

    monkeypatch.setattr(Path, "chmod", lambda self, mode: None)  # a later chmod would change nothing
    token, created = load_or_create_token()
    assert created
    assert (data_dir / "api-token").stat().st_mode & 0o777 == 0o600
    assert load_or_create_token() == (token, False)


def test_the_token_is_printed_when_it_is_created_and_never_again(data_dir, tmp_path, monkeypatch):
    import uvicorn

    monkeypatch.setattr(uvicorn.Server, "run", lambda self: None)  # start, but serve nothing
    runner = CliRunner()
    db = str(tmp_path / "serve.db")
    first = runner.invoke(cli, ["serve", "--db", db])
    token = (data_dir / "api-token").read_text().strip()
    again = runner.invoke(cli, ["serve", "--db", db])
    assert first.exit_code == 0 and again.exit_code == 0
    assert token in first.output
    assert token not in again.output


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _wait_until_up(base: str) -> None:
    for _ in range(200):
        try:
            if httpx.get(base + "/api/health", timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            time.sleep(0.05)
    raise AssertionError(f"no server at {base}")


@pytest.fixture
def serve_in_thread(tmp_path) -> Iterator:
    """Start `serve`'s server with the given trusted proxies in this process; yield its base URL."""
    import uvicorn

    from communique.cli.serve import server_config

    servers = []

    def start(trusted_proxies: list[str]) -> str:
        port = _free_port()
        config = server_config(str(tmp_path / "serve.db"), TOKEN, "127.0.0.1", port, [], trusted_proxies)
        server = uvicorn.Server(config)
        threading.Thread(target=server.run, daemon=True).start()
        servers.append(server)
        base = f"http://127.0.0.1:{port}"
        _wait_until_up(base)
        return base

    yield start
    for server in servers:
        server.should_exit = True


def test_a_forwarded_address_is_ignored_unless_it_comes_from_a_configured_proxy(serve_in_thread):
    base = serve_in_thread([])
    # Nothing on loopback can make itself a stranger, or a stranger loopback, by a header.
    assert httpx.get(base + "/api/documents", headers={"X-Forwarded-For": "203.0.113.9"}).status_code == 200


@pytest.mark.parametrize("forwarded", ["203.0.113.9", "localhost", "testclient"])
def test_behind_a_configured_proxy_the_forwarded_client_needs_the_token(serve_in_thread, forwarded):
    base = serve_in_thread(["127.0.0.1"])
    headers = {"X-Forwarded-For": forwarded}
    assert httpx.get(base + "/api/documents", headers=headers).status_code == 401
    headers["Authorization"] = f"Bearer {TOKEN}"
    assert httpx.get(base + "/api/documents", headers=headers).status_code == 200


def _peak_kib(pid: int) -> int:
    """The process's peak resident memory so far (VmHWM), in KiB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    raise AssertionError("no VmHWM in /proc")


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="reads peak memory from /proc")
def test_a_200_mb_request_body_costs_the_server_no_more_than_the_body_limit(tmp_path, data_dir):
    """Chunked, so no Content-Length warns the server: it must stop reading at the limit."""
    from communique.api.app import MAX_BODY_BYTES

    port = _free_port()
    script = (
        "import uvicorn; from communique.cli.serve import server_config; "
        f"uvicorn.Server(server_config({str(tmp_path / 'serve.db')!r}, {TOKEN!r}, '127.0.0.1', {port}, [], []))"
        ".run()"
    )
    server = subprocess.Popen([sys.executable, "-c", script], env={**os.environ})
    try:
        _wait_until_up(f"http://127.0.0.1:{port}")
        before = _peak_kib(server.pid)
        answer = b""
        chunk = b" " * 2**20
        with socket.create_connection(("127.0.0.1", port), timeout=20) as sock:
            sock.sendall(
                b"POST /api/analyze HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                b"Transfer-Encoding: chunked\r\n\r\n"
            )
            started = time.monotonic()
            try:
                for _ in range(200):
                    sock.sendall(b"100000\r\n" + chunk + b"\r\n")
                sock.sendall(b"0\r\n\r\n")
            except OSError:  # the server answered and hung up: what the test hopes for
                pass
            try:
                answer = sock.recv(4096)
            except OSError:
                pass
            assert time.monotonic() - started < 60
        grown = (_peak_kib(server.pid) - before) * 1024
    finally:
        server.terminate()
        server.wait(timeout=10)
    assert grown < MAX_BODY_BYTES + 16 * 2**20, f"server peak grew by {grown / 2**20:.0f} MB"
    assert answer.startswith(b"HTTP/1.1 413"), answer[:200]
