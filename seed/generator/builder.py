"""Builds the report profile's rows day by day, in the order they arrived.

Times are UTC epoch seconds until a row is written. Everything random comes
from one seeded generator, so a seed always gives the same data. Topic
counts are fixed in advance (see profile.py) and only their order is
random, which keeps the report's shares exact.
"""

from __future__ import annotations

import calendar
import datetime
import heapq
import hmac
import math
import random
from bisect import bisect
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future
from dataclasses import dataclass, field
from itertools import accumulate, islice
from statistics import NormalDist
from zoneinfo import ZoneInfo

from django.conf import settings

from enquiries import cpr
from enquiries.models import Channel, Enquiry, EnquiryEvent
from seed.generator import texts
from seed.generator.deadlines import DueDates
from seed.generator.profile import (
    PERIOD_END,
    PERIOD_START,
    STAFF_FULL_ON,
    STAFF_JULY,
    STAFF_NOVEMBER,
    Volumes,
    assign_mentions,
    letter_day_weight,
    per_day,
    period_days,
    support_day_weight,
    topics_per_letter,
)
from seed.generator.sinks import PostgresTimes, SqliteTimes

COPENHAGEN = ZoneInfo("Europe/Copenhagen")
HOUR = 3600
DAY = 86_400
# Plain strings: the COPY writer adapts exact types fastest.
_S, _K = Enquiry.Status, EnquiryEvent.Kind
NEW, TRIAGED, IN_PROGRESS = _S.NEW.value, _S.TRIAGED.value, _S.IN_PROGRESS.value
WAITING, RESOLVED, CLOSED = _S.WAITING.value, _S.RESOLVED.value, _S.CLOSED.value
CREATED, ASSIGNED, STATUS = _K.CREATED.value, _K.ASSIGNED.value, _K.STATUS.value
PHONE, EMAIL, WEB_FORM = Channel.PHONE.value, Channel.EMAIL.value, Channel.WEB_FORM.value
LETTER, PRESS_CHANNEL = Channel.LETTER.value, Channel.PRESS.value

ENQUIRY_COLUMNS = [
    "id", "reference", "queue_id", "channel", "received_at", "citizen_id", "subject",
    "description", "category_id", "topic_id", "priority", "status", "assignee_id",
    "team_id", "language", "resolution", "first_response_due_at", "resolution_due_at",
    "first_responded_at", "resolved_at", "closed_at", "sla_paused_at", "escalation_level",
    "created_by_id", "created_at", "updated_at",
]  # fmt: skip
CITIZEN_COLUMNS = [
    "id", "name", "cpr_ciphertext", "cpr_digest", "cpr_masked", "email", "phone",
    "phone_digits", "address", "needs_large_print", "needs_blind_solution",
    "needs_sign_language", "created_at", "updated_at",
]  # fmt: skip
EVENT_COLUMNS = [
    "kind", "created_at", "old_value", "new_value", "old_label", "new_label", "text",
    "batch", "actor_id", "enquiry_id",
]  # fmt: skip
TOPIC_LINK_COLUMNS = ["enquiry_id", "topic_id"]

# Local hour weights. The support lines are open 8-22 on weekdays and
# 10-16 at weekends; written enquiries arrive around the clock.
PHONE_WEEKDAY = [0] * 8 + [6, 10, 10, 9, 7, 8, 9, 8, 7, 5, 4, 3, 2, 1] + [0] * 2
PHONE_WEEKEND = [0] * 10 + [5, 6, 6, 5, 4, 3] + [0] * 8
WRITTEN = [1, 0.5, 0.3, 0.3, 0.3, 0.5, 1, 2, 4, 6, 6, 6, 5, 5, 6, 6, 5, 4, 4, 5, 5, 4, 3, 2]
OFFICE = [0] * 8 + [6, 8, 8, 7, 5, 7, 7, 5] + [0] * 8
PRESS = [0] * 6 + [5, 8, 6, 4, 4, 3, 4, 3, 3, 3, 3, 3, 4, 4, 3, 2] + [0] * 2

