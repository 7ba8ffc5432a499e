from __future__ import annotations

import datetime

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from analytics.models import Basis, Granularity, Level
from analytics.periods import local_day
from analytics.reports import PERIOD
from enquiries.models import Queue
from nemid_cases.api import ChoiceField, Serializer
from nemid_cases.moments import DayField

# Bounds that keep one response small; a period may span ten years.
MAX_BUCKETS = 400
MAX_PERIOD_DAYS = 3660
DEFAULT_DAYS = 90

GRANULARITIES = [*Granularity.choices, (PERIOD, _("Custom period"))]


class TopicShareQuerySerializer(Serializer):
    """The query parameters of /api/v1/topic-shares/."""

    queue = serializers.SlugField(max_length=30, help_text=_("The queue's code, e.g. support."))
    granularity = ChoiceField(
        choices=GRANULARITIES,
        default=Granularity.WEEK,
        help_text=_("Buckets: day, ISO week, month, or one custom period."),
    )
    start = DayField(
        required=False, help_text=_("First day (YYYY-MM-DD); default 90 days before end.")
    )
    end = DayField(required=False, help_text=_("Last day (YYYY-MM-DD, inclusive); default today."))
    basis = ChoiceField(
        choices=Basis.choices,
        default=Basis.ENQUIRY,
        help_text=_("enquiry: each enquiry once, by its primary topic; mention: every topic."),
    )
    level = ChoiceField(choices=Level.choices, default=Level.TOPIC)

    def validate_queue(self, value: str) -> Queue:
        user = self.context["request"].user
        queue = Queue.objects.visible_to(user).filter(code=value).first()
        if queue is None:
            raise serializers.ValidationError(_("Unknown queue “%(code)s”.") % {"code": value})
        return queue

    def validate(self, attrs: dict) -> dict:
        end = attrs.get("end") or local_day(timezone.now())
        start = attrs.get("start") or end - datetime.timedelta(days=DEFAULT_DAYS - 1)
        if start > end:
            raise serializers.ValidationError(
                {"end": [_("The end date must not be before the start date.")]}
            )
        granularity = attrs["granularity"]
        days = (end - start).days + 1
        limits = {
            Granularity.DAY: MAX_BUCKETS,
            Granularity.WEEK: MAX_BUCKETS * 7,
            Granularity.MONTH: MAX_BUCKETS * 28,
            PERIOD: MAX_PERIOD_DAYS,
        }
        if days > limits[granularity]:
            raise serializers.ValidationError(
                {
                    "start": [
                        _("The period is too long for this granularity (at most %(days)s days).")
                        % {"days": limits[granularity]}
                    ]
                }
            )
        return {**attrs, "start": start, "end": end}


class ReferenceSerializer(Serializer):
    id = serializers.IntegerField()
    code = serializers.CharField()
    name = serializers.CharField()


class ShareRowSerializer(Serializer):
    topic = ReferenceSerializer(
        allow_null=True, help_text=_("Empty for enquiries without a category yet.")
    )
    category = ReferenceSerializer(
        allow_null=True,
        help_text=_("At category level; empty for a topic's mentions as a further topic."),
    )
    count = serializers.IntegerField()
    share = serializers.DecimalField(
        max_digits=4,
        decimal_places=1,
        coerce_to_string=False,
        help_text=_("Percent of the bucket's total, one decimal."),
    )


class BucketSerializer(Serializer):
    start = DayField()
    end = DayField()
    # A field named like Field's own `label` attribute, which the stubs type.
    label = serializers.CharField(  # type: ignore[assignment]
        help_text=_("2010-11-01, 2010-W44, 2010-11 or start/end.")
    )
    total = serializers.IntegerField(help_text=_("Enquiries or mentions in the bucket."))
    rows = ShareRowSerializer(many=True)


class QueueReferenceSerializer(Serializer):
    code = serializers.CharField()
    name = serializers.CharField()


class TopicSharesSerializer(Serializer):
    queue = QueueReferenceSerializer()
    granularity = serializers.CharField()
    basis = serializers.CharField()
    level = serializers.CharField()
    start = DayField()
    end = DayField()
    buckets = BucketSerializer(many=True)
