"""Benchmarks at chosen sizes: `python -m benchmarks 10000 100000 1000000`.

Each size is loaded with the report profile's demo data into a dedicated
PostgreSQL database, then every registered benchmark is timed (median of
repeated runs, with its SQL query count) and a Markdown table is printed
for docs/benchmarks.md. Add a benchmark with one decorated function in
benchmarks/suite.py.
"""