# How many more times a caller gets in touch: most never, some again;
# about 30 % of support enquiries come from people who call more than once.
CONTACTS_CUMULATIVE = [0.85, 0.95, 0.985, 0.995, 1.0]
REPEAT_GAP_MEAN = 3 * DAY
# Resolved enquiries close automatically after a week without a reopening.
AUTO_CLOSE_AFTER = 7 * DAY
AUTO_CLOSE_TEXT = "Lukket automatisk efter 7 dage."
# Birth dates of generated citizens (adults in 2010); CPR serials 0000-3999
# mean "born in the 1900s" for every year.
BIRTH_FIRST = datetime.date(1925, 1, 1)
BIRTH_DAYS = (datetime.date(1992, 10, 31) - BIRTH_FIRST).days + 1
CPR_SLOTS = BIRTH_DAYS * 4000


def local_epoch(day: datetime.date, seconds: int = 0) -> int:
    """UTC epoch of a local wall-clock time (the day's noon offset)."""
    noon = datetime.datetime.combine(day, datetime.time(12), tzinfo=COPENHAGEN)
    offset = int(noon.utcoffset().total_seconds())
    return calendar.timegm(day.timetuple()) + seconds - offset


AS_OF = local_epoch(PERIOD_END + datetime.timedelta(days=1))
PERIOD_FROM = local_epoch(PERIOD_START)


@dataclass
class Staff:
    """The people generated enquiries are given to, in order of hiring."""

    support: list[tuple[int, str]]
    letters: list[tuple[int, str]]


@dataclass
class Taxonomy:
    """Ids and names of the queues, topics and categories, by code."""

    queues: dict[str, tuple[int, int | None]]
    topics: dict[tuple[str, str], tuple[int, str]]
    categories: dict[tuple[str, str], list[tuple[int, str]]]


@dataclass
class Batch:
    """The rows built since the last write, table by table.

    Citizen rows lack their ciphertext: `cprs` holds the numbers, in the
    same order, until `citizen_rows` gets them encrypted. The plain numbers
    are never written anywhere.
    """

    citizens: list[tuple] = field(default_factory=list)
    cprs: list[str] = field(default_factory=list)
    enquiries: list[tuple] = field(default_factory=list)
    topic_links: list[tuple] = field(default_factory=list)
    events: list[tuple] = field(default_factory=list)


@dataclass
class Totals:
    enquiries: int = 0
    citizens: int = 0
    events: int = 0
    topic_links: int = 0
    by_status: dict[str, int] = field(default_factory=dict)


def citizen_rows(batch: Batch, encrypted: Future) -> list[tuple]:
    """The batch's citizen rows, completed with their encrypted CPR numbers."""
    return [
        (row[0], row[1], ciphertext, *row[2:])
        for row, ciphertext in zip(batch.citizens, encrypted.result(), strict=True)
    ]


class IdBlocks:
    """Hands out ids from blocks reserved in the database."""

    def __init__(self, reserve: Callable[[int], int], block: int) -> None:
        self.reserve, self.block = reserve, block
        self.next = self.end = 0

    def take(self) -> int:
        if self.next == self.end:
            self.next = self.reserve(self.block)
            self.end = self.next + self.block
        self.next += 1
        return self.next - 1


class Prefetched:
    """Reference numbers fetched a large chunk at a time, handed out in order.

    Few round trips, so the connection stays free for the writer thread;
    never more than `total` in all, so no number is wasted.
    """

    def __init__(self, fetch: Callable[[int], list[int]], *, chunk: int, total: int) -> None:
        self.fetch, self.chunk, self.unfetched = fetch, chunk, total
        self.buffer: list[int] = []
        self.at = 0

    def take(self, count: int) -> list[int]:
        if self.at + count > len(self.buffer):
            rest = self.buffer[self.at :]
            wanted = min(max(self.chunk, count - len(rest)), self.unfetched)
            self.buffer = rest + sorted(self.fetch(wanted))
            self.unfetched -= wanted
            self.at = 0
        if self.at + count > len(self.buffer):
            raise ValueError("More reference numbers taken than the total allows.")
        self.at += count
        return self.buffer[self.at - count : self.at]


