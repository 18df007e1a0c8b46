"""Tests of pos.tills: who holds a till, carts left behind, devices per till."""
