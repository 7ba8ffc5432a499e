"""The report's autumn of 2010 at a reduced scale, written in bulk.

Support: 2,160 enquiries (1/100 of the report's 216,000) whose primary
topics give exactly the report's five shares; the other five topics stay
below 5.1 %. Ministry: the 126 letters whose 187 topic mentions give the
report's ministry table. Press: 14 items. A few enquiries just outside
July-October check the period's edges.

Once `generate_demo_data --profile report-2010` is on main, the tests can
use it instead: `call_command("generate_demo_data", profile="report-2010",
scale=...)` at a reduced scale, then assert the same EXPECTED tables.
"""

from __future__ import annotations

import datetime
import itertools

from analytics.periods import REPORTING_TZ
from enquiries.models import Category, Enquiry, Queue, Topic
from enquiries.sequences import format_reference, next_reference_numbers

START = datetime.date(2010, 7, 1)
END = datetime.date(2010, 10, 31)
DAYS = (END - START).days + 1

# Primary topic: enquiries (x 1/100 of the report's volume).
SUPPORT_COUNTS = [
    ("midlertidig-adgangskode", 667),  # 30.88 % -> 30,9 %
    ("generelle-spoergsmaal", 402),  # 18.61 % -> 18,6 %
    ("aktivering", 376),  # 17.41 % -> 17,4 %
    ("bestilling", 254),  # 11.76 % -> 11,8 %
    ("glemt-adgangskode", 110),  # 5.09 % -> 5,1 %
    ("noeglekort", 80),
    ("spaerring", 75),
    ("teknik", 70),
    ("tilgaengelighed", 66),
    ("support-og-klager", 60),
]
SUPPORT_TOTAL = 2160

# The ministry table per topic mention: 187 mentions in 126 letters.
MINISTRY_MENTIONS = [
    ("sikkerhed", 41),
    ("brugerproblemer", 32),
    ("noeglekort", 28),
    ("banktvang", 19),
    ("klage-over-support", 17),
    ("tilgaengelighed", 10),
    ("privatliv", 9),
    ("log-ud", 9),
    ("velkomstbreve", 8),
    ("nedbrud", 8),
    ("andet", 6),
]
MINISTRY_LETTERS = 126
PRESS_ITEMS = [("sikkerhed", 6), ("nedbrud", 4), ("support", 3), ("aeldre", 1)]
PRESS_TOTAL = 14

EXPECTED = {
    "support": [
        ("Midlertidig adgangskode", "30,9%"),
        ("Generelle spørgsmål om NemID", "18,6%"),
        ("Aktivering af NemID", "17,4%"),
        ("Bestilling af NemID", "11,8%"),
        ("Glemt adgangskode", "5,1%"),
    ],
    "ministry": [
        ("Sikkerhed", "21,9%"),
        ("Brugerproblemer", "17,1%"),
        ("Nøglekort", "15,0%"),
        ("Banktvang", "10,2%"),
        ("Klage over support", "9,1%"),
    ],
}


def at(day: datetime.date, hour: int = 10, minute: int = 0) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=REPORTING_TZ)


def _write(queue: Queue, specs: list[tuple[datetime.datetime, Category, list[Topic]]]) -> list:
    """Bulk-insert enquiries (no timeline, no hooks): (received, category, further)."""
    numbers = next_reference_numbers(len(specs))
    enquiries = Enquiry.objects.bulk_create(
        [
            Enquiry(
                reference=format_reference(queue.reference_prefix, received.year, number),
                queue=queue,
                channel=queue.default_channel,
                received_at=received,
                subject="Henvendelse",
                category=category,
                topic_id=category.topic_id,
                team=queue.team,
            )
            for (received, category, _further), number in zip(specs, numbers, strict=True)
        ],
        batch_size=500,
    )
    through = Enquiry.additional_topics.through
    through.objects.bulk_create(
        [
            through(enquiry_id=enquiry.pk, topic_id=topic.pk)
            for enquiry, (_r, _c, further) in zip(enquiries, specs, strict=True)
            for topic in further
        ],
        batch_size=500,
    )
    return enquiries


def _categories(queue: Queue) -> dict[str, list[Category]]:
    found: dict[str, list[Category]] = {}
    for category in Category.objects.filter(topic__queue=queue).select_related("topic"):
        found.setdefault(category.topic.code, []).append(category)
    return found


def write_support(queue: Queue) -> list[Enquiry]:
    """2,160 support enquiries spread over July-October; some mention more topics."""
    categories = _categories(queue)
    key_card = Topic.objects.get(queue=queue, code="noeglekort")
    specs = []
    for position, (code, count) in enumerate(SUPPORT_COUNTS):
        cycle = itertools.cycle(categories[code])
        for i in range(count):
            day = START + datetime.timedelta(days=(i * 7 + position) % DAYS)
            # Further topics do not move the per-enquiry table.
            further = [key_card] if code == "aktivering" and i % 3 == 0 else []
            specs.append((at(day, 8 + i % 9, i % 60), next(cycle), further))
    return _write(queue, specs)


def write_ministry(queue: Queue) -> list[Enquiry]:
    """126 letters; mention j goes to letter j mod 126, the first is its primary."""
    categories = _categories(queue)
    topics = {t.code: t for t in Topic.objects.filter(queue=queue)}
    mentions = [code for code, count in MINISTRY_MENTIONS for _ in range(count)]
    letters: list[list[str]] = [[] for _ in range(MINISTRY_LETTERS)]
    for j, code in enumerate(mentions):
        letters[j % MINISTRY_LETTERS].append(code)
    specs = [
        (
            at(datetime.date(2010, 10, 1) + datetime.timedelta(days=i % 31)),
            categories[codes[0]][0],
            [topics[code] for code in codes[1:]],
        )
        for i, codes in enumerate(letters)
    ]
    return _write(queue, specs)


def write_press(queue: Queue) -> list[Enquiry]:
    categories = _categories(queue)
    specs = [
        (at(START + datetime.timedelta(days=3 * i + n)), categories[code][0], [])
        for n, (code, count) in enumerate(PRESS_ITEMS)
        for i in range(count)
    ]
    return _write(queue, specs)


def write_outside_the_period(queue: Queue) -> None:
    """Enquiries a minute before and at the first minute after July-October."""
    category = _categories(queue)["noeglekort"][0]
    _write(
        queue,
        [(at(datetime.date(2010, 6, 30), 23, 59), category, [])] * 3
        + [(at(datetime.date(2010, 11, 1), 0, 0), category, [])] * 3,
    )


def write_report_autumn(taxonomy: dict[str, Queue]) -> dict[str, list[Enquiry]]:
    """The whole reduced dataset; returns the enquiries written per queue."""
    written = {
        "support": write_support(taxonomy["support"]),
        "ministry": write_ministry(taxonomy["ministry"]),
        "press": write_press(taxonomy["press"]),
    }
    write_outside_the_period(taxonomy["support"])
    return written
