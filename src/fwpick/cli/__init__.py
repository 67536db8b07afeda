"""The command line: the only package that imports typer.

``app`` (in :mod:`fwpick.cli.app`) holds every command; the commands are thin
shells that parse options, call the core, pick a renderer and raise
:class:`~fwpick.errors.FwpickError` for the user's mistakes.
"""

from fwpick.cli.app import app, main

__all__ = ["app", "main"]
