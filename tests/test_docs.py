"""Docs that tests keep honest (after datasette's test_docs): every command and option of the `communique` command
line is documented, and every command line the README shows names a real command with real options.

Nothing here runs a command: the Typer app is walked as a Click tree and the README's lines are parsed against it.
"""

from __future__ import annotations

import re
import shlex
from collections.abc import Iterator
from enum import Enum
from pathlib import Path
from typing import Any

import pytest
import typer.main

from communique.cli import app

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
DOCS = sorted((ROOT / "docs").glob("*.md"))
# A reference section is headed by the command it documents: "## `communique kb import factbook`".
SECTION_HEADING = re.compile(r"^#{2,4} `communique ([a-z][a-z -]*)`\s*$", re.MULTILINE)
OPTION = re.compile(r"(?<![\w-])(--?[a-zA-Z][\w-]*)")
# Typer ships its own copy of Click, so parameters are told apart by Click's own tag, not by isinstance.
Command = Any


def is_option(param: Any) -> bool:
    return bool(param.param_type_name == "option")


def is_argument(param: Any) -> bool:
    return bool(param.param_type_name == "argument")


def enum_values(param: Any) -> list[str]:
    """The values an option declared with an Enum accepts; [] for free-form options."""
    annotation = getattr(getattr(param, "type_descriptor", None), "annotation", None)
    if isinstance(annotation, type) and issubclass(annotation, Enum):
        return [str(member.value) for member in annotation]
    return []


def commands(group: Command, path: tuple[str, ...] = ()) -> Iterator[tuple[str, Command]]:
    """Every leaf command of the tree as ("kb import factbook", command)."""
    subcommands = getattr(group, "commands", None)
    if subcommands is None:
        yield " ".join(path), group
        return
    for name, sub in subcommands.items():
        yield from commands(sub, (*path, name))


def option_names(command: Command) -> set[str]:
    """Every spelling of every option, both sides of a --flag/--no-flag pair, plus --help."""
    names = {"--help"}
    for param in command.params:
        if is_option(param):
            names.update(param.opts, param.secondary_opts)
    return names


def documented_sections() -> dict[str, str]:
    """The text of each command's reference section in docs/*.md, by command path (sections of one command in
    several files are joined)."""
    sections: dict[str, str] = {}
    for page in DOCS:
        text = page.read_text(encoding="utf-8")
        headings = list(SECTION_HEADING.finditer(text))
        for i, heading in enumerate(headings):
            end = headings[i + 1].start() if i + 1 < len(headings) else len(text)
            name = heading.group(1).strip()
            sections[name] = sections.get(name, "") + text[heading.end() : end]
    return sections


def code_lines(markdown: str) -> Iterator[str]:
    """The lines of a page's code blocks, fenced or indented by four spaces, with backslash continuations
    joined."""
    fenced = False
    pending = ""
    for line in markdown.splitlines():
        if line.lstrip().startswith("```"):
            fenced = not fenced
            continue
        if not (fenced or line.startswith("    ")):
            continue
        line = pending + line.strip()
        if line.endswith("\\"):
            pending = line[:-1] + " "
            continue
        pending = ""
        yield line


def readme_command_lines() -> list[str]:
    return [line for line in code_lines(README.read_text(encoding="utf-8")) if line.startswith("communique ")]


ROOT_COMMAND = typer.main.get_command(app)
COMMANDS = dict(commands(ROOT_COMMAND))


def test_the_cli_tree_is_walked_to_its_leaf_commands() -> None:
    # Guards the walk itself: if it stopped at the root, every later test would pass while checking nothing.
    assert {"analyze", "ingest", "kb show", "eval plover"} <= set(COMMANDS)


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_every_command_has_a_reference_section(name: str) -> None:
    sections = documented_sections()
    assert name in sections, f"`communique {name}` has no '## `communique {name}`' section in docs/*.md"


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_every_option_is_documented_in_its_commands_section(name: str) -> None:
    section = documented_sections().get(name, "")
    # An option is documented by a list item of its own ("- `--engine`: ..."), not by a mention in another's help.
    items = [line[2:].split(":", 1)[0] for line in section.splitlines() if line.startswith("- ")]
    documented = {option for item in items for option in OPTION.findall(item)}
    missing = sorted(option_names(COMMANDS[name]) - {"--help"} - documented)
    assert not missing, f"`communique {name}` options undocumented in docs/cli.md: {', '.join(missing)}"


def test_every_argument_is_documented_in_its_commands_section() -> None:
    sections = documented_sections()
    missing = [
        f"communique {name} {param.name.upper()}"
        for name, command in COMMANDS.items()
        for param in command.params
        if is_argument(param) and f"`{param.name.upper()}`" not in sections.get(name, "")
    ]
    assert not missing, f"arguments undocumented in docs/*.md: {missing}"


def test_the_readme_shows_command_lines() -> None:
    # Guards the parser: a README whose code blocks it cannot read would make the next test vacuous.
    assert len(readme_command_lines()) >= 5


@pytest.mark.parametrize("line", readme_command_lines())
def test_every_readme_command_line_names_a_real_command_and_real_options(line: str) -> None:
    words = shlex.split(line, comments=True)[1:]
    command: Command = ROOT_COMMAND
    path: list[str] = []
    while hasattr(command, "commands"):
        assert words, f"{line!r} stops at the group `communique {' '.join(path)}` without naming a command"
        name = words.pop(0)
        subcommands: dict[str, Command] = command.commands
        assert name in subcommands, f"{line!r}: `communique {' '.join([*path, name])}` is not a command"
        command = subcommands[name]
        path.append(name)
    known = option_names(command)
    by_name = {opt: p for p in command.params if is_option(p) for opt in (*p.opts, *p.secondary_opts)}
    for i, word in enumerate(words):
        if word == "--":
            break
        if not word.startswith("-") or word == "-":
            continue
        option = word.split("=", 1)[0]
        assert option in known, f"{line!r}: `communique {' '.join(path)}` has no option {option}"
        param = by_name.get(option)
        value = word.split("=", 1)[1] if "=" in word else words[i + 1] if i + 1 < len(words) else None
        choices = enum_values(param)
        if choices and value is not None:
            assert value in choices, f"{line!r}: {option} takes one of {choices}"
