"""Seed and demo data: the report's world, reference data and the demo
generator, as data files in seed/data/ and loaders that write through the
domain apps' services. It sits above every domain app and nothing imports it.
"""
