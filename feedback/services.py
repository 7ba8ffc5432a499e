"""Recording satisfaction: ratings of resolved enquiries and the rating link.

A rating is final once recorded: the first one (by the agent or through the
citizen's link) stays, and a later attempt raises AlreadyRated without
changing anything. The citizen's link is a signed token (django.core.signing)
naming the enquiry; it expires after FEEDBACK_RATING_LINK_MAX_AGE_DAYS.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.models import User
from enquiries.models import Enquiry, Notification
from enquiries.notifications import enqueue_delivery
from feedback.models import EnquiryRating

Source = EnquiryRating.Source
# Distinguishes these tokens from every other use of the secret key.
LINK_SALT = "feedback.rating-link"
# Long enough for any signed enquiry id; anything longer is refused unread.
MAX_TOKEN_LENGTH = 200


class AlreadyRated(ValidationError):
    """The enquiry has a rating; nothing was changed."""


class InvalidLink(Exception):
    """A rating link that is malformed, tampered with or names no enquiry."""


class ExpiredLink(InvalidLink):
    """A genuine rating link past its maximum age."""


def link_max_age() -> datetime.timedelta:
    return datetime.timedelta(days=settings.FEEDBACK_RATING_LINK_MAX_AGE_DAYS)


def check_can_be_rated(enquiry: Enquiry) -> None:
    """Raise ValidationError unless the enquiry is resolved or closed."""
    if enquiry.is_open:
        raise ValidationError(
            {"score": [_("Only a resolved or closed enquiry can be rated.")]}, code="open"
        )


@transaction.atomic
def record_rating(
    enquiry: Enquiry,
    *,
    score: int,
    source: str,
    by: User | None,
    comment: str = "",
    now: datetime.datetime | None = None,
) -> EnquiryRating:
    """Record the enquiry's one rating; raises AlreadyRated if it has one.

    Locks the enquiry row, so two simultaneous ratings cannot both pass the
    checks; the one-to-one constraint backs this up.
    """
    if source not in Source.values:
        raise ValidationError({"source": [_("Unknown source of the rating.")]})
    if source == Source.AGENT and (by is None or not by.has_perm("feedback.add_enquiryrating")):
        raise PermissionDenied(_("You may not record ratings."))
    if type(score) is not int or score not in EnquiryRating.SCORES:
        raise ValidationError({"score": [_("Choose a rating from 1 to 5.")]})
    if len(comment) > 2000:
        raise ValidationError({"comment": [_("The comment can be at most 2000 characters.")]})
    locked = Enquiry.objects.select_for_update().get(pk=enquiry.pk)
    check_can_be_rated(locked)
    if EnquiryRating.objects.filter(enquiry=locked).exists():
        raise AlreadyRated({"score": [_("This enquiry has already been rated.")]})
    try:
        with transaction.atomic():
            return EnquiryRating.objects.create(
                enquiry=locked,
                score=score,
                source=source,
                comment=comment.strip(),
                recorded_at=now or timezone.now(),
                recorded_by=by if source == Source.AGENT else None,
            )
    except IntegrityError as error:
        # SQLite has no row lock: a concurrent insert surfaces here instead.
        raise AlreadyRated({"score": [_("This enquiry has already been rated.")]}) from error


def make_rating_token(enquiry: Enquiry) -> str:
    """A signed, timestamped token naming the enquiry (not secret, not forgeable)."""
    return signing.dumps(enquiry.pk, salt=LINK_SALT)


def read_rating_token(token: str) -> Enquiry:
    """The enquiry a token names; raises ExpiredLink or InvalidLink."""
    if not token or len(token) > MAX_TOKEN_LENGTH or not token.isascii():
        raise InvalidLink(token)
    try:
        pk = signing.loads(token, salt=LINK_SALT, max_age=link_max_age())
    except signing.SignatureExpired as error:
        raise ExpiredLink(token) from error
    except (signing.BadSignature, ValueError, UnicodeDecodeError) as error:
        raise InvalidLink(token) from error
    if isinstance(pk, bool) or not isinstance(pk, int):
        raise InvalidLink(token)
    enquiry = Enquiry.objects.filter(pk=pk).first()
    if enquiry is None:
        raise InvalidLink(token)
    return enquiry


def rating_link(enquiry: Enquiry) -> str:
    """The citizen's absolute rating link (SITE_URL plus the signed token)."""
    path = reverse("feedback:rate", args=[make_rating_token(enquiry)])
    return str(settings.SITE_URL).rstrip("/") + path


