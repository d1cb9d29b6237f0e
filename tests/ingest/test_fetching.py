"""Safe URL fetching (communique/ingest/fetch.py).

Every test talks only to a local server on 127.0.0.1 (or to nothing at all: refusals happen before any
connection). The happy path passes ``allow_private=True`` because the test server is itself on loopback.
"""

from __future__ import annotations

import gzip
import socket
import threading
import time
import tracemalloc
import zlib
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

import pytest

from communique.errors import FetchError
from communique.ingest.fetch import USER_AGENT, fetch

ARTICLE = (
    b"<html><head><title>Border talks resume</title></head>"
    b"<body><p>Delegations met in Tbilisi on Monday.</p></body></html>"
)
ETAG = '"v1-border-talks"'
BOMB_BYTES = 64 * 1024**2  # what each bomb expands to: 32 times the limit the bomb tests fetch with
BOMB_LIMIT = 2 * 1024**2


def _zeros_compressed(wbits: int) -> bytes:
    packer = zlib.compressobj(9, zlib.DEFLATED, wbits)
    block = bytes(1024**2)
    return b"".join(packer.compress(block) for _ in range(BOMB_BYTES // len(block))) + packer.flush()


GZIP_BOMB = _zeros_compressed(16 + zlib.MAX_WBITS)  # about 64 KB on the wire
DEFLATE_BOMB = _zeros_compressed(zlib.MAX_WBITS)
LAYERED_BOMB = gzip.compress(GZIP_BOMB, 9)  # "Content-Encoding: gzip, gzip": a few hundred bytes
BOMBS = {
    "layered": (LAYERED_BOMB, "gzip, gzip"),
    "gzip": (GZIP_BOMB, "gzip"),
    "deflate": (DEFLATE_BOMB, "deflate"),
    "small-bomb": (gzip.compress(bytes(8 * 1024**2), 9), "gzip"),  # 8 MB of zeros in 8 KB
    "article-gzip": (gzip.compress(ARTICLE), "gzip"),
    "article-deflate": (zlib.compress(ARTICLE), "deflate"),
    "article-raw-deflate": (zlib.compress(ARTICLE, wbits=-zlib.MAX_WBITS), "deflate"),
    "article-brotli": (ARTICLE, "br"),
}
LAST_MODIFIED = "Thu, 13 Oct 2022 08:00:00 GMT"


class Handler(BaseHTTPRequestHandler):
    """The endpoints the tests need: an article, redirects, errors, a slow and a huge response."""

    def log_message(self, format: str, *args: object) -> None:  # keep the test output quiet
        pass

    def do_GET(self) -> None:  # noqa: N802 (http.server's name)
        url = urlparse(self.path)
        query = parse_qs(url.query)
        try:
            getattr(self, "_" + url.path.strip("/").replace("-", "_"), self._missing)(query)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client hung up, as the size cap and timeouts make it do

    def _article(self, query: dict) -> None:
        if (
            self.headers.get("If-None-Match") == ETAG
            or self.headers.get("If-Modified-Since") == LAST_MODIFIED
        ):
            self.send_response(304)
            self.send_header("ETag", ETAG)
            self.end_headers()
            return
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(ARTICLE)))
        self.send_header("ETag", ETAG)
        self.send_header("Last-Modified", LAST_MODIFIED)
        self.end_headers()
        self.wfile.write(ARTICLE)

    def _agent(self, query: dict) -> None:
        body = (self.headers.get("User-Agent") or "").encode()
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _redirect(self, query: dict) -> None:
        self.send_response(302)
        self.send_header("Location", query["to"][0])
        self.send_header("Content-Length", "0")
        self.end_headers()

    def _loop(self, query: dict) -> None:
        self.send_response(301)
        self.send_header("Location", "/loop")
        self.send_header("Content-Length", "0")
        self.end_headers()

    def _slow(self, query: dict) -> None:
        time.sleep(2)
        self._article(query)

    def _drip(self, query: dict) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/plain")
        self.end_headers()
        for _ in range(40):  # a byte every 0.1 s: each read is quick, the whole body is not
            self.wfile.write(b"x")
            self.wfile.flush()
            time.sleep(0.1)

    def _huge(self, query: dict) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/plain")
        if "declared" in query:
            self.send_header("Content-Length", str(2 * 1024**3))
        self.end_headers()
        chunk = b"Delegations met in Tbilisi on Monday. " * 1700  # ~64 KB
        for _ in range(2 * 1024**3 // len(chunk)):  # 2 GB unless the client hangs up first
            self.wfile.write(chunk)

    def _encoded(self, query: dict) -> None:
        body, encoding = BOMBS[query["body"][0]]
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Encoding", encoding)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _missing(self, query: dict) -> None:
        self.send_response(404)
        self.send_header("Content-Length", "0")
        self.end_headers()


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture(autouse=True)
def no_environment_override(monkeypatch):
    monkeypatch.delenv("COMMUNIQUE_ALLOW_PRIVATE_URLS", raising=False)


# -- happy path -------------------------------------------------------------------------------------------


def test_fetch_returns_body_status_and_content_type(server):
    fetched = fetch(server + "/article", allow_private=True)
    assert fetched.status == 200
    assert fetched.content == ARTICLE
    assert fetched.content_type == "text/html"
    assert fetched.charset == "utf-8"


def test_fetch_sends_a_clear_user_agent(server):
    assert fetch(server + "/agent", allow_private=True).content.decode() == USER_AGENT


def test_redirect_is_followed_and_final_url_kept(server):
    fetched = fetch(server + "/redirect?to=/article", allow_private=True)
    assert fetched.final_url == server + "/article"
    assert fetched.url == server + "/redirect?to=/article"
    assert fetched.content == ARTICLE


def test_conditional_get_with_etag_returns_304_without_content(server):
    first = fetch(server + "/article", allow_private=True)
    again = fetch(server + "/article", allow_private=True, etag=first.etag)
    assert again.status == 304 and again.not_modified and again.content == b""


def test_conditional_get_with_last_modified_returns_304(server):
    again = fetch(server + "/article", allow_private=True, last_modified=LAST_MODIFIED)
    assert again.status == 304


def test_environment_variable_allows_private_addresses(server, monkeypatch):
    monkeypatch.setenv("COMMUNIQUE_ALLOW_PRIVATE_URLS", "1")
    assert fetch(server + "/article").status == 200


# -- refusals before any connection ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "ftp://ftp.example.org/article.txt",
        "data:text/plain,hello",
        "gopher://example.org/",
    ],
)
def test_non_http_schemes_are_refused(url):
    with pytest.raises(FetchError, match="only http and https"):
        fetch(url)


