"""Tests of pos.inventory.labels: in-store codes and labels."""
