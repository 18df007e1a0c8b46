"""A USB scanner's keys in the browser tests, each stamped with the moment it is pressed.

The till tells a scanner from a person by when keys were pressed (the event's own time,
``GeraiBurst.pressedAt``). Typed by the test driver (``page.keyboard.type``) a key is stamped
when it reaches the browser, and on a loaded machine keys 5 ms apart arrived 50 ms apart: a
scanner became a person and the test failed. Here each key goes through the browser's input
(so it lands wherever the focus is, as a scanner's does) stamped ``gap_ms`` after the last,
the test waiting for that moment first, never ahead of it.
"""
from __future__ import annotations

import time


def scanner_keys(page, code: str, gap_ms: float = 8, enter_after_ms: float | None = 0) -> None:
    """``code``'s digits ``gap_ms`` apart, then Enter ``enter_after_ms`` after the last (a
    busy mini-PC delays it; None: no Enter). Digits only: the codes a till scans."""
    assert code.isdigit(), code
    cdp = page.context.new_cdp_session(page)
    start = time.time()
    keys = [(key, i * gap_ms) for i, key in enumerate(code)]
    if enter_after_ms is not None:
        keys.append(("Enter", (len(code) - 1) * gap_ms + max(enter_after_ms, gap_ms)))
    try:
        for key, after_ms in keys:
            at = start + after_ms / 1000
            if (ahead := at - time.time()) > 0:
                time.sleep(ahead)
            enter = key == "Enter"
            common = {"key": key, "code": "Enter" if enter else f"Digit{key}",
                      "windowsVirtualKeyCode": 13 if enter else ord(key)}
            cdp.send("Input.dispatchKeyEvent", {"type": "keyDown", "text": "\r" if enter else key,
                                                "timestamp": at, **common})
            cdp.send("Input.dispatchKeyEvent", {"type": "keyUp", "timestamp": at + 0.001, **common})
    finally:
        cdp.detach()
