"""Benchmarks: `python -m bench` (see the README for the figures and how to read them)."""
