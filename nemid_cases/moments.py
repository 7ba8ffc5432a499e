"""Date and time input every form and the API read the same way.

Any aware date-time can be parsed, but one in year 1 at +14:00 lies before
the smallest datetime once turned to UTC, and comparing it raised
OverflowError (a 500). A date far from today makes the due-date and
deadline arithmetic overflow the same way. So every date-time a person or
client gives goes through `check_moment` (and every date through
`check_day`): out of its window is a translated field error, never an
exception.

The time an enquiry was received has the narrowest window: not before the
service began (2010), and not later than now plus a little clock skew
between the caller's clock and ours.
"""

from __future__ import annotations

import datetime
import zoneinfo

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

# The first enquiries of the service; nothing it holds is older.
SERVICE_START = datetime.datetime(2010, 1, 1, tzinfo=zoneinfo.ZoneInfo("Europe/Copenhagen"))
# How far a caller's clock may run ahead of ours.
CLOCK_SKEW = datetime.timedelta(minutes=5)
# Any other date: wide, but far from the ends of the calendar.
EARLIEST_DAY = datetime.date(1900, 1, 1)
LATEST_DAY = datetime.date(2200, 12, 31)
OUT_OF_RANGE = _("The date and time are out of range.")


def check_moment(value: datetime.datetime, *, earliest=None, allow_future=True):
    """Refuse a date-time that cannot be compared, or lies outside its window."""
    try:
        # Comparing aware date-times converts them to UTC, which overflows
        # at the ends of the calendar; do it once, here.
        value.astimezone(datetime.UTC)
    except OverflowError:
        raise ValidationError(OUT_OF_RANGE, code="overflow") from None
    if value.tzinfo is None:
        value = timezone.make_aware(value)
    earliest = earliest or datetime.datetime.combine(
        EARLIEST_DAY, datetime.time(), tzinfo=datetime.UTC
    )
    if value < earliest:
        raise ValidationError(
            _("The date and time cannot be before %(earliest)s.")
            % {"earliest": date_format(timezone.localtime(earliest), "DATE_FORMAT")},
            code="too_early",
        )
    latest = (
        datetime.datetime.combine(LATEST_DAY, datetime.time(), tzinfo=datetime.UTC)
        if allow_future
        else timezone.now() + CLOCK_SKEW
    )
    if value > latest:
        if allow_future:
            raise ValidationError(OUT_OF_RANGE, code="overflow")
        raise ValidationError(_("The time received cannot be in the future."), code="future")
    return value


def check_received_at(value: datetime.datetime) -> datetime.datetime:
    """An enquiry's receipt: from 2010 up to now (plus clock skew)."""
    return check_moment(value, earliest=SERVICE_START, allow_future=False)


def check_day(value: datetime.date) -> datetime.date:
    if not EARLIEST_DAY <= value <= LATEST_DAY:
        raise ValidationError(
            _("Enter a date between %(earliest)s and %(latest)s.")
            % {"earliest": EARLIEST_DAY.isoformat(), "latest": LATEST_DAY.isoformat()},
            code="out_of_range",
        )
    return value


def _as_drf(check, value):
    try:
        return check(value)
    except ValidationError as error:
        raise serializers.ValidationError(error.messages, code=error.code) from None


class MomentField(serializers.DateTimeField):
    """The API's date-time input: parsed as DRF does, then `check_moment`."""

    # DRF's own "Datetime value out of range." has no Danish translation.
    default_error_messages = {**serializers.DateTimeField.default_error_messages}
    default_error_messages["overflow"] = OUT_OF_RANGE

    def __init__(self, *args, check=check_moment, **kwargs):
        self.check = check
        super().__init__(*args, **kwargs)

    def to_internal_value(self, value):
        return _as_drf(self.check, super().to_internal_value(value))


class DayField(serializers.DateField):
    """The API's date input: parsed as DRF does, then `check_day`."""

    def to_internal_value(self, value):
        return _as_drf(check_day, super().to_internal_value(value))


class MomentFormField(forms.DateTimeField):
    """A form's date-time: parsed as Django does, then `check_moment`."""

    def __init__(self, *args, check=check_moment, **kwargs):
        self.check = check
        super().__init__(*args, **kwargs)

    def to_python(self, value):
        moment = super().to_python(value)
        return moment if moment is None else self.check(moment)


class DayFormField(forms.DateField):
    def to_python(self, value):
        day = super().to_python(value)
        return day if day is None else check_day(day)
