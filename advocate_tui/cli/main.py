"""The ``advocate`` entry point: parse, dispatch, and turn every failure into one line."""

from __future__ import annotations

import argparse
import importlib
import sys

from .. import __version__, start_gc
from ..private import drop_notices
from .common import CliError, add_db_options, add_plain_option, fail, one_line, say_notices

#: Every sub-command and the module that adds it (each module's ``register(subparsers)`` adds all of its
#: commands), in the order the help lists them. A module is imported only when one of its commands is
#: used or every command is listed (the help, a mistyped command): a start imports none of them.
COMMANDS = {command: module for module, commands in (
    ("app_cmds", ("demo", "schemas")), ("handoff_cmds", ("handoff",)),
    ("data_cmds", ("backup", "restore", "check", "export", "rekey", "pin")),
    ("roster_cmds", ("roster",)), ("report_cmds", ("report",)), ("serve_cmds", ("serve",)), ("trust_cmds", ("trust",)),
) for command in commands}
#: Modules that add sub-commands; each has ``register(subparsers)``.
COMMAND_MODULES = list(dict.fromkeys(COMMANDS.values()))


class _CommandNames:
    """The sub-commands' names, as argparse checks a command against them and lists them."""

    def __contains__(self, name: object) -> bool:
        return name in COMMANDS

    def __iter__(self):
        return iter(COMMANDS)


class _Commands(argparse._SubParsersAction):
    """The sub-commands, each module of :data:`COMMANDS` imported (and its commands registered) when one
    of its commands is used, or when the help lists them all."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.choices = _CommandNames()
        self._loaded: set[str] = set()

    def _load(self, module: str) -> None:
        if module not in self._loaded:
            self._loaded.add(module)
            importlib.import_module(f"{__package__}.{module}").register(self)

    def _get_subactions(self):  # the help's lines, one a command, in the order of COMMANDS
        for module in COMMAND_MODULES:
            self._load(module)
        order = list(COMMANDS)
        return sorted(super()._get_subactions(), key=lambda action: order.index(action.dest))

    def __call__(self, parser, namespace, values, option_string=None):
        self._load(COMMANDS[values[0]])  # (checked against COMMANDS already)
        super().__call__(parser, namespace, values, option_string)


class Parser(argparse.ArgumentParser):
    """An ArgumentParser whose errors are one line and exit 2.

    No abbreviated options: ``--passphrase SECRET`` must not pass as ``--passphrase-file``.
    """

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("allow_abbrev", False)
        super().__init__(*args, **kwargs)

    def error(self, message: str):  # type: ignore[override]
        print(f"advocate: {one_line(message)} (see '{self.prog} --help')", file=sys.stderr)
        raise SystemExit(2)


def build_parser() -> Parser:
    parser = Parser(
        prog="advocate",
        description="advocate-tui: the restorative-practices advocate's shift in one keyboard-driven screen.",
    )
    parser.add_argument("--version", action="version", version=f"advocate-tui {__version__}")
    add_db_options(parser, sub=False)
    add_plain_option(parser, sub=False)
    parser.add_argument("--coordinator", action="store_true", help="open the coordinator's view of handed-off referrals")
    parser.add_argument("--locked", action="store_true",
                        help="start at the lock screen: nothing shows until the PIN or passphrase is typed "
                             "(every desk advocate serve starts does)")
    parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=Parser, action=_Commands)
    return parser


def _one_line_errors() -> tuple[type[Exception], ...]:
    """The store's and the profile's errors, said in one line. Imported only when an error is being
    handled: the command line is parsed before the store, pydantic and the profile are imported."""
    from ..profile_errors import ProfileError
    from ..store.engine import StoreError

    return StoreError, ProfileError


def main(argv: list[str] | None = None) -> int:
    """Run the command line; return the exit code."""
    start_gc.pause()  # while the app's start imports and opens the desk; resumed as the app runs
    try:
        args = build_parser().parse_args(argv)
    except BaseException:  # --help, --version, a usage error: the parser exits
        start_gc.resume(freeze=False)
        raise
    drop_notices()  # say only what this command tightens
    func = getattr(args, "func", None)
    if func is None:
        from .app_cmds import run_app

        func = run_app
    else:
        start_gc.resume(freeze=False)  # another command: as usual
    try:
        return int(func(args) or 0)
    except KeyboardInterrupt:
        return fail("interrupted", 130)
    except BrokenPipeError:
        return 1
    except CliError as exc:
        return fail(str(exc), exc.code)
    except _one_line_errors() as exc:
        return fail(str(exc))
    except Exception as exc:  # noqa: BLE001 - the last line of defence: never a traceback
        from ..crash import write_crash_report

        where = write_crash_report(exc)
        return fail(f"unexpected error ({type(exc).__name__}); a report without student data is in {where}")
    finally:
        start_gc.resume(freeze=False)  # (resumed already, unless the start stopped before the app ran)
        say_notices()
