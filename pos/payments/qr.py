"""QR codes of payloads for the screen: an inline SVG drawn by segno.

The page's Content-Security-Policy forbids ``style=`` attributes and external
images, so the SVG uses presentation attributes only (``fill``, ``stroke``,
``width``, ``height``) and a ``viewBox``, so a stylesheet may resize it.  A white
quiet zone of four modules surrounds the code so a phone reads it on any screen.

segno is imported at the first QR drawn (a QRIS payment, the settings' preview), not at the
server's start: a till paid in cash never needs it (about 0.5 MB of memory).
"""
from __future__ import annotations


def svg(payload: str, *, size: int = 264, title: str = "QRIS") -> str:
    """``payload`` as an inline ``<svg class="qr">`` of ``size`` pixels (error correction M or better)."""
    import segno

    code = segno.make_qr(payload, error="m", boost_error=True)
    drawing = code.svg_inline(scale=1, border=4, dark="#000", light="#fff", omitsize=True,
                              svgclass="qr", lineclass="qr-line", title=title)
    # segno writes either a size or a viewBox; the screen wants both (sharp and scalable).
    return drawing.replace("<svg ", f'<svg width="{size}" height="{size}" ', 1)
