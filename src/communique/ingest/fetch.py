"""Safe URL fetching: one HTTP(S) GET that cannot be turned against the machine it runs on.

:func:`fetch` promises:

* only ``http`` and ``https`` URLs (``file:``, ``ftp:``, ``data:``... are refused);
* the host is resolved once per hop and every address it resolves to is checked: loopback, private,
  link-local (cloud metadata at 169.254.169.254), multicast, reserved, unspecified and other non-global
  addresses are refused unless private addresses are allowed (argument ``allow_private`` or environment
  ``COMMUNIQUE_ALLOW_PRIVATE_URLS=1``); the connection then goes to the checked address, so a second DNS
  answer cannot swap it (the ``Host`` header and TLS server name still carry the host name);
* redirects are followed by hand, at most :data:`MAX_REDIRECTS`, each hop checked like the first;
* connect and read timeouts plus an overall deadline; the body is streamed and cut at ``max_bytes``
  (decompressed bytes), so a 2 GB body or a gzip bomb costs at most ``max_bytes`` of memory;
* at most one content encoding (``gzip`` or ``deflate``; a stacked ``gzip, gzip`` or any other coding is
  refused), decompressed here piece by piece, never more than :data:`DECODE_PIECE` bytes at a time, and
  refused once the decoded body is more than :data:`MAX_DECOMPRESSION_RATIO` times what came over the wire;
* conditional GET: given the ``etag``/``last_modified`` of an earlier fetch, a ``304`` comes back as a
  :class:`Fetched` with ``status == 304`` and no content;
* every failure is a :class:`~communique.errors.FetchError` with a one-line message naming the URL.
"""

from __future__ import annotations

import functools
import ipaddress
import os
import socket
import ssl
import time
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

import httpx

from communique import __version__
from communique.errors import FetchError

USER_AGENT = f"communique/{__version__} (news analysis; +https://pypi.org/project/communique/)"
DEFAULT_TIMEOUT = 20.0  # seconds for the whole fetch, redirects included
CONNECT_TIMEOUT = 10.0
DEFAULT_MAX_BYTES = 20 * 1024 * 1024
MAX_REDIRECTS = 5
# The only content encodings asked for and accepted; each is decoded here, not by the HTTP client, whose
# decoders expand a whole network chunk at once (1 KB of a gzip bomb is 1 MB of zeros) and stack layers.
CONTENT_ENCODINGS = ("gzip", "x-gzip", "deflate")
DECODE_PIECE = 64 * 1024
# Articles compress 3-10 times; a page that expands over 100 times is a bomb. Checked once past 1 MB, so a
# short page of repeated markup is not refused.
MAX_DECOMPRESSION_RATIO = 100
RATIO_CHECKED_FROM = 1024 * 1024
REDIRECT_STATUSES = {301, 302, 303, 307, 308}
ALLOW_PRIVATE_ENV = "COMMUNIQUE_ALLOW_PRIVATE_URLS"

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network


@dataclass
class Fetched:
    """What one fetch returned: the body (empty for 304) and where it finally came from."""

    url: str
    final_url: str
    status: int
    headers: dict[str, str] = field(default_factory=dict)
    content: bytes = b""
    content_type: str | None = None

    @property
    def etag(self) -> str | None:
        return self.headers.get("etag")

    @property
    def last_modified(self) -> str | None:
        return self.headers.get("last-modified")

    @property
    def not_modified(self) -> bool:
        return self.status == 304

    @property
    def charset(self) -> str | None:
        """The charset the server declared in Content-Type, if any."""
        for part in (self.headers.get("content-type") or "").split(";")[1:]:
            key, _, value = part.strip().partition("=")
            if key.lower() == "charset" and value:
                return value.strip("\"' ").lower()
        return None


class AddressPolicy:
    """Which resolved addresses a fetch may connect to.

    By default only global (public) unicast addresses. ``allow_private=True`` allows every address;
    a list of networks (``["127.0.0.1/32"]``) allows those networks on top of the public ones.
    """

    def __init__(self, allow_private: bool | Iterable[str] | None = None) -> None:
        if allow_private is None:
            allow_private = os.environ.get(ALLOW_PRIVATE_ENV, "").strip().lower() in ("1", "true", "yes")
        self.allow_all = allow_private is True
        self.networks: list[IPNetwork] = []
        if not isinstance(allow_private, bool):
            self.networks = [ipaddress.ip_network(n, strict=False) for n in allow_private]

    def refusal(self, address: IPAddress) -> str | None:
        """Why ``address`` may not be contacted, or None if it may."""
        if self.allow_all or any(address in n for n in self.networks):
            return None
        if isinstance(address, ipaddress.IPv6Address):
            embedded = address.ipv4_mapped or address.sixtofour or (address.teredo or (None, None))[1]
            if embedded is not None:
                return self.refusal(embedded)
        for kind in ("loopback", "link_local", "unspecified", "multicast", "reserved", "private"):
            if getattr(address, "is_" + kind):
                return f"{kind.replace('_', '-')} address {address}"
        if not address.is_global:
            return f"non-public address {address}"
        return None


