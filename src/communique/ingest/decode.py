"""Bytes to text: the encoding of a file, a page or a record detected, binary data refused.

    decode_input(raw, name, declared_charset=None) -> Decoded     the text of input bytes, or an InputError
    decode(raw, declared_charset=None) -> (text, encoding, note)  the decoding alone, newlines normalised
    binary_kind(raw) -> str | None                                what binary format the bytes are in
    looks_like_html(text) -> bool                                 whether a text is an HTML document

UTF-8 (with or without BOM), UTF-16/32 with a BOM, UTF-16 LE/BE without one (told apart by where the zero bytes
fall), otherwise charset-normalizer's best guess (Windows-1252, Latin-1, ...). Mostly valid UTF-8 with a few bad
bytes is decoded with U+FFFD in their place; mostly-ASCII text that is not UTF-8 is read as Windows-1252, never
as a DOS or Mac code page. Newlines become ``\\n``; control characters other than tab and newline are dropped.
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from dataclasses import dataclass

from communique.errors import InputError

# Signatures of common binary formats: (leading bytes, what to call them).
BINARY_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"RIFF", "a RIFF file (WebP image or WAV audio)"),
    (b"%PDF-", "a PDF document (extract its text first)"),
    (b"PK\x03\x04", "a ZIP archive (or a DOCX/ODT/XLSX document)"),
    (b"\x1f\x8b", "gzip-compressed data"),
    (b"BZh", "bzip2-compressed data"),
    (b"\xfd7zXZ\x00", "xz-compressed data"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
    (b"\x7fELF", "an executable"),
    (b"MZ", "a Windows executable"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an old Microsoft Office document"),
    (b"SQLite format 3\x00", "an SQLite database"),
    (b"ID3", "an MP3 file"),
    (b"OggS", "an Ogg media file"),
    (b"\x00\x00\x00\x18ftyp", "an MP4 video"),
    (b"\x00\x00\x00\x20ftyp", "an MP4 video"),
)
BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),  # before UTF-16 LE: it starts with the same two bytes
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
# Single-byte encodings charset-normalizer confuses with Windows-1252 on short English text.
LATIN_GUESSES = {"latin-1", "iso8859-1", "iso8859-2", "iso8859-15", "cp1250", "cp1252", "ascii", "mac-roman"}
# Code pages of DOS (cp437, cp775, cp850...) and of the old Mac OS, which charset-normalizer may pick for
# mostly-ASCII text with a few bytes over 0x7f.
DOS_AND_MAC_PREFIXES = ("cp4", "cp7", "cp8", "mac")
# Control characters that have no place in article text (tab, newline and carriage return are kept).
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_VALID_UTF8_MULTIBYTE = re.compile(
    rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}"
)
_HTML_START = re.compile(r"\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html)\b", re.I | re.S)
_HTML_TAG = re.compile(
    r"<(?:head|body|title|meta|div|p|article|section|span|a|br|h[1-6]|script|style)\b[^>]*>", re.I
)
_META_CHARSET = re.compile(rb"<meta[^>]+charset\s*=\s*[\"']?\s*([A-Za-z0-9_.:-]+)", re.I)


@dataclass(frozen=True)
class Decoded:
    """The text of some input bytes, the encoding it was read in, and what was guessed or replaced (if anything)."""

    text: str
    encoding: str
    note: str | None


def decode_input(raw: bytes, name: str, declared_charset: str | None = None) -> Decoded:
    """The text of ``raw`` (a file, a page, standard input), refusing empty input and binary data in one line.

    ``declared_charset`` (an HTTP header's) is tried before a guess; else the charset an HTML head declares.
    """
    if not raw.strip():
        raise InputError(f"{name}: empty input (nothing to analyse)")
    kind = binary_kind(raw)
    if kind:
        raise InputError(f"{name}: this is {kind}, not text or HTML")
    if _control_ratio(raw) > 0.02 and not _wide_unicode(raw):
        raise InputError(f"{name}: looks like binary data, not text or HTML")
    text, encoding, note = decode(raw, declared_charset or _meta_charset(raw))
    if not text.strip():  # a byte-order mark, UTF-16 spaces or control characters and nothing else
        raise InputError(f"{name}: empty input (nothing to analyse)")
    if _looks_binary(text):
        raise InputError(f"{name}: looks like binary data, not text or HTML")
    return Decoded(text, encoding, note)


def megabytes(size: int) -> str:
    """A byte count as a limit is written in messages ("20 MB", "1.5 MB")."""
    return f"{size / 2**20:.1f} MB" if size % 2**20 else f"{size // 2**20} MB"


def _meta_charset(raw: bytes) -> str | None:
    """The charset an HTML page declares in its head (``<meta charset="windows-1251">``), if any."""
    found = _META_CHARSET.search(raw[:4096])
    if found is None:
        return None
    name = found.group(1).decode("ascii", "replace").lower()
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def binary_kind(raw: bytes) -> str | None:
    """What binary format ``raw`` is in (by its leading bytes), or None."""
    for signature, kind in BINARY_SIGNATURES:
        if raw.startswith(signature):
            # "MZ"/"ID3"/"BZh" also begin ordinary words: trust them only with binary bytes close behind.
            if (
                len(signature) <= 3
                and signature not in (b"\xff\xd8\xff", b"\x1f\x8b")
                and not _has_binary_bytes(raw[:512])
            ):
                continue
            return kind
    return None


def _has_binary_bytes(sample: bytes) -> bool:
    return any(b < 9 or 13 < b < 32 for b in sample)


def _control_ratio(raw: bytes) -> float:
    """Share of control bytes (other than tab, newlines and form feed) in the first 8 KB."""
    sample = raw[:8192]
    return sum(1 for b in sample if b < 9 or 13 < b < 32 or b == 127) / max(1, len(sample))


def _wide_unicode(raw: bytes) -> bool:
    """UTF-16 or UTF-32 (whose ASCII characters carry zero bytes), with or without a byte-order mark."""
    return raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) or _utf16_without_bom(raw) is not None


def decode(raw: bytes, declared_charset: str | None = None) -> tuple[str, str, str | None]:
    """``(text, encoding, note)``: the text with newlines normalised; ``note`` says what was guessed or replaced."""
    text, encoding, note = _decode(raw, declared_charset)
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\ufeff", "")
    text = _CONTROL.sub("", text.replace("\f", "\n").replace("\v", "\n"))
    return text, encoding, note


def _decode(raw: bytes, declared_charset: str | None) -> tuple[str, str, str | None]:
    for bom, encoding in BOMS:
        if raw.startswith(bom):
            body = raw[len(bom) :]
            try:
                return body.decode(encoding), encoding, None
            except UnicodeDecodeError:
                text = body.decode(encoding, errors="replace")
                return (
                    text,
                    encoding,
                    f"invalid {encoding} sequences replaced with U+FFFD ({text.count(chr(0xFFFD))})",
                )
    # Before UTF-8: ASCII text in UTF-16 is valid UTF-8 too, with a zero byte after every letter.
    utf16 = _utf16_without_bom(raw)
    if utf16:
        try:
            return raw.decode(utf16), utf16, f"decoded as {utf16} (no byte-order mark)"
        except UnicodeDecodeError:
            pass
    try:
        return raw.decode("utf-8"), "utf-8", None
    except UnicodeDecodeError:
        pass
    if _VALID_UTF8_MULTIBYTE.search(raw):
        # Real UTF-8 with a few broken bytes: a single-byte guess would garble every valid character.
        text = raw.decode("utf-8", errors="replace")
        bad = text.count("\ufffd")
        if bad <= max(8, len(raw) // 200):
            return text, "utf-8", f"invalid UTF-8: {bad} byte sequence(s) replaced with U+FFFD"
    if declared_charset:
        try:
            return raw.decode(declared_charset), declared_charset, None
        except (LookupError, UnicodeDecodeError):
            pass
    from charset_normalizer import from_bytes

    best = from_bytes(raw).best()
    if best is not None and best.encoding:
        encoding = codecs.lookup(best.encoding).name
        if encoding in LATIN_GUESSES:
            # Short Western text is often guessed as a sibling code page; English news in a single-byte
            # encoding is almost always Windows-1252 (curly quotes and dashes in 0x80-0x9f).
            try:
                return raw.decode("cp1252"), "cp1252", "not UTF-8: decoded as cp1252 (detected)"
            except UnicodeDecodeError:
                pass
        if encoding.startswith(DOS_AND_MAC_PREFIXES) and _mostly_ascii(raw):
            # English with a stray byte or a few curly quotes: a DOS or Mac code page fits such bytes as well
            # as any (\x93 is "ô" in cp437), but news is not written in one; Windows-1252 is the likely source.
            text = raw.decode("cp1252", errors="replace")
            bad = text.count("\ufffd")
            replaced = f", {bad} undecodable byte(s) replaced with U+FFFD" if bad else ""
            return (
                text,
                "cp1252",
                f"not UTF-8: mostly ASCII, decoded as cp1252 (detected {encoding}){replaced}",
            )
        return str(best), encoding, f"not UTF-8: decoded as {encoding} (detected)"
    text = raw.decode("utf-8", errors="replace")
    return text, "utf-8", f"encoding unknown: {text.count(chr(0xFFFD))} invalid byte(s) replaced with U+FFFD"


def _mostly_ascii(raw: bytes) -> bool:
    """At most 10% of the first 64 KB are bytes over 0x7f."""
    sample = raw[:65536]
    return sum(1 for b in sample if b > 0x7F) <= 0.1 * len(sample)


def _utf16_without_bom(raw: bytes) -> str | None:
    """``utf-16-le``/``utf-16-be`` for UTF-16 without a byte-order mark, else None.

    In UTF-16 text of an alphabetic script (Latin, Greek, Cyrillic, Armenian, Hebrew, Arabic...) nearly every
    high byte is 0x00-0x07: such bytes crowd the odd positions (little-endian) or the even ones (big-endian).
    The guess must then decode and read mostly as letters and spaces.
    """
    sample = raw[:4096]
    if len(sample) < 4:
        return None
    sample = sample[: len(sample) // 2 * 2]
    even, odd = sample[0::2], sample[1::2]
    low_even = sum(1 for b in even if b < 8) / len(even)
    low_odd = sum(1 for b in odd if b < 8) / len(odd)
    if low_odd > 0.6 and low_even < 0.2:
        guess = "utf-16-le"
    elif low_even > 0.6 and low_odd < 0.2:
        guess = "utf-16-be"
    else:
        return None
    try:
        text = sample.decode(guess)
    except UnicodeDecodeError:
        return None
    readable = sum(1 for ch in text if ch.isalpha() or ch.isspace() or ch in ".,;:!?'\"-()«»“”’")
    return guess if readable / max(1, len(text)) > 0.8 else None


def _looks_binary(text: str) -> bool:
    """Decoded random bytes: many replacement characters, private-use or unassigned code points."""
    sample = text[:20000]
    if not sample:
        return False
    odd = sum(
        1
        for ch in sample
        if ch == "\ufffd" or unicodedata.category(ch) in ("Co", "Cn", "Cs", "Cc") and ch not in "\n\t"
    )
    return odd / len(sample) > 0.05


def looks_like_html(text: str) -> bool:
    """Whether ``text`` is an HTML document (a doctype or <html> start, or several structural tags)."""
    head = text[:8192]
    if _HTML_START.match(head):
        return True
    return len(_HTML_TAG.findall(head)) >= 3 and head.lstrip().startswith("<")
