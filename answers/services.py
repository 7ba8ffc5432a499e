"""Publishing answer templates and replying to citizens.

The pages and the API call these same functions. A reply, its timeline
line, its outbox row and an optional move to "waiting for citizen" are one
transaction; the e-mail is sent by a worker after commit.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.models import User
from answers import placeholders
from answers.models import (
    AnswerTemplate,
    AnswerTemplateVersion,
    OutgoingMail,
    Reply,
    new_message_id,
)
from enquiries import services as enquiry_services
from enquiries.models import Enquiry
from mailroom.models import InboundMessage
from nemid_cases.queueing import enqueue_on_commit

WAITING = Enquiry.Status.WAITING
# At most this many earlier Message-IDs go into References.
REFERENCES_KEPT = 10


def _check_publish_permission(by: User | None) -> None:
    if by is not None and not by.has_perm("answers.add_answertemplateversion"):
        raise PermissionDenied(_("You may not publish answer templates."))


@transaction.atomic
def publish_template_version(
    template: AnswerTemplate,
    *,
    subject_da: str,
    body_da: str,
    subject_en: str,
    body_en: str,
    valid_from: datetime.datetime | None = None,
    by: User | None,
) -> AnswerTemplateVersion:
    """Publish the next version of `template`, in force from `valid_from`.

    Placeholders are checked first; earlier versions stay as they were, so
    the replies that used them keep their wording.
    """
    _check_publish_permission(by)
    placeholders.check_placeholders(
        subject_da=subject_da, body_da=body_da, subject_en=subject_en, body_en=body_en
    )
    return AnswerTemplateVersion.add_version(
        template,
        by=by,
        valid_from=valid_from,
        subject_da=subject_da,
        body_da=body_da,
        subject_en=subject_en,
        body_en=body_en,
    )


@transaction.atomic
def create_template(key: str, *, by: User | None, **first_version: Any) -> AnswerTemplateVersion:
    """Create the template `key` with its first version (all or nothing)."""
    _check_publish_permission(by)
    if AnswerTemplate.objects.filter(key=key).exists():
        raise ValidationError({"key": [_("A template with this key exists; publish a version.")]})
    template = AnswerTemplate.objects.create(key=key, created_by=by)
    return publish_template_version(template, by=by, **first_version)


def inbound_message_ids(enquiry: Enquiry) -> list[str]:
    """Message-IDs of the citizen's mails filed on the enquiry, oldest first.

    The last REFERENCES_KEPT the mailroom filed; the newest becomes the
    reply's In-Reply-To, so the citizen's mail program shows the answer
    under their own mail.
    """
    newest = (
        InboundMessage.objects.filter(enquiry=enquiry, status=InboundMessage.Status.FILED)
        .exclude(message_id="")
        .order_by("-received_at", "-id")
        .values_list("message_id", flat=True)[:REFERENCES_KEPT]
    )
    return list(reversed(newest))


def thread_headers(enquiry: Enquiry) -> tuple[str, str]:
    """(In-Reply-To, References) for a new reply on `enquiry`."""
    inbound = inbound_message_ids(enquiry)
    outgoing = list(
        OutgoingMail.objects.filter(reply__enquiry=enquiry)
        .order_by("-created_at", "-id")
        .values_list("message_id", flat=True)[:REFERENCES_KEPT]
    )
    references = [*inbound, *reversed(outgoing)][-REFERENCES_KEPT:]
    return (inbound[-1] if inbound else ""), " ".join(references)


def compose(
    enquiry: Enquiry,
    version: AnswerTemplateVersion,
    *,
    language: str,
    by: User | None,
    now: datetime.datetime | None = None,
) -> tuple[str, str]:
    """(subject, body) of `version` filled in for `enquiry`, in `language`."""
    values = placeholders.values_for(enquiry, by=by, language=language, now=now)
    return (
        placeholders.fill(version.subject(language), values),
        placeholders.fill(version.body(language), values),
    )


def _recipient(enquiry: Enquiry, channel: str) -> dict[str, str]:
    citizen = enquiry.citizen
    if citizen is None or citizen.anonymised_at:
        raise ValidationError({"channel": [_("The enquiry has no citizen to reply to.")]})
    if channel == Reply.Channel.EMAIL and not citizen.email:
        raise ValidationError(
            {
                "channel": [
                    _("%(name)s has no e-mail address. Add one on the citizen, or reply by letter.")
                    % {"name": citizen.name}
                ]
            }
        )
    if channel == Reply.Channel.LETTER and not citizen.address.strip():
        raise ValidationError(
            {
                "channel": [
                    _("%(name)s has no postal address. Add one on the citizen first.")
                    % {"name": citizen.name}
                ]
            }
        )
    return {
        "recipient_name": citizen.name,
        "recipient_email": citizen.email if channel == Reply.Channel.EMAIL else "",
        "recipient_address": citizen.address if channel == Reply.Channel.LETTER else "",
    }


def _timeline_text(reply: Reply) -> str:
    # Written in Danish, as the rest of the timeline's labels are.
    with translation.override("da"):
        if reply.channel == Reply.Channel.EMAIL:
            how = _("E-mail to %(address)s") % {"address": reply.recipient_email}
        else:
            how = _("Letter to %(name)s") % {"name": reply.recipient_name}
        version = reply.template_version
        used = (
            _("template %(key)s version %(version)s")
            % {"key": version.template.key, "version": version.version}
            if version
            else _("free text")
        )
        return f"{how} ({used}): {reply.subject}"


def _check_channel_and_language(channel: str, language: str) -> None:
    errors: dict[str, list[str]] = {}
    if channel not in Reply.Channel.values:
        errors["channel"] = [_("Choose e-mail or letter.")]
    if language not in Reply.Language.values:
        errors["language"] = [_("Choose Danish or English.")]
    if errors:
        raise ValidationError(errors)


def _filled_from_template(
    enquiry: Enquiry,
    template_version: AnswerTemplateVersion | None,
    *,
    subject: str,
    body: str,
    language: str,
    by: User,
    now: datetime.datetime,
) -> tuple[str, str]:
    """The subject and body, each taken from the template when left empty."""
    if template_version is None or (subject.strip() and body.strip()):
        return subject, body
    filled_subject, filled_body = compose(
        enquiry, template_version, language=language, by=by, now=now
    )
    return subject.strip() or filled_subject, body.strip() or filled_body


def _check_reply(enquiry: Enquiry, *, subject: str, body: str, must_move: bool) -> None:
    errors: dict[str, list[str]] = {}
    if not subject.strip():
        errors["subject"] = [_("Write a subject or choose a template.")]
    if not body.strip():
        errors["body"] = [_("Write the reply or choose a template.")]
    if must_move and WAITING not in enquiry_services.allowed_transitions(enquiry):
        errors["wait_for_citizen"] = [
            _("An enquiry that is “%(status)s” cannot wait for the citizen.")
            % {"status": enquiry.get_status_display()}
        ]
    if errors:
        raise ValidationError(errors)


def _queue_mail(reply: Reply, enquiry: Enquiry, *, now: datetime.datetime) -> None:
    """The reply's outbox row, in its thread; sent after commit."""
    in_reply_to, references = thread_headers(enquiry)
    mail = OutgoingMail.objects.create(
        reply=reply,
        message_id=new_message_id(enquiry.reference),
        in_reply_to=in_reply_to,
        references=references,
        created_at=now,
    )
    from answers import tasks  # The tasks call back into this app's delivery.

    enqueue_on_commit(tasks.send_reply_mail, mail.pk)