def fetch(
    url: str,
    *,
    timeout: float = DEFAULT_TIMEOUT,
    max_bytes: int = DEFAULT_MAX_BYTES,
    allow_private: bool | Iterable[str] | None = None,
    etag: str | None = None,
    last_modified: str | None = None,
    max_redirects: int = MAX_REDIRECTS,
) -> Fetched:
    """GET ``url`` under the rules of this module; raise :class:`FetchError` on any refusal or failure."""
    policy = AddressPolicy(allow_private)
    deadline = time.monotonic() + timeout
    headers = {
        "User-Agent": USER_AGENT,
        "Accept": "text/html,application/xhtml+xml,text/plain;q=0.9,*/*;q=0.5",
        "Accept-Encoding": "gzip, deflate",
    }
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    per_read = httpx.Timeout(timeout, connect=min(CONNECT_TIMEOUT, timeout))
    # trust_env=False: a proxy from the environment would connect on our behalf to addresses we never checked.
    with httpx.Client(
        timeout=per_read, trust_env=False, follow_redirects=False, verify=_tls_context()
    ) as client:
        current = _parse(url)
        for _ in range(max_redirects + 1):
            response = _send(client, current, headers, policy, deadline, timeout)
            try:
                location = response.headers.get("location")
                if response.status_code in REDIRECT_STATUSES and location:
                    current = _parse(str(current.join(location)))
                    continue
                return _finish(url, current, response, max_bytes, deadline, timeout)
            finally:
                response.close()
    raise FetchError(f"{url}: more than {max_redirects} redirects")


@functools.cache
def _tls_context() -> ssl.SSLContext:
    """The TLS settings every fetch uses (httpx's defaults: certifi's roots, verified), made once: loading the
    root certificates took 45 ms of every fetch, 80% of a watch's poll of a feed answering 304."""
    return httpx.create_ssl_context(trust_env=False)


def _parse(url: str) -> httpx.URL:
    try:
        parsed = httpx.URL(url.strip())
    except (httpx.InvalidURL, TypeError) as exc:
        raise FetchError(f"{url}: not a valid URL ({exc})") from None
    if parsed.scheme not in ("http", "https"):
        scheme = parsed.scheme or "no scheme"
        raise FetchError(f"{url}: only http and https URLs can be fetched, not {scheme}")
    if not parsed.host:
        raise FetchError(f"{url}: the URL has no host")
    return parsed


def resolve(host: str, port: int) -> list[IPAddress]:
    """Every address ``host`` resolves to (an IP literal resolves to itself)."""
    try:
        return [ipaddress.ip_address(host)]
    except ValueError:
        pass
    try:
        answers = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError, OSError) as exc:
        raise FetchError(f"cannot resolve host {host!r} ({exc})") from None
    addresses: list[IPAddress] = []
    for _family, _type, _proto, _name, sockaddr in answers:
        address = ipaddress.ip_address(str(sockaddr[0]).split("%")[0])  # drop an IPv6 zone index
        if address not in addresses:
            addresses.append(address)
    if not addresses:
        raise FetchError(f"host {host!r} resolves to no address")
    return addresses


def _send(
    client: httpx.Client,
    url: httpx.URL,
    headers: dict[str, str],
    policy: AddressPolicy,
    deadline: float,
    timeout: float,
) -> httpx.Response:
    port = url.port or (443 if url.scheme == "https" else 80)
    try:
        addresses = resolve(url.host, port)
    except FetchError as exc:
        raise FetchError(f"{url}: {exc.message}") from None
    for address in addresses:  # every answer must pass: a name must not point at private and public alike
        why = policy.refusal(address)
        if why is not None:
            raise FetchError(f"{url}: refused to connect to {why} (set {ALLOW_PRIVATE_ENV}=1 to allow)")
    # Connect to the address we checked, not to whatever the name resolves to a moment later.
    pinned = url.copy_with(host=str(addresses[0]))
    host_header = url.host if url.port is None else f"{url.host}:{url.port}"
    extensions = {"sni_hostname": url.host} if url.scheme == "https" else {}
    remaining = deadline - time.monotonic()
    if remaining <= 0:
        raise FetchError(f"{url}: timed out after {timeout:g} s")
    request = client.build_request(
        "GET",
        pinned,
        headers={**headers, "Host": host_header},
        extensions={
            **extensions,
            "timeout": httpx.Timeout(remaining, connect=min(CONNECT_TIMEOUT, remaining)).as_dict(),
        },
    )
    try:
        return client.send(request, stream=True)
    except httpx.TimeoutException:
        raise FetchError(f"{url}: timed out after {timeout:g} s") from None
    except httpx.HTTPError as exc:
        raise FetchError(f"{url}: {_describe(exc)}") from None


