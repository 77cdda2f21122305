"""Benchmarks and the build tools they share (not part of the installed package)."""