@transaction.atomic
def send_reply(
    enquiry: Enquiry,
    *,
    by: User,
    channel: str,
    language: str,
    subject: str = "",
    body: str = "",
    template_version: AnswerTemplateVersion | None = None,
    wait_for_citizen: bool = False,
    now: datetime.datetime | None = None,
) -> Reply:
    """Reply to the enquiry's citizen by e-mail or letter; one transaction.

    Empty subject or body come from `template_version`. Writes the reply,
    its timeline line and (e-mail) its outbox row, optionally moves the
    enquiry to "waiting for citizen", and enqueues the e-mail after commit.
    """
    now = now or timezone.now()
    if not by.has_perm("answers.add_reply"):
        raise PermissionDenied(_("You may not reply to citizens."))
    _check_channel_and_language(channel, language)
    enquiry = Enquiry.objects.select_related("citizen").get(pk=enquiry.pk)
    subject, body = _filled_from_template(
        enquiry, template_version, subject=subject, body=body, language=language, by=by, now=now
    )
    must_move = wait_for_citizen and enquiry.status != WAITING
    _check_reply(enquiry, subject=subject, body=body, must_move=must_move)
    reply = Reply(
        enquiry=enquiry,
        channel=channel,
        language=language,
        template_version=template_version,
        subject=subject.strip(),
        body=body.strip(),
        sent_by=by,
        created_at=now,
        **_recipient(enquiry, channel),
    )
    reply.event = enquiry_services.record_reply(enquiry, by=by, text=_timeline_text(reply), now=now)
    reply.save()
    if channel == Reply.Channel.EMAIL:
        _queue_mail(reply, enquiry, now=now)
    if must_move:
        enquiry_services.transition_enquiry(
            enquiry,
            to=WAITING,
            by=by,
            note=_("Waiting for the citizen's answer to the reply."),
            now=now,
        )
    return reply
