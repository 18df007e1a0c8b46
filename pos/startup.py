"""Starting the server quickly: the cyclic garbage collector paused while the app imports.

Importing Flask, SQLAlchemy and some 250 modules of the app makes about 190,000 objects,
and the collector would walk the growing heap again and again while they are made (about
a fifth of a start on a slow mini-PC). Almost all of them live as long as the process, so
a server freezes them once it has started (``settle``): its later collections, during a
sale, no longer walk them. It does not collect first: that walk took about 95 ms of a
0.9 s start and found some 600 objects of garbage (a few kilobytes kept for good).
"""
from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def collector_paused() -> Iterator[None]:
    """No cyclic collection inside; the collector as it was afterwards."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def settle() -> None:
    """Once, in a long-running server after its start: move every object made so far out
    of the collector's sight."""
    gc.freeze()
