"""The command line: the only package that imports typer.

Importing it registers every command on :data:`app`.
"""

from fwpick.cli.catalog_commands import app, main

__all__ = ["app", "main"]
