"""The `penholder` command. Each verb lives in `penholder.commands.<verb>` and registers
its own sub-parser, so that adding a verb touches one new module and the list below."""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

# Modules under penholder.commands, each with register(subparsers) -> None.
COMMANDS = ["import_", "db", "user", "token", "draft", "serve", "amend", "export"]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="penholder",
        description="Collaborative drafting and amendment tracking for UN General Assembly resolutions.",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True
    for name in COMMANDS:
        importlib.import_module(f"penholder.commands.{name}").register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.run(args) or 0)
    except KeyboardInterrupt:
        print("penholder: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0


if __name__ == "__main__":
    sys.exit(main())
