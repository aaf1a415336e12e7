"""The console entry point, kept tiny so that cyclic garbage collection is off before the
first import: importing Typer, rich and the core with it on costs ~3 ms (see cli.main)."""

import gc

gc.disable()
entry = True  # remitctl.cli then imports only the command module that the command line names


def main() -> int:
    try:
        from remitctl.cli import main as run
    except KeyboardInterrupt:  # pressed while Python loads the CLI: quiet, as later
        return 130
    code = run()
    from remitctl.cli import session

    if session.leaving_quickly():  # a large evidence run: its output is out; end now
        import os
        import sys

        try:
            sys.stdout.flush()
            sys.stderr.flush()
        except OSError:
            return code
        os._exit(code)
    return code
