"""An app served by waitress in a thread of this process: the browser part of the bench and
the browser tests drive it with Chromium."""
from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def serving(app, threads: int = 4) -> Iterator[str]:
    """``app`` served by waitress on a random 127.0.0.1 port in a thread; yields the base URL."""
    from waitress import wasyncore
    from waitress.server import create_server

    logging.getLogger("waitress.queue").setLevel(logging.ERROR)  # "Task queue depth" chatter
    server = create_server(app, host="127.0.0.1", port=0, threads=threads)
    stop = threading.Event()

    def serve() -> None:
        # The loop thread closes its own sockets: closing them from the caller's thread
        # while select() waits on them fails in the loop with EBADF.
        while not stop.is_set():
            wasyncore.loop(timeout=0.05, map=server._map, count=1)
        server.task_dispatcher.shutdown()  # no task writes to a channel after this
        for channel in list(server._map.values()):
            if hasattr(channel, "outbufs"):
                # An HTTP channel's handle_close also closes the response bodies it still
                # holds (a file being sent); a bare close() leaves them to the garbage
                # collector, and its ResourceWarning lands in whichever test runs then.
                channel.handle_close()
            else:
                channel.close()

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.effective_port}"
    finally:
        stop.set()
        thread.join(timeout=10)
