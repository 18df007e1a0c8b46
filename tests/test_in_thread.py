"""The browser tests' in-thread server: stopping it mid-response closes what the response held."""
import socket

from bench.in_thread import serving


def test_a_file_still_being_sent_when_the_server_stops_is_closed(tmp_path):
    # A body far larger than the socket buffers, so waitress still holds the file when the
    # server stops; left open it is closed by the garbage collector, which pytest reports as
    # an error of whichever test is running then.
    big = tmp_path / "big.bin"
    big.write_bytes(b"x" * (32 * 1024 * 1024))
    opened = []

    def app(environ, start_response):
        handle = open(big, "rb")  # noqa: SIM115 - the server closes it
        opened.append(handle)
        start_response("200 OK", [("Content-Type", "application/octet-stream"),
                                  ("Content-Length", str(big.stat().st_size))])
        return environ["wsgi.file_wrapper"](handle)

    with serving(app) as base:
        port = int(base.rsplit(":", 1)[1])
        client = socket.create_connection(("127.0.0.1", port))
        client.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        client.sendall(b"GET /big HTTP/1.1\r\nHost: x\r\n\r\n")
        assert client.recv(64).startswith(b"HTTP/1.1 200")
    client.close()

    assert len(opened) == 1
    assert opened[0].closed
