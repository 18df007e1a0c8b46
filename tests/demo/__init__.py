"""Tests of pos.demo: the demo gerai."""
