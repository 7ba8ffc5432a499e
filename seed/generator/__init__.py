"""Demo data at the report's scale: July-October 2010 as the taskforce saw it.

`load_report_profile()` (command `generate_demo_data --profile report-2010`)
creates the support enquiries, ministry letters and press items with the
report's exact topic shares, their citizens and timelines, in bulk. The
figures are in seed/data/report_profile.json, the wording in
seed/data/demo_texts.json.

Unlike the other loaders of this app it does not write through the
services: a quarter of a million enquiries one service call at a time would
take hours, so it writes set-based (COPY on PostgreSQL, executemany on
SQLite) the same rows the services would, as history (no notifications,
no dirty marks; the command rebuilds the period's snapshots itself). The
staff and taxonomy it needs come from the same loaders as the rest.
"""
