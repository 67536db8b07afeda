"""Building many long-lived objects at once without the garbage collector walking them."""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator


@contextlib.contextmanager
def no_collection() -> Iterator[None]:
    """Pause the garbage collector while a big catalogue (or what is made from it) is built.

    Each collection walks every object made since the last one, and building
    10,000 frameworks triggers thousands of them: seconds of work that free
    nothing, since everything built is kept.  Afterwards the objects made are
    frozen, left out of later collections too; a command ends long before
    that could matter, and reference counting still frees whatever is dropped.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if enabled:
            gc.enable()