def invitation_key(enquiry: Enquiry) -> str:
    """One invitation per resolution: reopening and resolving again allows another."""
    resolved = enquiry.resolved_at or enquiry.closed_at
    stamp = int(resolved.timestamp()) if resolved else 0
    return f"rating-invitation:{enquiry.pk}:{stamp}"


@transaction.atomic
def send_rating_invitation(
    enquiry: Enquiry, *, by: User, now: datetime.datetime | None = None
) -> tuple[Notification, bool]:
    """Write the citizen's rating e-mail to the outbox; sent after commit.

    Idempotent per resolution: a second call returns the first message and
    False. The delivery task is enqueued only once the transaction commits.
    """
    if not by.has_perm("feedback.add_enquiryrating"):
        raise PermissionDenied(_("You may not send rating links."))
    enquiry = (
        Enquiry.objects.select_for_update(of=("self",)).select_related("citizen").get(pk=enquiry.pk)
    )
    check_can_be_rated(enquiry)
    if EnquiryRating.objects.filter(enquiry=enquiry).exists():
        raise AlreadyRated({"score": [_("This enquiry has already been rated.")]})
    email = enquiry.citizen.email if enquiry.citizen is not None else ""
    if not email:
        raise ValidationError({"email": [_("The citizen has no e-mail address.")]})
    return _write_invitation(enquiry, email=email, now=now or timezone.now())


def invite_on_change(
    enquiry: Enquiry, *, changed: set[str], old: dict[str, Any], now: datetime.datetime
) -> None:
    """The reaction to enquiry changes (enquiries/hooks.py): invite on resolution."""
    if "status" in changed and enquiry.status == Enquiry.Status.RESOLVED:
        invite_on_resolution(enquiry, now=now)


def invite_on_resolution(enquiry: Enquiry, *, now: datetime.datetime) -> Notification | None:
    """E-mail the rating link as the enquiry is resolved, where the queue asks.

    Called through enquiries/hooks.py inside the resolving transaction, with the
    enquiry row already locked. Does nothing (returns None) unless the queue
    has `is_auto_rating_invitation` on, the enquiry is resolved, unrated, and
    its citizen gave an e-mail address. Idempotent per resolution; the
    delivery task is enqueued after commit.
    """
    if enquiry.status != Enquiry.Status.RESOLVED or not enquiry.citizen_id:
        return None
    if not enquiry.queue.is_auto_rating_invitation:
        return None
    email = enquiry.citizen.email if enquiry.citizen is not None else ""
    if not email or EnquiryRating.objects.filter(enquiry=enquiry).exists():
        return None
    notification, _created = _write_invitation(enquiry, email=email, now=now)
    return notification


def _write_invitation(
    enquiry: Enquiry, *, email: str, now: datetime.datetime
) -> tuple[Notification, bool]:
    existing = Notification.objects.filter(key=invitation_key(enquiry)).first()
    if existing is not None:
        return existing, False
    # The citizen reads the e-mail in the enquiry's language (Danish unless English).
    language = "en" if enquiry.language == Enquiry.Language.EN else "da"
    with translation.override(language):
        subject = _("How did we do? Rate your enquiry %(reference)s") % {
            "reference": enquiry.reference
        }
        body = _(
            "Thank you for contacting NemID support.\n\n"
            "Your enquiry %(reference)s has been resolved. We would like to know how "
            "satisfied you are with the help you received. Open the link below, choose "
            "a rating from 1 to 5 and press the button to send it:\n\n%(link)s\n\n"
            "The link works for %(days)d days. Opening it records nothing until you send "
            "your rating."
        ) % {
            "reference": enquiry.reference,
            "link": rating_link(enquiry),
            "days": settings.FEEDBACK_RATING_LINK_MAX_AGE_DAYS,
        }
    notification = Notification.objects.create(
        key=invitation_key(enquiry),
        recipient=email,
        subject=subject[:300],
        body=body,
        created_at=now,
    )
    enqueue_delivery()
    return notification, True
