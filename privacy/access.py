"""The access export (GDPR art. 15): everything held about one citizen.

`collect()` reads it in a fixed number of queries into plain JSON values
(keys in English, labels in the active language); `render_json()` and
`render_html()` turn that into the file the secretariat sends. Call it only
through privacy.services.export_citizen_data, which logs the request and
the CPR reveal the export contains.
"""

from __future__ import annotations

import datetime
import json
from typing import Any

from django.db.models import Prefetch, Q
from django.template.loader import render_to_string
from django.utils import timezone

from enquiries.models import Citizen, CprReveal, Enquiry, EnquiryEvent, Notification
from privacy.anonymise import RATING_INVITATION, notifications_about
from privacy.models import DataRequest

EXPORT_FORMAT = "nemid-cases/access-export/1"


def _when(value: datetime.datetime | None) -> str | None:
    return timezone.localtime(value).isoformat() if value else None


def _person(user) -> str | None:
    return (user.get_full_name() or user.username) if user else None


def _label(obj) -> str | None:
    return str(obj) if obj else None


def _event(event: EnquiryEvent) -> dict[str, Any]:
    return {
        "at": _when(event.created_at),
        "kind": str(event.get_kind_display()),
        "by": _person(event.actor),
        "from": event.old_display or None,
        "to": event.new_display or None,
        "text": event.text or None,
    }


def _rating(enquiry: Enquiry) -> dict[str, Any] | None:
    rating = getattr(enquiry, "rating", None)
    if rating is None:
        return None
    return {
        "score": rating.score,
        "source": str(rating.get_source_display()),
        "comment": rating.comment or None,
        "recorded_at": _when(rating.recorded_at),
    }


def _enquiry(enquiry: Enquiry) -> dict[str, Any]:
    return {
        "reference": enquiry.reference,
        "queue": enquiry.queue.name,
        "channel": str(enquiry.get_channel_display()),
        "received_at": _when(enquiry.received_at),
        "subject": enquiry.subject,
        "description": enquiry.description or None,
        "category": enquiry.category.label if enquiry.category else None,
        "further_topics": [topic.name for topic in enquiry.additional_topics.all()],
        "priority": str(enquiry.get_priority_display()),
        "status": str(enquiry.get_status_display()),
        "language": str(enquiry.get_language_display()),
        "resolution": enquiry.resolution or None,
        "first_responded_at": _when(enquiry.first_responded_at),
        "resolved_at": _when(enquiry.resolved_at),
        "closed_at": _when(enquiry.closed_at),
        "assignee": _person(enquiry.assignee),
        "team": _label(enquiry.team),
        "anonymised_at": _when(enquiry.anonymised_at),
        "timeline": [_event(event) for event in enquiry.events.all()],
        "rating": _rating(enquiry),
    }


def _reveal(reveal: CprReveal) -> dict[str, Any]:
    # Cross-team look-ups are CPR reveals of their own kind where the model
    # has `kind`; without it every row is a reveal.
    kind = reveal.get_kind_display() if hasattr(reveal, "get_kind_display") else None
    return {
        "at": _when(reveal.revealed_at),
        "by": _person(reveal.revealed_by),
        "reason": reveal.reason,
        "kind": str(kind) if kind else None,
    }


def collect(citizen: Citizen, *, request: DataRequest) -> dict[str, Any]:
    """The export's content for `citizen`, as the database holds it now."""
    enquiries = list(
        Enquiry.objects.filter(citizen=citizen)
        .select_related("queue", "category__topic", "assignee", "team", "rating")
        .prefetch_related(
            "additional_topics",
            Prefetch(
                "events", EnquiryEvent.objects.select_related("actor").order_by("created_at", "id")
            ),
        )
        .order_by("received_at", "id")
    )
    sent_to_them = notifications_about(RATING_INVITATION, [e.pk for e in enquiries])
    if citizen.email:
        sent_to_them |= Q(recipient__iexact=citizen.email)
    notifications = Notification.objects.filter(sent_to_them).order_by("created_at", "id")
    reveals = citizen.cpr_reveals.select_related("revealed_by").order_by("revealed_at", "id")
    requests = (
        DataRequest.objects.filter(citizen=citizen)
        .select_related("handled_by")
        .order_by("handled_at", "id")
    )
    return {
        "format": EXPORT_FORMAT,
        "generated_at": _when(request.handled_at),
        "generated_by": _person(request.handled_by),
        "reason": request.reason,
        "citizen": {
            "id": citizen.pk,
            "name": citizen.name,
            "cpr": citizen.reveal_cpr() if citizen.cpr_ciphertext else None,
            "email": citizen.email or None,
            "phone": citizen.phone or None,
            "address": citizen.address or None,
            "needs": [str(need) for need in citizen.needs],
            "created_at": _when(citizen.created_at),
            "updated_at": _when(citizen.updated_at),
            "anonymised_at": _when(citizen.anonymised_at),
        },
        "enquiries": [_enquiry(enquiry) for enquiry in enquiries],
        "notifications": [
            {
                "created_at": _when(n.created_at),
                "sent_at": _when(n.sent_at),
                "recipient": n.recipient or None,
                "subject": n.subject,
                "body": n.body,
            }
            for n in notifications
        ],
        "cpr_reveals": [_reveal(reveal) for reveal in reveals],
        "data_requests": [
            {
                "kind": str(r.get_kind_display()),
                "at": _when(r.handled_at),
                "by": _person(r.handled_by),
                "reason": r.reason,
            }
            for r in requests
        ],
    }


def render_json(data: dict[str, Any]) -> bytes:
    return json.dumps(data, ensure_ascii=False, indent=2).encode()


def render_html(data: dict[str, Any]) -> bytes:
    """A self-contained page (no external styles or scripts), to read or print."""
    return render_to_string("privacy/access_export.html", {"data": data}).encode()


def filename(data: dict[str, Any], extension: str) -> str:
    day = (data["generated_at"] or "")[:10]
    return f"indsigt-borger-{data['citizen']['id']}-{day}.{extension}"
