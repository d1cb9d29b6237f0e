"""The one reader of communique's data files: YAML and TSV, refusing what would silently lose a line.

    load_yaml("plover", "rules.yaml")               a packaged file of ``communique/data/``
    parse_yaml(text, "kb-overrides.yaml")           any YAML text (a user's file), with the same refusals
    read_tsv("plover", "triggers.tsv")              rows of a packaged TSV file, each with its line number
    parse_tsv(text, "my.tsv", key=(0,))             any TSV text

A key written twice is refused with :class:`~communique.errors.DataFileError` naming the file and the lines of
both occurrences: in a YAML mapping at any depth (PyYAML alone keeps the last value and says nothing), and in
the key columns of a TSV file (each packaged one declares them in :data:`TSV_FORMATS`). YAML merge keys (``<<: *anchor``) may be overridden, as YAML intends; a key
repeated among a mapping's own entries may not.

TSV files are tab separated, one row a line: blank lines and lines starting with ``#`` are skipped, cells are
stripped of surrounding space, and with ``header=True`` the first row names the columns.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterator, Sequence
from dataclasses import dataclass
from importlib import resources
from typing import Any

import yaml

from communique.errors import DataFileError

DATA_PACKAGE = "communique"
DATA_FOLDER = "data"

_SafeLoader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_MERGE_TAG = "tag:yaml.org,2002:merge"


def data_path(*parts: str) -> str:
    """How a packaged data file is named in messages: ``data/plover/triggers.tsv``."""
    return "/".join((DATA_FOLDER, *parts))


def data_text(*parts: str) -> str:
    """The text of a packaged data file (``data_text("plover", "rules.yaml")``)."""
    try:
        return resources.files(DATA_PACKAGE).joinpath(DATA_FOLDER, *parts).read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise DataFileError(f"{data_path(*parts)}: no such packaged data file") from exc


# ----------------------------------------------------------------------------------------------- YAML
class _UniqueKeyLoader(_SafeLoader):  # type: ignore[valid-type,misc]
    """PyYAML's safe loader, refusing a key that a mapping repeats."""

    source = "<yaml>"

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        if isinstance(node, yaml.MappingNode):
            self._refuse_repeated_keys(node)
        return super().construct_mapping(node, deep=deep)  # type: ignore[no-any-return]

    def _refuse_repeated_keys(self, node: yaml.MappingNode) -> None:
        first_line: dict[Hashable, int] = {}
        for key_node, _ in node.value:
            if key_node.tag == _MERGE_TAG:
                continue
            key = self.construct_object(key_node, deep=True)
            if not isinstance(key, Hashable):
                continue  # PyYAML reports an unhashable key itself
            line = key_node.start_mark.line + 1
            if key in first_line:
                raise DataFileError(
                    f"{self.source}: line {line}: key {key!r} repeats the key of line {first_line[key]}; "
                    "the later value would silently replace the earlier one"
                )
            first_line[key] = line


class _UniqueKeyTextDateLoader(_UniqueKeyLoader):
    """The same, reading dates (``1991-12-25``) as the text written rather than :class:`datetime.date`."""


_UniqueKeyTextDateLoader.add_constructor(
    "tag:yaml.org,2002:timestamp", lambda loader, node: loader.construct_scalar(node)
)


def parse_yaml(text: str, source: str, *, dates_as_text: bool = False) -> Any:
    """The value of one YAML document; ``source`` names the file in errors. Refuses repeated keys (see the module
    docstring) and reports malformed YAML with its line."""
    loader_class = _UniqueKeyTextDateLoader if dates_as_text else _UniqueKeyLoader
    loader = loader_class(text)
    loader.source = source
    try:
        return loader.get_single_data()
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}: " if mark is not None else ""
        problem = getattr(exc, "problem", None) or str(exc)
        raise DataFileError(f"{source}: {where}malformed YAML ({problem})") from exc
    finally:
        loader.dispose()


def load_yaml(*parts: str) -> Any:
    """A packaged YAML data file (``load_yaml("quotes", "cues.yaml")``), refusing repeated keys."""
    return parse_yaml(data_text(*parts), data_path(*parts))


