"""The event annotation corpus: labels as corpus ID plus character offsets, texts read from ../shared at run time.

Two forms of a label file (docs/annotation.md):

- a **work file** (``annotations/work/labels-NNN.jsonl``, not committed), as annotators write it: each span as
  the text it covers, checked against the sampled sentence;
- the **committed file** (``annotations/events/*.jsonl``): each span as document offsets ``[start, end]``,
  with no corpus text, or, for sentences the team wrote itself, the text inline (``written.jsonl``).

``python -m communique.training.annotations check FILE...`` reports every line a work file gets wrong;
``compile WORK... --out FILE`` writes the committed form; ``load()`` gives the labelled sentences back with their
texts, ready for training and evaluation.
"""

from __future__ import annotations

import argparse
import gzip
import json
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from communique.vocabulary import PLOVER_TYPES

STATUSES = ("realized", "future", "hypothetical", "negated", "historical")
SECTORS = (
    "GOV MIL LEG JUD COP SPY OPP REB INS SEP PTY MED NGO IGO BUS CVL ELI CRM EDU REL LAB AGR HLH ENV MNC REF UAF"
).split()
ANNOTATIONS = Path(__file__).resolve().parents[3] / "annotations" / "events"
CORPUS = Path(__file__).resolve().parents[4] / "shared" / "corpora" / "allsides-geopolitics.jsonl.gz"


class LabelError(ValueError):
    """A label line that does not fit its sentence: the file and line say where."""


@dataclass
class Mention:
    start: int  # offsets into the document text (for written sentences: into the sentence)
    end: int
    code: str | None
    sector: str | None


@dataclass
class LabelledEvent:
    type: str
    status: str
    trigger: tuple[int, int] | None
    actor: list[Mention]
    recipient: list[Mention]
    mode: str | None = None


@dataclass
class LabelledSentence:
    """One sentence and every event it reports; ``text`` is the document's (or the written sentence itself)."""

    sid: str
    doc: str
    start: int
    end: int
    split: str
    text: str  # the whole document text, so features see the context; the sentence is text[start:end]
    events: list[LabelledEvent] = field(default_factory=list)
    source: str = "allsides"
    published: str | None = None

    @property
    def sentence(self) -> str:
        return self.text[self.start : self.end]

    def span(self, mention: Mention | tuple[int, int]) -> str:
        start, end = (mention.start, mention.end) if isinstance(mention, Mention) else mention
        return self.text[start:end]


# --- work files -> committed form ------------------------------------------------------------------------------


def _whole_word(sentence: str, start: int, end: int) -> bool:
    before = sentence[start - 1] if start > 0 else " "
    after = sentence[end] if end < len(sentence) else " "
    return not (before.isalnum() and sentence[start].isalnum()) and not (
        after.isalnum() and sentence[end - 1].isalnum()
    )


def _find(sentence: str, text: str, occurrence: int, where: str) -> tuple[int, int]:
    """The n-th occurrence of ``text`` (counted as plain substrings, as annotators count); a match inside a
    longer word ("he" in "The") moves to the first occurrence that stands as whole words."""
    position = -1
    for _ in range(max(1, occurrence)):
        position = sentence.find(text, position + 1)
        if position < 0:
            raise LabelError(f"{where}: {text!r} is not in the sentence (occurrence {occurrence})")
    if not _whole_word(sentence, position, position + len(text)):
        whole = next(
            (
                i
                for i in range(len(sentence))
                if sentence.startswith(text, i) and _whole_word(sentence, i, i + len(text))
            ),
            None,
        )
        if whole is None:
            raise LabelError(f"{where}: {text!r} occurs only inside longer words")
        position = whole
    return position, position + len(text)


def _mention(raw: Any, sentence: str, offset: int, where: str) -> dict[str, Any]:
    if not isinstance(raw, dict) or not isinstance(raw.get("text"), str) or not raw["text"].strip():
        raise LabelError(f"{where}: a mention needs a non-empty text, got {raw!r}")
    code = raw.get("code")
    if code is not None and not (
        isinstance(code, str) and (code == "IGO" or (len(code) == 3 and code.isupper()))
    ):
        raise LabelError(f"{where}: code {code!r} is not ISO 3166-1 alpha-3, IGO or null")
    sector = raw.get("sector")
    if sector is not None and sector not in SECTORS:
        raise LabelError(f"{where}: sector {sector!r} is not one of {' '.join(SECTORS)}")
    start, end = _find(sentence, raw["text"], int(raw.get("occurrence", 1)), where)
    return {"span": [offset + start, offset + end], "code": code, "sector": sector}


def compile_event(raw: Any, sentence: str, offset: int, where: str) -> dict[str, Any]:
    """One work-file event in committed form (offsets instead of text); raises LabelError with the reason."""
    if not isinstance(raw, dict):
        raise LabelError(f"{where}: an event must be an object")
    if raw.get("type") not in PLOVER_TYPES:
        raise LabelError(f"{where}: type {raw.get('type')!r} is not a PLOVER 2.0 type")
    if raw.get("status") not in STATUSES:
        raise LabelError(f"{where}: status {raw.get('status')!r} is not one of {', '.join(STATUSES)}")
    trigger = raw.get("trigger")
    if not isinstance(trigger, str) or not trigger.strip():
        raise LabelError(f"{where}: trigger must be the word or phrase as written")
    t_start, t_end = _find(sentence, trigger, int(raw.get("trigger_occurrence", 1)), where + " trigger")
    actors = raw.get("actor") or []
    recipients = raw.get("recipient") or []
    if not isinstance(actors, list) or not isinstance(recipients, list):
        raise LabelError(f"{where}: actor and recipient are lists of mentions")
    return {
        "type": raw["type"],
        "mode": raw.get("mode") or None,
        "status": raw["status"],
        "trigger": [offset + t_start, offset + t_end],
        "actor": [_mention(m, sentence, offset, where + " actor") for m in actors],
        "recipient": [_mention(m, sentence, offset, where + " recipient") for m in recipients],
    }