@pytest.mark.parametrize(
    "url, why",
    [
        ("http://127.0.0.1/", "loopback"),
        ("http://localhost/", "loopback"),
        ("http://[::1]/", "loopback"),
        ("http://[::ffff:127.0.0.1]/", "loopback"),
        ("http://10.0.0.1/", "private"),
        ("http://192.168.1.1/admin", "private"),
        ("http://169.254.169.254/latest/meta-data/", "link-local"),
        ("http://0.0.0.0/", "unspecified"),
        ("http://224.0.0.1/", "multicast"),
        ("http://100.64.0.1/", "address"),
    ],
)
def test_internal_addresses_are_refused(url, why):
    with pytest.raises(FetchError, match=why):
        fetch(url)


def test_hostname_resolving_to_private_address_is_refused(monkeypatch):
    def fake_dns(host, port, *args, **kwargs):
        assert host == "news.example.org"
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("10.1.2.3", port))]

    monkeypatch.setattr(socket, "getaddrinfo", fake_dns)
    with pytest.raises(FetchError, match="private address 10.1.2.3"):
        fetch("http://news.example.org/world/article")


def test_hostname_with_one_private_answer_among_public_ones_is_refused(monkeypatch):
    answers = [("93.184.215.14", 80), ("127.0.0.1", 80)]
    monkeypatch.setattr(
        socket,
        "getaddrinfo",
        lambda *a, **k: [(socket.AF_INET, socket.SOCK_STREAM, 6, "", x) for x in answers],
    )
    with pytest.raises(FetchError, match="loopback"):
        fetch("http://news.example.org/")


def test_redirect_from_allowed_server_to_loopback_is_refused(server):
    port = server.rsplit(":", 1)[1]
    with pytest.raises(FetchError, match="loopback address ::1"):
        fetch(f"{server}/redirect?to=http://[::1]:{port}/article", allow_private=["127.0.0.1/32"])


def test_redirect_to_cloud_metadata_address_is_refused(server):
    with pytest.raises(FetchError, match="link-local"):
        fetch(
            server + "/redirect?to=http://169.254.169.254/latest/meta-data/", allow_private=["127.0.0.1/32"]
        )


def test_redirect_to_file_scheme_is_refused(server):
    with pytest.raises(FetchError, match="only http and https"):
        fetch(server + "/redirect?to=file:///etc/passwd", allow_private=True)


