"""Why a serial port failed, in the staff's words (a scale, a pole display).

pyserial and termios speak English ("could not open port /dev/ttyUSB1: [Errno 2] No such file
or directory: …", "Input/output error", "Write timeout"); that went on screens and into
``pos hardware status``.  ``port_reason`` says the common failures in Indonesian, read from the
error's errno (pyserial's ``SerialException`` carries it, or wraps the ``OSError`` that does;
``termios.error`` has it as its first argument); the library's own words are for the log.
"""
from __future__ import annotations

import errno

_REASONS = {
    errno.ENOENT: "port {port} tidak ada", errno.ENODEV: "port {port} tidak ada",
    errno.ENXIO: "port {port} tidak ada",
    errno.EIO: "galat baca/tulis pada port {port}",
    errno.EACCES: "tidak ada izin membuka port {port}", errno.EPERM: "tidak ada izin membuka port {port}",
    errno.EBUSY: "port {port} sedang dipakai program lain",
    errno.ETIMEDOUT: "tidak menjawab dalam {seconds} detik",
}


def port_reason(error: BaseException, port: str, seconds: float) -> str:
    """``error`` from the serial port ``port`` (time-out ``seconds``) said in Indonesian."""
    if _timed_out(error):
        key = errno.ETIMEDOUT
    else:
        key = error_number(error)
    shown = f"{seconds:g}".replace(".", ",")
    return _REASONS.get(key, "galat pada port {port} (rinciannya di log server)").format(
        port=port, seconds=shown)


def error_number(error: BaseException | None) -> int | None:
    """The errno of ``error`` or of the error it wraps (pyserial's ``read failed: [Errno 5] …``)."""
    while error is not None:
        args = error.args
        if isinstance(error, OSError) and error.errno:
            return error.errno
        if len(args) == 2 and isinstance(args[0], int):   # termios.error(5, 'Input/output error')
            return args[0]
        error = error.__cause__ or error.__context__
    return None


def _timed_out(error: BaseException) -> bool:
    import serial

    return isinstance(error, (TimeoutError, serial.SerialTimeoutException))