def sampled_sentences(folder: Path) -> dict[str, dict[str, Any]]:
    """The sampler's rows by sentence ID (``sample.py`` wrote them, texts included)."""
    rows: dict[str, dict[str, Any]] = {}
    for path in sorted(folder.glob("sentences-*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                row = json.loads(line)
                rows[row["sid"]] = row
    return rows


def compile_work(
    paths: Iterable[Path], sampled: dict[str, dict[str, Any]]
) -> tuple[list[dict[str, Any]], list[str]]:
    """Committed lines from work files, and one error line per label that does not fit (the rest still compile)."""
    lines: list[dict[str, Any]] = []
    errors: list[str] = []
    seen: set[str] = set()
    for path in paths:
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if not line.strip():
                continue
            where = f"{path}:{number}"
            try:
                raw = json.loads(line)
                sid = raw.get("sid")
                if sid not in sampled:
                    raise LabelError(f"{where}: unknown sentence id {sid!r}")
                if sid in seen:
                    raise LabelError(f"{where}: sentence {sid} is labelled twice")
                row = sampled[sid]
                events = [
                    compile_event(event, row["text"], row["start"], f"{where} event {index + 1}")
                    for index, event in enumerate(raw.get("events") or [])
                ]
            except (LabelError, json.JSONDecodeError, TypeError, ValueError) as exc:
                errors.append(str(exc) if isinstance(exc, LabelError) else f"{where}: {exc}")
                continue
            seen.add(sid)
            lines.append(
                {
                    "sid": sid,
                    "doc": row["doc"],
                    "start": row["start"],
                    "end": row["end"],
                    "split": row["split"],
                    "kind": row.get("kind"),
                    "annotator": path.stem,
                    "events": events,
                }
            )
    return lines, errors


# --- loading for training and evaluation --------------------------------------------------------------------


def _corpus_texts(path: Path, wanted: set[str]) -> dict[str, dict[str, Any]]:
    found: dict[str, dict[str, Any]] = {}
    with gzip.open(path, "rt", encoding="utf-8") as stream:
        for line in stream:
            record = json.loads(line)
            if record.get("ID") in wanted:
                found[record["ID"]] = record
    return found


def _mentions(raw: list[dict[str, Any]]) -> list[Mention]:
    return [Mention(m["span"][0], m["span"][1], m.get("code"), m.get("sector")) for m in raw]


def _event(raw: dict[str, Any]) -> LabelledEvent:
    trigger = raw.get("trigger")
    return LabelledEvent(
        type=raw["type"],
        status=raw["status"],
        trigger=(trigger[0], trigger[1]) if trigger else None,
        actor=_mentions(raw.get("actor", [])),
        recipient=_mentions(raw.get("recipient", [])),
        mode=raw.get("mode"),
    )


def load(
    folder: Path = ANNOTATIONS, corpus: Path = CORPUS, extra: Iterable[Path] = ()
) -> list[LabelledSentence]:
    """Every labelled sentence of the committed corpus, and of the ``extra`` label files in the same format (an
    analyst's exported corrections), texts joined from ``corpus`` (corpus files) or inline."""
    raw_lines: list[dict[str, Any]] = []
    # The second annotator's labels (agreement-*) measure agreement; the first labels train.
    paths = [p for p in sorted(folder.glob("*.jsonl")) if not p.name.startswith("agreement")]
    for path in [*paths, *extra]:
        raw_lines.extend(
            json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()
        )
    corpus_ids = {line["doc"] for line in raw_lines if "text" not in line}
    records = _corpus_texts(corpus, corpus_ids) if corpus_ids else {}
    sentences: list[LabelledSentence] = []
    for line in raw_lines:
        if "text" in line:  # written by the team: the text is ours and inline
            text, published, source = line["text"], line.get("published"), "written"
            start, end = 0, len(text)
        else:
            record = records.get(line["doc"])
            if record is None:
                continue
            text, published, source = record["text"], record.get("date") or None, "allsides"
            start, end = line["start"], line["end"]
        sentences.append(
            LabelledSentence(
                sid=line["sid"],
                doc=line["doc"],
                start=start,
                end=end,
                split=line["split"],
                text=text,
                events=[_event(e) for e in line.get("events", [])],
                source=source,
                published=published,
            )
        )
    return sentences


def by_split(sentences: Iterable[LabelledSentence], split: str) -> Iterator[LabelledSentence]:
    return (s for s in sentences if s.split == split)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Check or compile annotators' work files (docs/annotation.md)."
    )
    sub = parser.add_subparsers(dest="command", required=True)
    check = sub.add_parser("check", help="report every label that does not fit its sentence")
    check.add_argument("files", type=Path, nargs="+")
    build = sub.add_parser("compile", help="write the committed form (offsets, no corpus text)")
    build.add_argument("files", type=Path, nargs="+")
    build.add_argument("--out", type=Path, required=True)
    for each in (check, build):
        each.add_argument("--sampled", type=Path, default=Path("annotations/work"))
    args = parser.parse_args(argv)
    lines, errors = compile_work(args.files, sampled_sentences(args.sampled))
    for error in errors:
        print(error, file=sys.stderr)
    events = sum(len(line["events"]) for line in lines)
    print(f"{len(lines)} sentences, {events} events fit; {len(errors)} labels do not")
    if args.command == "compile":
        args.out.write_text("".join(json.dumps(line) + "\n" for line in lines), encoding="utf-8")
    return 1 if errors else 0


if __name__ == "__main__":
    raise SystemExit(main())