# ------------------------------------------------------------------------------------------------ TSV
@dataclass(frozen=True)
class Row:
    """One row of a TSV file: its stripped cells and the line it was read from (1-based)."""

    line: int
    cells: tuple[str, ...]
    columns: dict[str, int] | None = None  # column name -> index, when the file has a header

    def __getitem__(self, index: int) -> str:
        return self.cells[index]

    def __len__(self) -> int:
        return len(self.cells)

    def __iter__(self) -> Iterator[str]:
        return iter(self.cells)

    def get(self, column: str, default: str = "") -> str:
        """The cell under a header column ("" where the row is shorter than the header)."""
        if self.columns is None:
            raise KeyError(f"{column!r}: the file was read without a header")
        index = self.columns[column]
        return self.cells[index] if index < len(self.cells) else default


def parse_tsv(
    text: str,
    source: str,
    *,
    key: Sequence[int] = (),
    width: int | None = None,
    header: bool = False,
    fold_case: bool = False,
) -> list[Row]:
    """The rows of a TSV text; ``source`` names the file in errors.

    ``key``: the columns that identify a row; a second row with the same values in them is refused with the lines
    of both (``fold_case``: compared without regard to case). ``width``: the number of cells each row must have at
    least (fewer is refused with its line). ``header``: the first row names the columns (:meth:`Row.get`); it is
    not returned.
    """
    rows: list[Row] = []
    columns: dict[str, int] | None = None
    first_line: dict[tuple[str, ...], int] = {}
    for number, raw in enumerate(text.splitlines(), start=1):
        if not raw.strip() or raw.startswith("#"):
            continue
        cells = tuple(cell.strip() for cell in raw.split("\t"))
        if not cells[0]:
            continue  # a row must name its first column; one that does not is no entry
        if header and columns is None:
            columns = {name: i for i, name in enumerate(cells)}
            continue
        if width is not None and len(cells) < width:
            raise DataFileError(
                f"{source}: line {number}: {len(cells)} cells, {width} expected (tab separated)"
            )
        if key:
            if max(key) >= len(cells):
                raise DataFileError(f"{source}: line {number}: no cell {max(key) + 1} (the row's key)")
            value = tuple(cells[i].lower() if fold_case else cells[i] for i in key)
            if value in first_line:
                shown = "\t".join(cells[i] for i in key)
                raise DataFileError(
                    f"{source}: line {number}: {shown!r} repeats the key of line {first_line[value]}; "
                    "the later row would silently replace the earlier one"
                )
            first_line[value] = number
        rows.append(Row(number, cells, columns))
    return rows


@dataclass(frozen=True)
class TsvFormat:
    """How a packaged TSV file is read: the columns that identify a row, the cells a row needs, a header row."""

    key: tuple[int, ...]
    width: int
    header: bool = False
    fold_case: bool = False


# Every packaged TSV file and its format, so that no file is read without its key checked.
TSV_FORMATS: dict[str, TsvFormat] = {
    "plover/triggers.tsv": TsvFormat(key=(0, 1), width=6),  # kind, pattern
    "plover/scores.tsv": TsvFormat(key=(0, 1), width=3),  # type, mode
    "stance/polarity.tsv": TsvFormat(key=(0,), width=3, header=True, fold_case=True),  # term
    "vocabulary/irregular_verbs.tsv": TsvFormat(key=(0,), width=2),  # lemma
    "importers/cow_states.tsv": TsvFormat(key=(0,), width=3, header=True),  # COW state number
    "kb/agents.tsv": TsvFormat(key=(0,), width=2, header=True, fold_case=True),  # term
}


def read_tsv(*parts: str) -> list[Row]:
    """The rows of a packaged TSV data file, read in its declared format (:data:`TSV_FORMATS`, see
    :func:`parse_tsv`)."""
    name = "/".join(parts)
    form = TSV_FORMATS.get(name)
    if form is None:
        raise DataFileError(f"{data_path(*parts)}: no format declared in communique.resources.TSV_FORMATS")
    return parse_tsv(
        data_text(*parts),
        data_path(*parts),
        key=form.key,
        width=form.width,
        header=form.header,
        fold_case=form.fold_case,
    )
