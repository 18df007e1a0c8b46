"""Tables of pos.returns (issue 11)."""
from __future__ import annotations
