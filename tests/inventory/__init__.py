"""Tests of the inventory package: in-store codes and labels."""
