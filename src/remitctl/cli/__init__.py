"""The command line: parse options, call the core, hand results to a renderer.

Each command module registers its commands here; the core is imported inside the
commands, so `remitctl who` pays only for what it uses.
"""

from __future__ import annotations

import gc
import os
import sys
from importlib import import_module
from typing import Any

import typer
from typer import _click as click  # Typer 0.26 vendors click
from typer.core import TyperGroup

from remitctl import __version__
from remitctl.cli import session, streams

GLOBAL_FLAGS = ("--no-cache",)


class _Root(TyperGroup):
    """`remitctl` alone prints help (exit 0); a global flag works after the command too
    (`remitctl who noise --no-cache`)."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if not args and not ctx.resilient_parsing:
            click.echo(ctx.get_help())
            ctx.exit(0)
        cut = args.index("--") if "--" in args else len(args)
        moved = [a for a in args[:cut] if a in GLOBAL_FLAGS]
        if moved and args[0] not in GLOBAL_FLAGS:
            args = [*dict.fromkeys(moved), *(a for a in args[:cut] if a not in GLOBAL_FLAGS),
                    *args[cut:]]
        return super().parse_args(ctx, args)


def _show_error(self: click.exceptions.ClickException, file: Any = None) -> None:
    """Every usage error in one style: `remitctl: error: …` and a hint."""
    session.err(f"remitctl: error: {self.format_message()}")
    ctx = getattr(self, "ctx", None)
    if ctx is not None:
        session.err(f"  hint: '{ctx.command_path} --help' shows what it accepts")
    else:  # found before a command's context existed (an option missing its value)
        name = next((a for a in sys.argv[1:] if not a.startswith("-")), None)
        known = {c.name or (c.callback.__name__ if c.callback else "")
                 for c in app.registered_commands}
        path = f"remitctl {name}" if name in known else "remitctl"
        session.err(f"  hint: '{path} --help' shows what it accepts")


click.exceptions.ClickException.show = _show_error  # type: ignore[method-assign]
click.exceptions.UsageError.show = _show_error  # type: ignore[method-assign]


def _cache_place() -> str:
    from remitctl.registry.cache import directory

    where = directory()
    return str(where) if where is not None else "no cache directory (no home)"


app = typer.Typer(
    name="remitctl",
    cls=_Root,
    help="Who handles this right now? Partnership remits and cover for UK police.",
    no_args_is_help=False,
    invoke_without_command=True,
    add_completion=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        session.write_out(f"remitctl {__version__}\n")
        raise typer.Exit()


@app.callback()
def _root(
    version: bool = typer.Option(False, "--version", callback=_version, is_eager=True,
                                 help="Show the version and exit."),
    no_cache: bool = typer.Option(False, "--no-cache",
                                  help="Read the registry file afresh, ignoring the compiled "
                                  f"cache in {_cache_place()} (also REMITCTL_NO_CACHE=1). "
                                  "Also accepted after the command."),
) -> None:
    """Who handles this right now? Partnership remits and cover for UK police."""
    session.use_cache = not no_cache


# Each command module, in the order `remitctl --help` lists them, with its commands.
MODULES = {"lookup": ("who", "now"), "browse": ("list", "agencies", "show"),
           "validate": ("validate",), "schema_cmd": ("schema",), "diff": ("diff",),
           "gaps": ("gaps",), "evidence": ("evidence", "log"), "places": ("places",)}


def _modules_needed() -> list[str]:
    """Every command module, but only the one that registers the command named when the
    console entry point runs (remitctl._start): `remitctl who` need not import `diff`."""
    every = list(MODULES)
    start = sys.modules.get("remitctl._start")
    if not getattr(start, "entry", False) or any(
            k.startswith("_REMITCTL_COMPLETE") for k in os.environ):
        return every
    name = next((a for a in sys.argv[1:] if not a.startswith("-")), None)
    return [m for m in every if name in MODULES[m]] or every


for _module in _modules_needed():
    import_module(f"remitctl.cli.{_module}").register(app)


def main() -> int:
    """Console entry point: run the app; a closed pipe or Ctrl-C ends quietly."""
    # A command lives for a moment and makes no reference cycles worth collecting: the
    # collector would only walk every module and the registry again and again, and once
    # more at exit (~20 ms of a 100 ms lookup).
    gc.disable()
    streams.prepare()
    _only_the_command_asked_for(sys.argv[1:])
    try:
        app(prog_name="remitctl")
    except SystemExit as exc:
        code = exc.code
        code = code if isinstance(code, int) else (0 if code is None else 1)
        return _flushed(code)
    except KeyboardInterrupt:
        sys.stderr.write("remitctl: interrupted\n")
        return 130
    except BrokenPipeError:
        # The reader went away (`remitctl now | head -1`): stop quietly.
        session.stdout_gone()
        return 0
    except OSError as exc:
        if not streams.output_failed(exc):
            return _internal_error(exc)
        return session.output_failed(exc)
    except Exception as exc:  # a bug: say so plainly, never a traceback
        from remitctl.registry.problems import RegistryError

        if isinstance(exc, RegistryError):
            # A cache entry's part found unreadable mid-lookup sends the registry to be
            # parsed afresh (registry/lazy.py); the file failing then is bad input.
            for problem in exc.problems:
                sys.stderr.write(problem.format() + "\n")
            sys.stderr.write("remitctl: the registry has problems; nothing more was looked "
                             "up (run remitctl validate)\n")
            return _flushed(1)
        return _internal_error(exc)

    finally:
        gc.freeze()
    return _flushed(0)


def _only_the_command_asked_for(args: list[str]) -> None:
    """Typer builds every registered command's options before it runs one (a quarter of a
    lookup's start-up with eleven commands): when the command line names one, keep that one.
    Root help, completion and an unknown name still see them all."""

    from typer.main import get_command_name

    if any(k.startswith("_REMITCTL_COMPLETE") for k in os.environ):
        return
    name = next((a for a in args if not a.startswith("-")), None)
    if name is None:
        return
    keep = [c for c in app.registered_commands
            if (c.name or get_command_name(c.callback.__name__ if c.callback else "")) == name]
    if keep:
        app.registered_commands = keep


def _internal_error(exc: Exception) -> int:
    sys.stderr.write(f"remitctl: internal error: {type(exc).__name__}: {exc}\n"
                     "  please report this with the command you ran\n")
    return 70


def _flushed(code: int) -> int:
    """Flush stdout now, so that a reader that has gone is noticed here (quietly) and a
    write that fails (a full disk) ends with its one-line message and exit 74."""
    try:
        session.write_out("")
    except typer.Exit as exc:
        return exc.exit_code
    return code
