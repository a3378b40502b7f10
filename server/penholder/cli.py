"""The `penholder` command. Each verb lives in `penholder.commands.<module>` and registers
its own sub-parser, so that adding a verb touches one new module and the table below.

Only the module of the verb being run is imported: the others pull in SQLAlchemy,
Starlette, pandoc bindings and the like, and Python start-up would otherwise cost a
second before `penholder --help` printed anything. The table carries each verb's
one-line help so that the list of verbs needs no module at all (tests/test_cli_start.py
checks that it agrees with what each module registers).
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

# verb -> (module under penholder.commands with register(subparsers) -> None, help)
COMMANDS: dict[str, tuple[str, str]] = {
    "import": ("import_", "read a resolution or a proposal list (.txt, .md, .docx, .pdf)"),
    "db": ("db", "manage the database"),
    "user": ("user", "add and list users"),
    "token": ("token", "API tokens for scripts: add, list, revoke"),
    "draft": ("draft", "start drafts"),
    "serve": ("serve", "run the web server"),
    "amend": ("amend", "file, list and decide amendments (through a server)"),
    "export": ("export", "write a draft as docx, pdf, html, md or Akoma Ntoso"),
    "compare": ("export", "print a redline of two versions in the terminal"),
    "library": ("library", "the library of adopted resolutions: add, search, list"),
    "check": ("check", "editorial checks of a resolution file or a draft"),
}


def _requested(argv: Sequence[str]) -> str | None:
    """The verb on the command line: the first argument that is not an option."""
    for arg in argv:
        if not arg.startswith("-"):
            return arg if arg in COMMANDS else None
    return None


def build_parser(argv: Sequence[str] | None = None) -> argparse.ArgumentParser:
    """The parser, with the full sub-parser of the requested verb and a one-line entry
    for every other (all verbs in full when `argv` is None)."""
    parser = argparse.ArgumentParser(
        prog="penholder",
        description="Collaborative drafting and amendment tracking for UN General Assembly resolutions.",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True
    if argv is None:
        wanted = {module for module, _ in COMMANDS.values()}
    else:
        verb = _requested(argv)
        wanted = {COMMANDS[verb][0]} if verb else set()
    registered: set[str] = set()
    for verb, (module, help_text) in COMMANDS.items():
        if module in wanted:
            if module not in registered:
                importlib.import_module(f"penholder.commands.{module}").register(sub)
                registered.add(module)
        else:
            sub.add_parser(verb, help=help_text)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args_list = list(sys.argv[1:] if argv is None else argv)
    parser = build_parser(args_list)
    args = parser.parse_args(args_list)
    try:
        return int(args.run(args) or 0)
    except KeyboardInterrupt:
        print("penholder: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0


if __name__ == "__main__":
    sys.exit(main())
