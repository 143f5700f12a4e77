"""Benchmarks of the portal at city scale (issue 4); run with ``make bench`` or ``python -m bench``.

Never part of ``make test``: pytest only collects ``tests/`` (pyproject's testpaths).
"""
