"""Tables of pos.het (filled by issue 10)."""
from __future__ import annotations