# -- limits -----------------------------------------------------------------------------------------------


def test_redirect_loop_stops_after_five_hops(server):
    with pytest.raises(FetchError, match="more than 5 redirects"):
        fetch(server + "/loop", allow_private=True)


def test_http_404_is_a_fetch_error(server):
    with pytest.raises(FetchError, match="HTTP 404"):
        fetch(server + "/no-such-article", allow_private=True)


def test_slow_server_times_out(server):
    with pytest.raises(FetchError, match="timed out"):
        fetch(server + "/slow", allow_private=True, timeout=0.5)


def test_dripping_body_hits_the_overall_deadline(server):
    with pytest.raises(FetchError, match="timed out"):
        fetch(server + "/drip", allow_private=True, timeout=1.0)


def test_endless_body_is_cut_at_the_byte_limit(server):
    with pytest.raises(FetchError, match="over the 1,048,576-byte limit"):
        fetch(server + "/huge", allow_private=True, max_bytes=1024 * 1024)


def test_declared_2_gb_body_is_refused_before_reading(server):
    with pytest.raises(FetchError, match="2,147,483,648 bytes"):
        fetch(server + "/huge?declared=1", allow_private=True, max_bytes=1024 * 1024)


def test_connection_goes_to_the_checked_address_with_the_host_name_kept(monkeypatch):
    """DNS is asked once; the request is sent to that address, with Host and TLS server name unchanged."""
    import httpx

    lookups = []

    def fake_dns(host, port, *args, **kwargs):
        lookups.append(host)
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("93.184.215.14", port))]

    sent = []

    def fake_send(self, request, **kwargs):  # stands in for the network: nothing leaves the machine
        sent.append(request)
        # A stream, as from the network: the body is read raw and decoded by fetch itself.
        stream = httpx.ByteStream(ARTICLE)
        return httpx.Response(200, headers={"Content-Type": "text/html"}, stream=stream, request=request)

    monkeypatch.setattr(socket, "getaddrinfo", fake_dns)
    monkeypatch.setattr(httpx.Client, "send", fake_send)
    fetched = fetch("https://news.example.org/world/caspian-ferry")
    assert lookups == ["news.example.org"]
    request = sent[0]
    assert request.url.host == "93.184.215.14" and request.url.scheme == "https"
    assert request.headers["Host"] == "news.example.org"
    assert request.extensions["sni_hostname"] == "news.example.org"
    assert fetched.final_url == "https://news.example.org/world/caspian-ferry"
    assert fetched.content == ARTICLE


# -- content encodings and compression bombs --------------------------------------------------------------


@pytest.mark.parametrize("body", ["article-gzip", "article-deflate", "article-raw-deflate"])
def test_a_gzip_or_deflate_body_is_decompressed(server, body):
    assert fetch(f"{server}/encoded?body={body}", allow_private=True).content == ARTICLE


def test_a_content_encoding_that_was_not_asked_for_is_refused(server):
    with pytest.raises(FetchError, match="unsupported content encoding 'br'"):
        fetch(server + "/encoded?body=article-brotli", allow_private=True)


def _peak_while_fetching(url: str) -> tuple[int, str]:
    """Peak Python memory (bytes, tracemalloc) above what was in use before, and the error the fetch raised."""
    tracemalloc.start()
    try:
        before, _ = tracemalloc.get_traced_memory()
        tracemalloc.reset_peak()
        started = time.monotonic()
        with pytest.raises(FetchError) as refused:
            fetch(url, allow_private=True, max_bytes=BOMB_LIMIT, timeout=10)
        assert time.monotonic() - started < 10
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return peak - before, str(refused.value)


@pytest.mark.parametrize(
    "bomb, why",
    [
        ("layered", "more than one content encoding"),
        ("gzip", "over the 2,097,152-byte limit"),
        ("deflate", "over the 2,097,152-byte limit"),
    ],
)
def test_a_compression_bomb_is_refused_within_the_byte_limit_of_memory(server, bomb, why):
    """A 64 MB bomb fetched with a 2 MB limit: memory stays under the limit plus a small margin."""
    peak, error = _peak_while_fetching(f"{server}/encoded?body={bomb}")
    assert why in error
    assert peak < BOMB_LIMIT + 512 * 1024


def test_a_body_under_the_limit_that_expands_over_100_times_is_refused_as_a_bomb(server):
    with pytest.raises(FetchError, match="expands more than 100 times"):
        fetch(server + "/encoded?body=small-bomb", allow_private=True)
