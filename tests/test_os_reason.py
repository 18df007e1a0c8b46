"""``pos.errors.os_reason``: why the system refused a file, in the operator's words."""
from __future__ import annotations

import errno

from pos.text import os_reason


def test_common_refusals_are_said_in_indonesian_and_others_as_the_system_says_them():
    assert os_reason(OSError(errno.EROFS, "Read-only file system")).startswith("disknya hanya dapat dibaca")
    assert os_reason(OSError(errno.ENOSPC, "No space left on device")) == "disk penuh"
    assert os_reason(OSError(errno.EACCES, "Permission denied")) == "tidak ada izin menulis di sana"
    assert os_reason(OSError(errno.ENOENT, "No such file or directory")) == "tidak ada"
    assert os_reason(OSError(errno.ELOOP, "Too many levels of symbolic links")) == \
        "Too many levels of symbolic links"
    assert os_reason(OSError("bare")) == "bare"


def test_a_time_out_without_an_errno_is_said_in_indonesian_too():
    """A printer host that did not answer showed "(timed out)": socket.timeout has no errno."""
    assert os_reason(TimeoutError("timed out")) == "waktu habis"   # what socket.timeout is
    assert os_reason(TimeoutError()) == "waktu habis"
    assert os_reason(OSError(errno.ETIMEDOUT, "Connection timed out")) == "waktu habis"
