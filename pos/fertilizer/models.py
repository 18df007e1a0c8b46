"""Tables of pos.fertilizer (filled by issue 10)."""
from __future__ import annotations