class CprNumbers:
    """Distinct CPR numbers, valid in form and date, never one already stored.

    Walking the slots (birth day x serial) with a stride coprime to their
    number visits each slot at most once, so no set of issued numbers is
    needed.
    """

    def __init__(self, rng: random.Random, taken_digests: set[str]) -> None:
        self.position = rng.randrange(CPR_SLOTS)
        stride = rng.randrange(CPR_SLOTS // 3, CPR_SLOTS // 2)
        while math.gcd(stride, CPR_SLOTS) != 1:
            stride += 1
        self.stride = stride
        self.taken = taken_digests
        self.key = settings.CPR_HASH_KEY.encode()
        first = BIRTH_FIRST.toordinal()
        self.birthdays = [
            f"{d.day:02d}{d.month:02d}{d.year % 100:02d}"
            for d in map(datetime.date.fromordinal, range(first, first + BIRTH_DAYS))
        ]

    def __iter__(self) -> Iterator[tuple[str, str]]:
        """Yields (digits, keyed digest)."""
        birthdays, key, taken = self.birthdays, self.key, self.taken
        for _ in range(CPR_SLOTS):
            self.position = (self.position + self.stride) % CPR_SLOTS
            serial, day = divmod(self.position, BIRTH_DAYS)
            digits = f"{birthdays[day]}{serial:04d}"
            digest = hmac.digest(key, digits.encode(), "sha256").hex()
            if digest not in taken:
                yield digits, digest


@dataclass(frozen=True)
class SupportTopic:
    """What the generator needs per support topic, looked up once."""

    code: str
    topic_id: int
    categories: list[tuple[int, list[str]]]
    details: list[str]
    resolution: str
    identified: float


class ReportBuilder:
    """Generates the report profile, yielding the rows in batches."""

    def __init__(
        self,
        volumes: Volumes,
        *,
        taxonomy: Taxonomy,
        staff: Staff,
        seed: int,
        times: PostgresTimes | SqliteTimes,
        enquiry_ids: IdBlocks,
        citizen_ids: IdBlocks,
        reference_numbers: Prefetched,
        taken_digests: set[str],
    ) -> None:
        self.volumes = volumes
        self.taxonomy = taxonomy
        self.staff = staff
        self.rng = random.Random(seed)
        self.random = self.rng.random
        self.fmt, self.fmt_moment = times.epoch, times.of
        self.moment = PostgresTimes().epoch  # aware datetimes for the deadlines
        self.due_dates = DueDates.from_database()
        self.enquiry_ids = enquiry_ids
        self.citizen_ids = citizen_ids
        self.reference_numbers = reference_numbers
        self.cprs = iter(CprNumbers(self.rng, taken_digests))
        self.totals = Totals()
        self.batch = Batch()
        self.callers: list[tuple[int, int, int]] = []  # (due, citizen id, contacts left)
        # Standard normal quantiles: a table look-up is a fast normal draw.
        self.normal = [NormalDist().inv_cdf((n + 0.5) / 4096) for n in range(4096)]
        self.hours = {
            name: (list(accumulate(weights)), sum(weights))
            for name, weights in {
                "phone_weekday": PHONE_WEEKDAY,
                "phone_weekend": PHONE_WEEKEND,
                "written": WRITTEN,
                "office": OFFICE,
                "press": PRESS,
            }.items()
        }
        self.support_topics = {
            code: SupportTopic(
                code=code,
                topic_id=taxonomy.topics["support", code][0],
                categories=[
                    (category_id, texts.SUPPORT_SUBJECTS[category_code])
                    for category_id, category_code in taxonomy.categories["support", code]
                ],
                details=texts.SUPPORT_DETAILS[code],
                resolution=texts.SUPPORT_RESOLUTIONS[code],
                identified=0.55 if code == "generelle-spoergsmaal" else 0.92,
            )
            for code in volumes.support
        }

    def batches(self, size: int) -> Iterator[tuple[Batch, int]]:
        """Yields (rows, enquiries in them) whenever about `size` are built."""
        support, letters, press = self._shuffled_arrivals()
        support_per_day = per_day(self.volumes.support_total, support_day_weight)
        letters_per_day = per_day(len(letters), letter_day_weight)
        press_per_day = per_day(len(press), letter_day_weight)
        # Each day takes its share where the day before stopped.
        support_left, letters_left, press_left = iter(support), iter(letters), iter(press)
        pending = 0
        for n, day in enumerate(period_days()):
            items = self._day_items(
                day,
                islice(support_left, support_per_day[n]),
                islice(letters_left, letters_per_day[n]),
                islice(press_left, press_per_day[n]),
            )
            self._build_day(day, items)
            pending += len(items)
            if pending >= size:
                yield self._take(), pending
                pending = 0
        yield self._take(), pending

    def _shuffled_arrivals(
        self,
    ) -> tuple[Iterator[SupportTopic], list[list[str]], list[str]]:
        """The period's support topics, letters and press items, shuffled."""
        volumes, rng = self.volumes, self.rng
        topics = [self.support_topics[code] for code in volumes.support]
        # A byte per support enquiry: the full profile has 216,000 of them.
        labels = bytearray()
        for index, count in enumerate(volumes.support.values()):
            labels.extend(bytes([index]) * count)
        rng.shuffle(labels)
        sizes = topics_per_letter(volumes.ministry_letters, sum(volumes.ministry_mentions.values()))
        letters = assign_mentions(sizes, volumes.ministry_mentions)
        rng.shuffle(letters)
        press = [code for code, count in volumes.press.items() for _ in range(count)]
        rng.shuffle(press)
        return (topics[label] for label in labels), letters, press

    def _day_items(
        self,
        day: datetime.date,
        support: Iterable[SupportTopic],
        letters: Iterable[list[str]],
        press: Iterable[str],
    ) -> list[tuple[int, int, object]]:
        """A day's (received, kind, payload) items in order of arrival."""
        random, seconds = self.random, self._seconds
        base = local_epoch(day)
        phone_hours = self.hours["phone_weekend" if day.weekday() >= 5 else "phone_weekday"]
        written_hours = self.hours["written"]
        items: list[tuple[int, int, object]] = []
        for topic in support:
            draw = random()
            channel = PHONE if draw < 0.84 else (EMAIL if draw < 0.95 else WEB_FORM)
            hours = phone_hours if channel is PHONE else written_hours
            items.append((base + seconds(hours), 0, (topic, channel)))
        items.extend((base + seconds(self.hours["office"]), 1, topics) for topics in letters)
        items.extend((base + seconds(self.hours["press"]), 2, code) for code in press)
        items.sort(key=lambda item: item[0])
        return items

    def _build_day(self, day: datetime.date, items: list[tuple[int, int, object]]) -> None:
        """Rows for a day's items, numbered in their order of arrival."""
        numbers = self.reference_numbers.take(len(items))
        staff_today = self._staff_on(day)
        for (received, kind, payload), number in zip(items, numbers, strict=True):
            if kind == 0:
                self._support(received, number, *payload, staff_today)
            elif kind == 1:
                self._letter(received, number, payload)
            else:
                self._press(received, number, payload)

    def _take(self) -> Batch:
        batch, self.batch = self.batch, Batch()
        self.totals.citizens += len(batch.citizens)
        self.totals.enquiries += len(batch.enquiries)
        self.totals.events += len(batch.events)
        self.totals.topic_links += len(batch.topic_links)
        return batch

    def _seconds(self, table: tuple[list[float], float]) -> int:
        """Seconds after local midnight, the hour weighted by `table`."""
        cumulative, total = table
        return bisect(cumulative, self.random() * total) * HOUR + int(self.random() * HOUR)

    def _lognormal(self, median: float, sigma: float) -> int:
        return int(median * math.exp(sigma * self.normal[int(self.random() * 4096)]))

    def _pick(self, choices: list):
        return choices[int(self.random() * len(choices))]

    def _staff_on(self, day: datetime.date) -> list[tuple[int, str]]:
        span = (STAFF_FULL_ON - PERIOD_START).days
        hired = STAFF_JULY + (STAFF_NOVEMBER - STAFF_JULY) * (day - PERIOD_START).days // span
        return self.staff.support[: max(1, min(hired, len(self.staff.support)))]

    def _caller(self, received: int, topic_code: str) -> int:
        """A citizen for a support call: someone calling again, or new."""
        callers = self.callers
        if callers and callers[0][0] <= received:
            _, citizen_id, left = heapq.heappop(callers)
        else:
            citizen_id = self._new_citizen(received, topic_code, self.random() < 0.2)
            left = bisect(CONTACTS_CUMULATIVE, self.random())
        if left > 0:
            gap = 600 + int(-REPEAT_GAP_MEAN * math.log(1.0 - self.random()))
            heapq.heappush(callers, (received + gap, citizen_id, left - 1))
        return citizen_id

    def _new_citizen(self, received: int, topic_code: str, with_address: bool) -> int:
        """Append a citizen row; its CPR number waits in `cprs` for encryption."""
        random, pick = self.random, self._pick
        citizen_id = self.citizen_ids.take()
        digits, digest = next(self.cprs)
        self.batch.cprs.append(digits)
        first, last = pick(texts.FIRST_NAMES), pick(texts.LAST_NAMES)
        phone = phone_digits = email = address = ""
        if random() < 0.75:
            phone_digits = str(20_000_000 + int(random() * 79_999_999))
            phone = f"{phone_digits[:2]} {phone_digits[2:4]} {phone_digits[4:6]} {phone_digits[6:]}"
        if random() < 0.25:
            local = f"{first}.{last}".lower().replace(" ", "")
            local = local.replace("æ", "ae").replace("ø", "oe").replace("å", "aa")
            email = f"{local}{citizen_id % 1000}@eksempel.invalid"
        if with_address:
            address = f"{pick(texts.STREETS)} {1 + int(random() * 120)}\n{pick(texts.TOWNS)}"
        accessible = topic_code == "tilgaengelighed"
        at = self.fmt(received)
        self.batch.citizens.append(
            (
                citizen_id,
                f"{first} {last}",
                digest,
                cpr.mask_cpr(digits),
                email,
                phone,
                phone_digits,
                address,
                random() < (0.4 if accessible else 0.02),
                random() < (0.3 if accessible else 0.003),
                random() < (0.2 if accessible else 0.003),
                at,
                at,
            )
        )
        return citizen_id

    def _support(
        self,
        received: int,
        number: int,
        topic: SupportTopic,
        channel: str,
        staff_today: list[tuple[int, str]],
    ) -> None:
        random, pick, lognormal = self.random, self._pick, self._lognormal
        queue_id, team_id = self.taxonomy.queues["support"]
        categories = topic.categories
        # Earlier categories of a topic are the commoner ones.
        draw = int(-math.log(1.0 - random()) / 0.7)
        category_id, subjects = categories[draw if draw < len(categories) else -1]
        citizen_id = self._caller(received, topic.code) if random() < topic.identified else None
        live = channel is PHONE
        if live:
            responded = received
            if random() < 0.8:
                resolved = received + 180 + int(random() * 1320)
            else:
                resolved = received + 600 + lognormal(1.5 * DAY, 1.0)
        else:
            responded = received + 300 + lognormal(5 * HOUR, 1.0)
            resolved = responded + lognormal(4 * HOUR, 1.2)
        priority = 3 if topic.code == "spaerring" else (1 if random() < 0.1 else 2)
        draw = random()
        language = "da" if draw < 0.97 else ("en" if draw < 0.995 else "other")
        agent_id, agent_label = pick(staff_today)
        self._enquiry(
            number,
            "NID",
            "support",
            queue_id,
            team_id,
            channel,
            received,
            citizen_id,
            pick(subjects),
            f"{pick(texts.SUPPORT_OPENINGS)} {pick(topic.details)}",
            category_id,
            topic.topic_id,
            priority,
            language,
            agent_id,
            agent_label,
            agent_id if live else None,
            responded,
            resolved,
            topic.resolution,
            live,
        )

    def _letter(self, received: int, number: int, topics: list[str]) -> None:
        pick, lognormal = self._pick, self._lognormal
        queue_id, team_id = self.taxonomy.queues["ministry"]
        primary = pick(topics)
        topic_id, _ = self.taxonomy.topics["ministry", primary]
        ((category_id, _),) = self.taxonomy.categories["ministry", primary]
        citizen_id = self._new_citizen(received, primary, True)
        agent_id, agent_label = pick(self.staff.letters)
        responded = received + lognormal(3 * DAY, 0.6)
        names = ", ".join(self.taxonomy.topics["ministry", code][1].lower() for code in topics)
        enquiry_id = self._enquiry(
            number,
            "MIN",
            "ministry",
            queue_id,
            team_id,
            LETTER if self.random() < 0.7 else EMAIL,
            received,
            citizen_id,
            pick(texts.MINISTRY_SUBJECTS[primary]),
            f"Borgeren skriver om: {names}.",
            category_id,
            topic_id,
            2,
            "da",
            agent_id,
            agent_label,
            agent_id,
            responded,
            responded + lognormal(8 * DAY, 0.7),
            texts.MINISTRY_RESOLUTION,
            False,
        )
        for code in topics:
            if code != primary:
                self.batch.topic_links.append(
                    (enquiry_id, self.taxonomy.topics["ministry", code][0])
                )

    def _press(self, received: int, number: int, topic_code: str) -> None:
        pick, lognormal = self._pick, self._lognormal
        queue_id, team_id = self.taxonomy.queues["press"]
        topic_id, _ = self.taxonomy.topics["press", topic_code]
        ((category_id, _),) = self.taxonomy.categories["press", topic_code]
        agent_id, agent_label = pick(self.staff.letters)
        media = pick(texts.PRESS_MEDIA)
        responded = received + lognormal(4 * HOUR, 0.8)
        self._enquiry(
            number,
            "PRS",
            "press",
            queue_id,
            team_id,
            PRESS_CHANNEL,
            received,
            None,
            f"{pick(texts.PRESS_SUBJECTS[topic_code])} ({media})",
            f"Omtale i {media}.",
            category_id,
            topic_id,
            3,
            "da",
            agent_id,
            agent_label,
            agent_id,
            responded,
            responded + lognormal(DAY, 0.8),
            texts.PRESS_RESOLUTION,
            False,
        )

    # Positional parameters: this runs once per row, and keyword calls cost.
    def _enquiry(
        self,
        number: int,
        prefix: str,
        queue_code: str,
        queue_id: int,
        team_id: int | None,
        channel: str,
        received: int,
        citizen_id: int | None,
        subject: str,
        description: str,
        category_id: int,
        topic_id: int,
        priority: int,
        language: str,
        agent_id: int,
        agent_label: str,
        created_by: int | None,
        responded: int,
        resolved: int,
        resolution: str,
        live: bool,
    ) -> int:
        """Append one enquiry and its whole timeline, played out to its close.

        The data is history: the backlog left on 1 November was worked off
        in the weeks after, at the times each enquiry's story gives it, so
        every enquiry is closed a week after its resolution and no deadline
        of 2010 is open, escalated or breached today.
        """
        fmt, events = self.fmt, self.batch.events
        enquiry_id = self.enquiry_ids.take()
        received_at = self.moment(received)
        first_due, resolution_due = self.due_dates(
            queue_code=queue_code,
            priority=priority,
            category_id=category_id,
            received_at=received_at,
        )
        at = self.fmt_moment(received_at)
        paused = None
        assignee_id: int | None = agent_id
        status, closed = CLOSED, fmt(resolved + AUTO_CLOSE_AFTER)
        events.append((CREATED, at, "", "", "", "", "", None, created_by, enquiry_id))
        events.append(
            (ASSIGNED, at, "", str(agent_id), "", agent_label, "", None, created_by, enquiry_id)
        )
        quick = live and resolved - received < 1800
        if not quick:
            started = responded if not live else received + 120
            events.append(
                (STATUS, fmt(started), NEW, IN_PROGRESS, NEW, IN_PROGRESS, "", None,
                 agent_id, enquiry_id)
            )  # fmt: skip
        before = NEW if quick else IN_PROGRESS
        resolved_text = fmt(resolved)
        events.append(
            (STATUS, resolved_text, before, RESOLVED, before, RESOLVED, resolution, None,
             agent_id, enquiry_id)
        )  # fmt: skip
        updated = closed
        events.append(
            (STATUS, closed, RESOLVED, CLOSED, RESOLVED, CLOSED, AUTO_CLOSE_TEXT, None,
             None, enquiry_id)
        )  # fmt: skip
        by_status = self.totals.by_status
        by_status[status] = by_status.get(status, 0) + 1
        self.batch.enquiries.append(
            (
                enquiry_id,
                f"{prefix}-2010-{number:06d}",
                queue_id,
                channel,
                at,
                citizen_id,
                subject,
                description,
                category_id,
                topic_id,
                priority,
                status,
                assignee_id,
                team_id,
                language,
                resolution,
                None if first_due is None else self.fmt_moment(first_due),
                None if resolution_due is None else self.fmt_moment(resolution_due),
                at if responded == received else fmt(responded),
                resolved_text,
                closed,
                paused,
                0,
                created_by,
                at,
                updated,
            )
        )
        return enquiry_id
