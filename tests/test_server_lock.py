"""The server's lock (``pos.server_lock``): a real server holds it for as long as its process
lives and the kernel lets go when it dies, however it dies; a restore takes it alone, and a
server started meanwhile waits for the restore to end."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading

import pytest

from pos import server_lock

SERVER = """
import sys, time
import pos
app = pos.create_app({"DATABASE_URL": sys.argv[1], "INSTANCE_PATH": sys.argv[2],
                      "PRINTER": "dummy://", "PRINT_IN_BACKGROUND": False})
print("siap", flush=True)
time.sleep(120)
"""


def test_a_running_server_holds_the_lock_until_it_is_killed(tmp_path):
    with subprocess.Popen([sys.executable, "-c", SERVER, f"sqlite:///{tmp_path / 'pos.db'}",
                           str(tmp_path)], stdout=subprocess.PIPE, text=True) as process:
        try:
            assert process.stdout.readline().strip() == "siap"
            with pytest.raises(server_lock.ServerRunning), server_lock.alone(tmp_path):
                pass
            process.send_signal(signal.SIGKILL)    # no clean-up of its own: the kernel lets go
            process.wait(timeout=10)
            with server_lock.alone(tmp_path):
                pass
        finally:
            process.kill()


def test_a_command_line_or_a_test_app_takes_no_lock(app, tmp_path):
    with server_lock.alone(app.instance_path):
        pass


def test_a_server_started_during_a_restore_waits_for_it(tmp_path, capfd):
    started = threading.Event()
    held: list[int] = []

    def start_server():
        held.append(server_lock.hold(tmp_path))
        started.set()

    with server_lock.alone(tmp_path):
        thread = threading.Thread(target=start_server, daemon=True)
        thread.start()
        assert not started.wait(0.3)                 # still restoring: the server waits
    assert started.wait(10)                          # the restore ended: it starts
    thread.join(10)
    assert "Menunggu pemulihan cadangan selesai" in capfd.readouterr().err
    with pytest.raises(server_lock.ServerRunning), server_lock.alone(tmp_path):
        pass
    os.close(held[0])


def test_a_lock_file_that_cannot_be_opened_never_stops_the_server(tmp_path, capfd):
    gone = tmp_path / "tidak-ada"                       # as a folder the server may not write
    assert server_lock.hold(gone) is None
    assert "tidak dapat dibuka" in capfd.readouterr().err
