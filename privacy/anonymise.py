"""Removing the personal data of enquiries and citizens, keeping the statistics.

What goes: an enquiry's free text (subject, description, resolution, every
timeline text, the rating's comment, the e-mails about it, the replies'
text and addresses) and a citizen's
identity and contact data (name, CPR ciphertext, digest and masked form,
address, phone, e-mail, needs). What stays: everything the statistics,
topic shares, day summaries and the report count (queue, channel,
category, topics, status, priority, dates, deadlines, escalations, rating
scores), the timeline's kinds, dates and staff, and the audit logs.

Both functions work set-wise on rows they lock, with conditional UPDATEs
(`anonymised_at IS NULL`), so a row is anonymised and recorded once however
often and however concurrently they run. Callers hold the transaction.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.conf import settings
from django.db.models import Case, Exists, F, OuterRef, Q, Value, When
from django.db.models.functions import Greatest, StrIndex, Substr
from django.utils import translation
from django.utils.translation import gettext

from answers.models import DeliveryAttempt, OutgoingMail, Reply
from enquiries.models import Citizen, Enquiry, EnquiryEvent, Notification
from feedback.models import EnquiryRating
from privacy.models import Anonymisation, DataRequest, RetentionPolicy

RATING_INVITATION = "rating-invitation:"
ENQUIRY_EVENT = "enquiry-event:"


def marker() -> str:
    """The text left where free text was, in the installation's language."""
    with translation.override(settings.LANGUAGE_CODE):
        return gettext("[anonymised]")


def _replaced(field: str, text: str) -> Case:
    """`text` where the field held something, empty where it was empty."""
    return Case(When(**{field: ""}, then=Value("")), default=Value(text))


def notifications_about(prefix: str, ids: Iterable[int]) -> Q:
    """Outbox rows whose key is `<prefix><id>:...` for one of `ids`."""
    wanted = [str(pk) for pk in ids]
    if not wanted:
        return Q(pk__in=[])
    start = len(prefix) + 1
    matching = (
        Notification.objects.filter(key__startswith=prefix)
        .annotate(rest=Substr("key", start))
        # Greatest: PostgreSQL refuses a negative length (a key without ":").
        .annotate(owner=Substr("rest", 1, Greatest(StrIndex("rest", Value(":")) - 1, Value(0))))
        .filter(owner__in=wanted)
    )
    return Q(pk__in=matching.values("pk"))


def anonymise_enquiries(
    ids: list[int],
    *,
    now: datetime.datetime,
    cause: str,
    policy: RetentionPolicy | None = None,
    data_request: DataRequest | None = None,
) -> tuple[list[int], set[int]]:
    """Replace the free text of these enquiries; returns (ids done now, their citizens).

    Rows already anonymised are skipped, so the returned ids are the ones
    this call changed and recorded.
    """
    pending = Enquiry.objects.filter(pk__in=ids, anonymised_at__isnull=True)
    rows = list(
        pending.select_for_update(of=("self",)).order_by("pk").values_list("pk", "citizen_id")
    )
    done = [pk for pk, _citizen in rows]
    if not done:
        return [], set()
    text = marker()
    Enquiry.objects.filter(pk__in=done, anonymised_at__isnull=True).update(
        version=F("version") + 1,
        anonymised_at=now,
        subject=text,
        description="",
        resolution=_replaced("resolution", text),
    )
    events = EnquiryEvent.objects.filter(enquiry_id__in=done)
    events.exclude(text="").update(text=text)
    # The "citizen changed" lines name citizens in their labels.
    events.filter(kind=EnquiryEvent.Kind.CITIZEN).update(old_label="", new_label="")
    EnquiryRating.objects.filter(enquiry_id__in=done).exclude(comment="").update(comment="")
    escalations = events.filter(kind=EnquiryEvent.Kind.ESCALATED).values_list("pk", flat=True)
    # E-mails to staff quote the subject; rating invitations went to the
    # citizen's address. One left unsent is never sent now.
    Notification.objects.filter(notifications_about(ENQUIRY_EVENT, list(escalations))).update(
        body=text
    )
    invitations = Notification.objects.filter(notifications_about(RATING_INVITATION, done))
    invitations.filter(sent_at__isnull=True).update(
        attempts=Notification.MAX_ATTEMPTS, last_error=text
    )
    invitations.update(recipient="", subject=text, body=text)
    # Replies keep their channel, language, template version and dates; their
    # text and the citizen's addresses go (an SMTP error may quote the
    # address), and a reply's e-mail not yet sent is never sent now.
    replies = Reply.objects.filter(enquiry_id__in=done)
    mails = OutgoingMail.objects.filter(reply__in=replies)
    mails.filter(status=OutgoingMail.Status.QUEUED).update(status=OutgoingMail.Status.FAILED)
    mails.exclude(last_error="").update(last_error=text)
    DeliveryAttempt.objects.filter(mail__in=mails).exclude(detail="").update(detail=text)
    replies.update(
        recipient_name=text, recipient_email="", recipient_address="", subject=text, body=text
    )
    rule = str(policy) if policy else ""
    Anonymisation.objects.bulk_create(
        [
            Anonymisation(
                cause=cause,
                enquiry_id=pk,
                policy=policy,
                rule=rule[:300],
                data_request=data_request,
                anonymised_at=now,
            )
            for pk in done
        ],
        batch_size=1000,
    )
    return done, {citizen for _pk, citizen in rows if citizen}


def anonymise_citizens(
    ids: Iterable[int],
    *,
    now: datetime.datetime,
    cause: str,
    policy: RetentionPolicy | None = None,
    data_request: DataRequest | None = None,
) -> list[int]:
    """Remove the identity of these citizens once none of their enquiries is kept.

    A citizen one of whose enquiries still holds its personal data is left
    alone (a later run takes them). Returns the ids anonymised now.
    """
    kept = Enquiry.objects.filter(citizen_id=OuterRef("pk"), anonymised_at__isnull=True)
    pending = Citizen.objects.filter(pk__in=list(ids), anonymised_at__isnull=True).exclude(
        Exists(kept)
    )
    # Locked in id order, so a concurrent run waits and then finds them done
    # (PostgreSQL re-checks `anonymised_at` after the wait): recorded once.
    done = list(pending.select_for_update(of=("self",)).order_by("pk").values_list("pk", flat=True))
    if not done:
        return []
    Citizen.objects.filter(pk__in=done, anonymised_at__isnull=True).update(
        version=F("version") + 1,
        anonymised_at=now,
        name=marker(),
        cpr_ciphertext="",
        cpr_digest=None,
        cpr_masked="",
        email="",
        phone="",
        phone_digits="",
        address="",
        needs_large_print=False,
        needs_blind_solution=False,
        needs_sign_language=False,
    )
    # Other enquiries' "citizen changed" lines may still name them.
    named = [str(pk) for pk in done]
    EnquiryEvent.objects.filter(kind=EnquiryEvent.Kind.CITIZEN).filter(
        Q(old_value__in=named) | Q(new_value__in=named)
    ).update(
        old_label=Case(When(old_value__in=named, then=Value("")), default=F("old_label")),
        new_label=Case(When(new_value__in=named, then=Value("")), default=F("new_label")),
    )
    rule = str(policy) if policy else ""
    Anonymisation.objects.bulk_create(
        [
            Anonymisation(
                cause=cause,
                citizen_id=pk,
                policy=policy,
                rule=rule[:300],
                data_request=data_request,
                anonymised_at=now,
            )
            for pk in done
        ],
        batch_size=1000,
    )
    return done
