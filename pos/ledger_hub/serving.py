"""Serve the hub from several processes on one listening socket (one process uses one core).

The socket is bound once by the parent; each process (the parent and ``processes - 1``
forked children) builds its own app, with its own database engine, after the fork and
runs waitress on the shared socket, so the kernel hands each connection to one of them.
A child ends when the parent does (``PR_SET_PDEATHSIG`` on Linux, and the parent also
stops its children when it stops), so a killed hub leaves no process behind listening.
"""
from __future__ import annotations

import ctypes
import os
import signal
import socket

PR_SET_PDEATHSIG = 1


def _serve(listener: socket.socket, settings: dict, threads: int) -> None:
    import logging

    from waitress import serve

    from pos.ledger_hub.app import create_hub_app

    app = create_hub_app({**settings, "DATABASE_POOL_SIZE": threads,   # a connection per thread
                          "LOGIN_TARPIT_SLOTS": max(1, threads - 2)})
    # Requests waiting for a free thread are the normal state of a busy hub (the outlets'
    # pushes queue, each process keeps its core busy); waitress would log each one.
    logging.getLogger("waitress.queue").setLevel(logging.ERROR)
    serve(app, sockets=[listener], threads=threads,
          ident="gerai-ledger-hub")


def _die_with_parent() -> None:
    try:
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)
    except (OSError, AttributeError):   # not Linux: the parent's own stop still ends it
        pass


def run(listener: socket.socket, settings: dict, *, threads: int, processes: int) -> None:
    children: list[int] = []
    for _ in range(processes - 1):
        pid = os.fork()
        if pid == 0:   # the child: serve until told to stop, never return into the CLI
            _die_with_parent()
            try:
                _serve(listener, settings, threads)
            finally:
                os._exit(0)
        children.append(pid)
    try:
        _serve(listener, settings, threads)
    finally:
        for pid in children:
            try:
                os.kill(pid, signal.SIGTERM)
                os.waitpid(pid, 0)
            except (ProcessLookupError, ChildProcessError):
                pass
