"""Deadlines for generated enquiries, in one function.

A simple calendar-time rule stands in until the business-hours SLA module
(`enquiries.sla`) is on main; then `due_dates` should ask it instead (with
the policy looked up once per queue, priority and category, not per row),
and nothing else in the generator changes.
"""

import datetime

# queue code: (first response within, resolution within)
SIMPLE_RULES = {
    "support": (datetime.timedelta(hours=24), datetime.timedelta(days=3)),
    "ministry": (datetime.timedelta(days=5), datetime.timedelta(days=20)),
    "press": (datetime.timedelta(hours=24), datetime.timedelta(days=2)),
}


def due_dates(
    *, queue_code: str, priority: int, category_id: int, received_at: datetime.datetime
) -> tuple[datetime.datetime, datetime.datetime]:
    """When the first response and the resolution are due for an enquiry."""
    first_response, resolution = SIMPLE_RULES[queue_code]
    return received_at + first_response, received_at + resolution
