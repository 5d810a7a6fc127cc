"""The ``advocate`` entry point: parse, dispatch, and turn every failure into one line."""

from __future__ import annotations

import argparse
import importlib
import sys

from .. import __version__, start_gc
from ..private import drop_notices
from .common import CliError, add_db_options, add_plain_option, fail, one_line, say_notices

#: Modules that add sub-commands; each has ``register(subparsers)``.
COMMAND_MODULES = ["app_cmds", "handoff_cmds", "data_cmds", "roster_cmds", "report_cmds", "serve_cmds", "trust_cmds"]


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
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=Parser)
    for name in COMMAND_MODULES:
        importlib.import_module(f"{__package__}.{name}").register(sub)
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
