"""Tables of pos.lpg (filled by issue 10)."""
from __future__ import annotations
