"""Measuring frameworks on this machine: throughput under wrk, and install footprint.

This package is its own part of fwpick: ``fwpick bench`` and the catalogue's
maintainers use it; the commands that only read the catalogue (compare, show,
validate, recommend) never import it.  Nothing here imports typer or Rich: its
output is :mod:`fwpick.output.bench_views`.
"""
