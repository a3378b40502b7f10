"""The `penholder` command loads only the module of the verb it runs."""

from __future__ import annotations

import subprocess
import sys

import pytest

from penholder.cli import COMMANDS, build_parser, main


def test_the_table_agrees_with_what_each_module_registers():
    # The list of verbs from the table alone reads exactly as with every module loaded.
    assert build_parser(["--help"]).format_help() == build_parser().format_help()


def test_help_lists_every_verb_without_importing_any_command_module():
    code = ("import sys\nfrom penholder.cli import main\n"
            "try:\n    main(['--help'])\nexcept SystemExit:\n    pass\n"
            "print(sorted(m for m in sys.modules if m.startswith('penholder.commands.')"
            " or m in ('sqlalchemy', 'starlette', 'wordfreq', 'pypdf')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    for verb in COMMANDS:
        assert f"    {verb} " in out
    assert out.strip().splitlines()[-1] == "[]"


def test_import_loads_the_import_module_only():
    code = ("import sys\nfrom penholder.cli import main\n"
            "try:\n    main(['import', '--help'])\nexcept SystemExit:\n    pass\n"
            "print(sorted(m for m in sys.modules if m.startswith('penholder.commands.')"
            " or m in ('sqlalchemy', 'starlette', 'wordfreq')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip().splitlines()[-1] == "['penholder.commands.import_']"


@pytest.mark.parametrize("argv", [["export", "--help"], ["compare", "--help"], ["db", "upgrade", "--help"]])
def test_other_verbs_still_parse_in_full(argv, capsys):
    with pytest.raises(SystemExit) as exc:
        main(argv)
    assert exc.value.code == 0
    assert "usage: penholder " + argv[0] in capsys.readouterr().out


def test_an_unknown_verb_is_refused_with_the_list(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["frobnicate"])
    assert exc.value.code == 2
    err = capsys.readouterr().err
    assert "invalid choice: 'frobnicate'" in err and "import" in err


def test_a_full_parser_is_still_available():
    args = build_parser().parse_args(["import", "x.txt", "--json"])
    assert args.command == "import" and args.json is True
