"""The Typer app: its commands in the order a user needs them, and errors caught once.

Every command raises :class:`~fwpick.errors.FwpickError` for a problem the
user can fix; :class:`FwpickGroup` turns it into one line on stderr and the
error's exit code, for every command alike.
"""

# No "from __future__ import annotations" here: Typer evaluates every string
# annotation of every command on each start, which costs more than the rest of
# --version.

from typing import Annotated, Any

import typer
from typer.core import TyperGroup

from fwpick import __version__
from fwpick.cli import bench, catalog_commands, recommend, review
from fwpick.cli.options import print_error
from fwpick.errors import ExitCode, FwpickError


class FwpickGroup(TyperGroup):
    """Click's group, catching fwpick's own errors for every command in one place."""

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except FwpickError as exc:
            print_error(exc)
            raise typer.Exit(exc.exit_code) from None
        except BrokenPipeError:
            # Only in-process (tests): the console script's streams end it themselves.
            raise typer.Exit(ExitCode.READER_GONE) from None


app = typer.Typer(
    name="fwpick",
    cls=FwpickGroup,
    no_args_is_help=True,
    add_completion=True,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        print(f"fwpick {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_version, is_eager=True, help="Show the version and exit."
        ),
    ] = False,
) -> None:
    """Choose a Python web framework from checked facts.

    Start with: fwpick compare, then fwpick recommend, then fwpick show NAME.
    """


# In the order --help lists them, which is the order a user needs them.
for _command in (
    catalog_commands.compare,
    catalog_commands.show,
    catalog_commands.validate,
    recommend.recommend,
    review.review,
    catalog_commands.new,
    bench.bench,
):
    app.command()(_command)


def main() -> None:
    """Console-script entry point."""
    from fwpick.cli.streams import run_main

    try:
        run_main(lambda: app(prog_name="fwpick"))
    finally:
        # The process is about to end and the OS will reclaim everything at
        # once; freezing the heap spares the interpreter's final collection
        # over every object Typer and Rich made, about 13 ms of each run (an
        # eighth of ``fwpick compare``), which shell completion pays per Tab.
        # Files are all closed by now and the standard streams are still
        # flushed at exit, so nothing is lost.
        import gc

        gc.freeze()