def _finish(
    original: str, url: httpx.URL, response: httpx.Response, max_bytes: int, deadline: float, timeout: float
) -> Fetched:
    status = response.status_code
    headers = {k.lower(): v for k, v in response.headers.items()}
    content_type = headers.get("content-type", "").split(";")[0].strip().lower() or None
    if status == 304:
        return Fetched(original, str(url), status, headers, b"", content_type)
    if status >= 400:
        reason = response.reason_phrase or "error"
        raise FetchError(f"{url}: HTTP {status} {reason}")
    declared = headers.get("content-length", "")
    if declared.isdigit() and int(declared) > max_bytes:
        raise FetchError(f"{url}: body of {int(declared):,} bytes is over the {max_bytes:,}-byte limit")
    decoder = _BodyDecoder(str(url), headers.get("content-encoding", ""))
    chunks: list[bytes] = []
    size = wire = 0

    def keep(pieces: Iterable[bytes]) -> None:
        nonlocal size
        for piece in pieces:
            size += len(piece)
            if size > max_bytes:
                raise FetchError(f"{url}: body is over the {max_bytes:,}-byte limit")
            if size > RATIO_CHECKED_FROM and size > MAX_DECOMPRESSION_RATIO * wire:
                raise FetchError(
                    f"{url}: body expands more than {MAX_DECOMPRESSION_RATIO} times when decompressed "
                    "(a compression bomb)"
                )
            chunks.append(piece)

    try:
        for raw in response.iter_raw():
            wire += len(raw)
            keep(decoder.decode(raw))
            if time.monotonic() > deadline:
                raise FetchError(f"{url}: timed out after {timeout:g} s while reading the body")
        keep(decoder.decode(b""))
    except httpx.TimeoutException:
        raise FetchError(f"{url}: timed out after {timeout:g} s while reading the body") from None
    except httpx.HTTPError as exc:
        raise FetchError(f"{url}: {_describe(exc)}") from None
    return Fetched(original, str(url), status, headers, b"".join(chunks), content_type)


class _BodyDecoder:
    """Undoes one content encoding incrementally: no call yields a piece over :data:`DECODE_PIECE` bytes."""

    def __init__(self, url: str, content_encoding: str) -> None:
        self.url = url
        codings = [c.strip().lower() for c in content_encoding.split(",")]
        codings = [c for c in codings if c and c != "identity"]
        if len(codings) > 1:
            raise FetchError(f"{url}: more than one content encoding ({', '.join(codings)}) is refused")
        if codings and codings[0] not in CONTENT_ENCODINGS:
            raise FetchError(f"{url}: unsupported content encoding {codings[0]!r}")
        self.coding = codings[0] if codings else None
        self.started = False
        # gzip: a gzip header; deflate: zlib-wrapped as the standard says (raw deflate is tried on failure).
        self.inflater = zlib.decompressobj(
            16 + zlib.MAX_WBITS if self.coding != "deflate" else zlib.MAX_WBITS
        )

    def decode(self, data: bytes) -> Iterator[bytes]:
        """The decoded pieces of ``data`` (``b""`` at the end flushes what zlib still holds)."""
        if self.coding is None:
            if data:
                yield data
            return
        while True:
            try:
                piece = self.inflater.decompress(data, DECODE_PIECE)
            except zlib.error as exc:
                if self.coding == "deflate" and not self.started:
                    self.started = True  # some servers send deflate without the zlib wrapper
                    self.inflater = zlib.decompressobj(-zlib.MAX_WBITS)
                    continue
                raise FetchError(f"{self.url}: the body could not be decompressed ({exc})") from None
            self.started = True
            if piece:
                yield piece
            data = self.inflater.unconsumed_tail
            # A full piece may leave output inside zlib even when all input is consumed: ask again.
            if not data and len(piece) < DECODE_PIECE or self.inflater.eof:
                return


def _describe(exc: httpx.HTTPError) -> str:
    if isinstance(exc, httpx.ConnectError):
        return f"could not connect ({exc})"
    if isinstance(exc, httpx.RemoteProtocolError):
        return f"the server broke the HTTP protocol ({exc})"
    if isinstance(exc, httpx.DecodingError):
        return f"the body could not be decompressed ({exc})"
    return f"{type(exc).__name__}: {exc}"
