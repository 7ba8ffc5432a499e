"""Demo data at the report's scale: July-October 2010 as the taskforce saw it.

`load_report_profile()` (command `generate_demo_data --profile report-2010`)
creates the support enquiries, ministry letters and press items with the
report's exact topic shares, their citizens and timelines, in bulk.
"""
