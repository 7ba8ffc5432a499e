"""Inbound e-mail: file each message, thread replies, poll the mailboxes.

`receive_message` is the one way in, for the IMAP poller and the push
endpoint alike. It never raises for bad mail: what cannot be filed is
kept in quarantine with the reason. It is idempotent: the same bytes
delivered twice to a mailbox are one message.
"""

from __future__ import annotations

import datetime
import hashlib
import imaplib
import json
import logging
import re
import ssl
import unicodedata
import uuid
from dataclasses import dataclass

from cryptography.fernet import InvalidToken
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from imap_tools import AND, BaseMailBox, MailBox, MailBoxUnencrypted, MailMessage, MailMessageFlags
from imap_tools.errors import ImapToolsError, MailboxLoginError

from accounts.models import User
from enquiries import cpr
from enquiries import services as enquiry_services
from enquiries.models import Channel, Citizen, CprReveal, Enquiry, Queue
from enquiries.sequences import REFERENCE_PATTERN
from mailroom import filetypes, parsing
from mailroom.models import (
    Correspondent,
    InboundAttachment,
    InboundMessage,
    Mailbox,
    MessageDecision,
    encrypt_text,
)

logger = logging.getLogger(__name__)

Status = InboundMessage.Status
# An enquiry reference as written in a subject: NID-2026-000041.
REFERENCE = re.compile(rf"\b({REFERENCE_PATTERN})\b")
SUBJECT_MAX = 200
TEXT_MAX = 20000


def _our_message_id() -> re.Pattern[str]:
    """<{reference}.{token}@MAIL_MESSAGE_ID_DOMAIN>: the ids our own mail carries."""
    domain = re.escape(settings.MAIL_MESSAGE_ID_DOMAIN)
    return re.compile(rf"^<({REFERENCE_PATTERN})\.[^@<>]+@{domain}>$", re.IGNORECASE)


def digest_of(raw: bytes) -> str:
    return hashlib.sha256(raw).hexdigest()


def receive_message(
    mailbox: Mailbox, raw: bytes, *, via: str, now: datetime.datetime | None = None
) -> InboundMessage:
    """File one raw e-mail; idempotent per mailbox and bytes; never raises for bad mail.

    A new message becomes an enquiry in the mailbox's queue, a reply joins
    its enquiry, an automatic one is only recorded, and anything unreadable
    or refused by a service is quarantined with the reason.
    """
    now = now or timezone.now()
    digest = digest_of(raw)
    existing = InboundMessage.objects.filter(mailbox=mailbox, digest=digest).first()
    if existing is not None:
        return existing
    with translation.override(settings.LANGUAGE_CODE):
        if len(raw) > settings.MAIL_MAX_MESSAGE_BYTES:
            reason = _("The message is larger than %(limit)s MB.") % {
                "limit": settings.MAIL_MAX_MESSAGE_BYTES // (1024 * 1024)
            }
            return _quarantine(mailbox, raw, digest=digest, via=via, now=now, reason=reason)
        try:
            parsed = parsing.parse(raw)
        except parsing.Unreadable as error:
            return _quarantine(mailbox, raw, digest=digest, via=via, now=now, reason=error.reason)
        except Exception as error:  # any parser failure is quarantined
            logger.warning("Unreadable e-mail in %s: %r", mailbox, error)
            reason = _("The message could not be read (%(error)s).") % {
                "error": type(error).__name__
            }
            return _quarantine(mailbox, raw, digest=digest, via=via, now=now, reason=reason)
        try:
            with transaction.atomic():
                return _file(mailbox, raw, parsed, digest=digest, via=via, now=now)
        except IntegrityError:
            # The same message filed at the same moment by another poller.
            existing = InboundMessage.objects.filter(mailbox=mailbox, digest=digest).first()
            if existing is not None:
                return existing
            reason = _("The message could not be filed: the database refused it.")
        except ValidationError as error:
            reason = _("The message could not be filed: %(errors)s") % {
                "errors": " ".join(error.messages)
            }
        except Exception as error:  # set aside rather than lost
            logger.exception("Filing an e-mail in %s failed", mailbox)
            reason = _("The message could not be filed (%(error)s).") % {
                "error": type(error).__name__
            }
        return _quarantine(
            mailbox, raw, digest=digest, via=via, now=now, reason=reason, parsed=parsed
        )


class _Masker:
    """Masks CPR numbers in text, keeping each original to store encrypted."""

    def __init__(self) -> None:
        self.found: list[str] = []

    def __call__(self, text: str) -> str:
        self.found += [text[start:end] for start, end, _born in cpr.find_cpr(text)]
        return cpr.redact_cpr(text)

    def ciphertext(self) -> str:
        return encrypt_text(json.dumps(list(dict.fromkeys(self.found)))) if self.found else ""

    def citizen_digests(self) -> list[str]:
        digests = []
        for written in self.found:
            digits = "".join(
                str(digit)
                for char in written
                if (digit := unicodedata.decimal(char, None)) is not None
            )
            try:
                digests += cpr.cpr_digests(cpr.normalize_cpr(digits))
            except ValidationError:
                continue
        return digests


def _store_raw(raw: bytes) -> ContentFile[bytes]:
    """The raw message encrypted (it may hold CPR numbers), under a random name."""
    content = ContentFile(cpr.fernet().encrypt(raw))
    content.name = f"{uuid.uuid4().hex}.eml.fernet"
    return content


def _message_row(
    mailbox: Mailbox,
    raw: bytes,
    *,
    digest: str,
    via: str,
    now: datetime.datetime,
    mask: _Masker,
    parsed: parsing.ParsedMail | None,
) -> InboundMessage:
    row = InboundMessage(mailbox=mailbox, digest=digest, via=via, received_at=now, size=len(raw))
    if parsed is not None:
        _fill(row, parsed, mask)
    return row


def _fill(row: InboundMessage, parsed: parsing.ParsedMail, mask: _Masker) -> None:
    """The parsed headers and texts on the row, CPR numbers masked."""
    row.message_id = parsed.message_id
    row.in_reply_to = " ".join(parsed.in_reply_to)[:500]
    row.references = " ".join(parsed.references)
    row.sender_address = mask(parsed.sender_address)[:320]
    row.sender_name = mask(parsed.sender_name)[:200]
    row.subject = mask(parsed.subject)[:300]
    row.body_text = mask(parsed.body_text)
    row.body_html = mask(parsed.body_html)
    row.sent_at = parsed.sent_at


def _quarantine(
    mailbox: Mailbox,
    raw: bytes,
    *,
    digest: str,
    via: str,
    now: datetime.datetime,
    reason: str,
    parsed: parsing.ParsedMail | None = None,
    size: int | None = None,
) -> InboundMessage:
    mask = _Masker()
    row = _message_row(mailbox, raw, digest=digest, via=via, now=now, mask=mask, parsed=parsed)
    row.status = Status.QUARANTINED
    row.size = size if size is not None else len(raw)
    row.reason = mask(reason)[:500]
    row.cpr_ciphertext = mask.ciphertext()
    row.raw = _store_raw(raw)
    try:
        row.save()
    except IntegrityError:
        row.raw.delete(save=False)
        return InboundMessage.objects.get(mailbox=mailbox, digest=digest)
    logger.warning("E-mail %s quarantined in %s: %s", row.pk, mailbox, row.reason)
    return row


def find_enquiry(parsed: parsing.ParsedMail) -> Enquiry | None:
    """The enquiry a message answers: by a known Message-ID it replies to,
    by our own Message-ID's reference, or by a reference in the subject."""
    ids = parsed.thread_ids
    if ids:
        known = (
            InboundMessage.objects.filter(message_id__in=ids, enquiry__isnull=False)
            .order_by("-received_at")
            .values_list("enquiry_id", flat=True)
            .first()
        )
        if known is not None:
            return Enquiry.objects.get(pk=known)
        ours = _our_message_id()
        references = [match[1].upper() for id_ in ids if (match := ours.match(id_))]
        found = Enquiry.objects.filter(reference__in=references).first() if references else None
        if found is not None:
            return found
    references = REFERENCE.findall(parsed.subject.upper())
    if references:
        return Enquiry.objects.filter(reference__in=references).first()
    return None


def _file(
    mailbox: Mailbox,
    raw: bytes,
    parsed: parsing.ParsedMail,
    *,
    digest: str,
    via: str,
    now: datetime.datetime,
) -> InboundMessage:
    mask = _Masker()
    row = _message_row(mailbox, raw, digest=digest, via=via, now=now, mask=mask, parsed=parsed)
    return _file_row(row, raw, parsed, mask, queue=mailbox.queue, now=now)


def _file_row(
    row: InboundMessage,
    raw: bytes | None,
    parsed: parsing.ParsedMail,
    mask: _Masker,
    *,
    queue: Queue,
    now: datetime.datetime,
    by: User | None = None,
    as_enquiry: bool = False,
) -> InboundMessage:
    """File a filled row: a reply on its enquiry, an automatic mail only
    recorded, else a new enquiry in `queue`. `as_enquiry` (a person's
    decision) skips both threading and the signs of a machine."""
    enquiry = None if as_enquiry else _thread_of(parsed)
    if parsed.kind != "mail" and not as_enquiry:
        return _record_automatic(row, raw, parsed, mask, enquiry=enquiry)
    refused = _refused_attachments(parsed.attachments, mask)
    if enquiry is None:
        enquiry = _register_from(row, queue, by=by, now=now)
    else:
        _reply_received(enquiry, row)
    row.status = Status.FILED
    row.enquiry = enquiry
    row.reason = "; ".join(refused)[:500]
    if refused:
        _keep_raw(row, raw)
    # Every text of the message, file names too, has been masked by now.
    # Text read back from a row was masked on intake: its numbers are kept.
    row.cpr_ciphertext = mask.ciphertext() or row.cpr_ciphertext
    row.save()
    _keep_attachments(row, parsed.attachments)
    _note_correspondent(enquiry, row, mask, now=now, is_new=row.is_new_enquiry)
    return row


def _thread_of(parsed: parsing.ParsedMail) -> Enquiry | None:
    """The enquiry a message answers, unless that one is anonymised."""
    enquiry = find_enquiry(parsed)
    if enquiry is not None and enquiry.anonymised_at is not None:
        return None  # An anonymised enquiry takes no new personal data.
    return enquiry


def _record_automatic(
    row: InboundMessage,
    raw: bytes | None,
    parsed: parsing.ParsedMail,
    mask: _Masker,
    *,
    enquiry: Enquiry | None,
) -> InboundMessage:
    """Save a bounce or an automatic reply as recorded only, beside its thread."""
    row.status = Status.BOUNCE if parsed.kind == "bounce" else Status.AUTO_REPLY
    row.reason = parsed.kind_reason[:500]
    row.enquiry = enquiry
    row.cpr_ciphertext = mask.ciphertext() or row.cpr_ciphertext
    # Kept so that a false positive can still be filed, files and all.
    _keep_raw(row, raw)
    row.save()
    return row


def _register_from(
    row: InboundMessage, queue: Queue, *, by: User | None, now: datetime.datetime
) -> Enquiry:
    """A new enquiry in `queue` from a message row; marks the row as its first."""
    enquiry = enquiry_services.register_enquiry(
        queue,
        by=by,
        subject=row.subject[:SUBJECT_MAX] or _("(no subject)"),
        channel=Channel.EMAIL,
        received_at=now,
        description=row.body_text[:TEXT_MAX],
    )
    row.is_new_enquiry = True
    return enquiry


def _keep_raw(row: InboundMessage, raw: bytes | None) -> None:
    """Store the original message on the row, unless it is there or unknown."""
    if raw is not None and not row.raw:
        row.raw = _store_raw(raw)


def _reply_received(enquiry: Enquiry, row: InboundMessage) -> None:
    """A reply on the timeline; a waiting or finished enquiry goes back to work."""
    sender = f"{row.sender_name} <{row.sender_address}>" if row.sender_name else row.sender_address
    heading = _("E-mail from %(sender)s: %(subject)s") % {"sender": sender, "subject": row.subject}
    enquiry_services.add_note(enquiry, by=None, text=f"{heading}\n\n{row.body_text}"[:TEXT_MAX])
    note = _("The citizen replied by e-mail.")
    if enquiry.status == Enquiry.Status.WAITING:
        enquiry_services.transition_enquiry(
            enquiry, to=Enquiry.Status.IN_PROGRESS, by=None, note=note
        )
    elif not enquiry.is_open:
        enquiry_services.reopen_enquiry(enquiry, by=None, note=note)


def _refused_attachments(parts: list[parsing.Part], mask: _Masker) -> list[str]:
    """Why each refused file was refused; marks the kept ones on the part."""
    refused = []
    limit = settings.MAIL_ATTACHMENT_MAX_BYTES
    for part in parts:
        name = part.filename = mask(part.filename)[:200]
        part.detected_type = None
        if len(part.data) > limit:
            refused.append(
                _("%(name)s was not kept: %(size)s MB is over the limit of %(limit)s MB.")
                % {
                    "name": name,
                    "size": round(len(part.data) / (1024 * 1024), 1),
                    "limit": round(limit / (1024 * 1024), 1),
                }
            )
            continue
        detected = filetypes.detect(part.data)
        if detected is None:
            refused.append(
                _("%(name)s was not kept: its content is not an accepted type (%(types)s).")
                % {"name": name, "types": filetypes.allowed_labels()}
            )
            continue
        part.detected_type = detected
    return refused


def _keep_attachments(row: InboundMessage, parts: list[parsing.Part]) -> None:
    for part in parts:
        if part.detected_type is None:
            continue
        content = ContentFile(part.data)
        content.name = "attachment"
        InboundAttachment.objects.create(
            message=row,
            file=content,
            original_name=part.filename,
            content_type=part.detected_type,
            size=len(part.data),
        )


def _note_correspondent(
    enquiry: Enquiry, row: InboundMessage, mask: _Masker, *, now: datetime.datetime, is_new: bool
) -> None:
    """The sender as a correspondent, with the citizen their address (or a
    CPR number in the mail) points to as a suggestion."""
    if not row.sender_address:
        return
    address = row.sender_address.lower()
    if is_new:
        correspondent = Correspondent(
            enquiry=enquiry, address=address, name=row.sender_name, created_at=now
        )
    else:
        correspondent, _created = Correspondent.objects.get_or_create(
            enquiry=enquiry, address=address, defaults={"name": row.sender_name, "created_at": now}
        )
        if correspondent.suggested_citizen_id or enquiry.citizen_id:
            return
    citizens = Citizen.objects.filter(anonymised_at__isnull=True)
    by_cpr = list(citizens.filter(cpr_digest__in=mask.citizen_digests())[:2]) if mask.found else []
    by_email = list(citizens.filter(email__iexact=row.sender_address)[:2])
    for found in (by_cpr, by_email):
        if len(found) == 1:
            correspondent.suggested_citizen = found[0]
            break
    if is_new:
        correspondent.save()
    elif correspondent.suggested_citizen_id:
        correspondent.save(update_fields=["suggested_citizen"])


@transaction.atomic
def link_citizen(correspondent: Correspondent, *, citizen: Citizen, by: User) -> Enquiry:
    """Set the enquiry's citizen; the enquiry service writes the timeline.

    The citizen must be one `by` sees, or the sender's suggested citizen
    (an exact match, like a look-up by number): linking that one from
    outside the team is logged as a look-up (enquiries.CprReveal).
    """
    if not by.has_perm("enquiries.view_citizen"):
        raise PermissionDenied(_("You may not link citizens."))
    suggested = citizen.pk == correspondent.suggested_citizen_id
    if not Citizen.objects.visible_to(by).filter(pk=citizen.pk).exists():
        if not suggested:
            raise PermissionDenied(_("You cannot see this citizen."))
        with translation.override(settings.LANGUAGE_CODE):
            reason = _("Suggested by the sender's e-mail address or CPR number.")
        CprReveal.objects.create(
            citizen=citizen, revealed_by=by, kind=CprReveal.Kind.LOOKUP, reason=reason
        )
    enquiry = correspondent.enquiry
    enquiry_services.update_enquiry(enquiry, by=by, changes={"citizen": citizen})
    Correspondent.objects.filter(pk=correspondent.pk).update(suggested_citizen=citizen)
    enquiry.refresh_from_db()
    return enquiry


def find_citizen(text: str, *, by: User) -> Citizen | None:
    """The one citizen with exactly this CPR or phone number, found as the
    enquiry pages' look-up finds them (a find across teams is logged)."""
    found = enquiry_services.look_up_citizens(text, by=by)
    exact = set(Citizen.objects.exact(text).values_list("pk", flat=True)[:2])
    matches = [citizen for citizen in found if citizen.pk in exact]
    return matches[0] if len(matches) == 1 else None


@dataclass
class PollResult:
    mailbox: str
    received: int = 0
    quarantined: int = 0
    error: str = ""


def poll_mailboxes(*, now: datetime.datetime) -> list[PollResult]:
    """Poll every active IMAP mailbox; one mailbox's failure stops only itself."""
    results = []
    for mailbox in Mailbox.objects.filter(is_active=True).exclude(imap_host="").order_by("pk"):
        try:
            results.append(poll_mailbox(mailbox, now=now))
        except Exception as error:  # the next mailbox is still polled
            logger.exception("Polling %s failed", mailbox)
            with translation.override(settings.LANGUAGE_CODE):
                text = _("Polling failed: %(error)s") % {
                    "error": str(error) or type(error).__name__
                }
            _record_error(mailbox, text, now=now)
            results.append(PollResult(mailbox.address, error=text))
    return results


def _record_error(mailbox: Mailbox, error: str, *, now: datetime.datetime) -> None:
    Mailbox.objects.filter(pk=mailbox.pk).update(
        last_error=cpr.redact_cpr(error)[:500], last_error_at=now, last_polled_at=now
    )


def _connect(mailbox: Mailbox) -> BaseMailBox:
    kind = MailBox if mailbox.is_imap_tls else MailBoxUnencrypted
    box = kind(mailbox.imap_host, port=mailbox.imap_port, timeout=settings.MAIL_IMAP_TIMEOUT)
    return box.login(
        mailbox.imap_user or mailbox.address,
        mailbox.imap_password(),
        initial_folder=mailbox.imap_folder,
    )


def _fetch_raw(box: BaseMailBox, uid: str) -> bytes:
    status, data = box.client.uid("FETCH", uid, "(BODY.PEEK[])")
    if status != "OK":
        raise imaplib.IMAP4.error(f"FETCH {uid}: {status}")
    return b"".join(item[1] for item in data if isinstance(item, tuple))


def poll_mailbox(mailbox: Mailbox, *, now: datetime.datetime) -> PollResult:
    """Fetch the unseen messages of one mailbox and file each.

    A message is flagged \\Seen only once it is recorded, so a crash leaves
    it to the next poll (where its digest makes it a no-op). A message over
    MAIL_MAX_MESSAGE_BYTES is recorded in quarantine from its headers and
    left on the server, flagged.
    """
    result = PollResult(mailbox.address)
    with translation.override(settings.LANGUAGE_CODE):
        try:
            with _connect(mailbox) as box:
                heads = box.fetch(
                    AND(seen=False),
                    mark_seen=False,
                    headers_only=True,
                    limit=settings.MAIL_POLL_BATCH,
                )
                for head in heads:
                    # imap_tools types uid as optional; a UID FETCH has one.
                    assert head.uid is not None
                    if head.size_rfc822 > settings.MAIL_MAX_MESSAGE_BYTES:
                        _too_large(mailbox, head, now=now)
                        box.flag(head.uid, (MailMessageFlags.SEEN, MailMessageFlags.FLAGGED), True)
                        result.quarantined += 1
                        continue
                    row = receive_message(mailbox, _fetch_raw(box, head.uid), via="imap", now=now)
                    box.flag(head.uid, MailMessageFlags.SEEN, True)
                    result.received += 1
                    result.quarantined += row.status == Status.QUARANTINED
        except InvalidToken:
            result.error = _(
                "The stored IMAP password cannot be decrypted with CPR_ENCRYPTION_KEYS: "
                "type it again in the admin."
            )
        except MailboxLoginError as error:
            result.error = _(
                "The IMAP server refused the login: check the user and password (%(error)s)."
            ) % {"error": _server_text(error)}
        except (OSError, ssl.SSLError, imaplib.IMAP4.error, ImapToolsError) as error:
            result.error = _("The IMAP server could not be read: %(error)s") % {
                "error": str(error) or type(error).__name__
            }
    if result.error:
        _record_error(mailbox, result.error, now=now)
    else:
        Mailbox.objects.filter(pk=mailbox.pk).update(
            last_polled_at=now, last_error="", last_error_at=None
        )
    return result


def _server_text(error: MailboxLoginError) -> str:
    """The server's own words from a refused login, as text."""
    lines = error.command_result[1] if error.command_result else []
    text = " ".join(
        line.decode("utf-8", "replace") if isinstance(line, bytes) else str(line) for line in lines
    )
    return text or str(error)


def _too_large(mailbox: Mailbox, head: MailMessage, *, now: datetime.datetime) -> InboundMessage:
    """Quarantine from the headers alone; the message stays on the server."""
    headers = head.obj.as_bytes()
    reason = _(
        "The message is larger than %(limit)s MB; it was left on the IMAP server, flagged "
        "(UID %(uid)s)."
    ) % {"limit": settings.MAIL_MAX_MESSAGE_BYTES // (1024 * 1024), "uid": head.uid}
    try:
        parsed = parsing.parse(headers)
    except Exception:  # the headers are kept raw anyway
        parsed = None
    return _quarantine(
        mailbox,
        headers,
        digest=digest_of(b"too-large:" + headers),
        via="imap",
        now=now,
        reason=reason,
        parsed=parsed,
        size=head.size_rfc822,
    )


def _set_aside(message: InboundMessage, *, by: User) -> InboundMessage:
    """The message re-read under a lock, if `by` may decide about it and it
    is still set aside (two people deciding at once: the second is told)."""
    if not by.has_perm("mailroom.refile_message"):
        raise PermissionDenied(_("You may not file or discard quarantined e-mail."))
    locked = (
        InboundMessage.objects.visible_to(by)
        .select_for_update(of=("self",))
        .select_related("mailbox__queue")
        .filter(pk=message.pk)
        .first()
    )
    if locked is None:
        raise PermissionDenied(_("You cannot see this e-mail."))
    if not locked.is_set_aside:
        raise ValidationError(
            _("This e-mail is no longer set aside: it was filed or discarded meanwhile.")
        )
    return locked


def _raw_bytes(row: InboundMessage) -> bytes | None:
    """The message as received (decrypted), or None when it was not kept."""
    if not row.raw:
        return None
    try:
        with row.raw.open("rb") as handle:
            return cpr.fernet().decrypt(handle.read())
    except FileNotFoundError:
        return None
    except InvalidToken as error:
        raise ValidationError(
            _("The kept message cannot be decrypted with CPR_ENCRYPTION_KEYS.")
        ) from error


def _whole_raw(row: InboundMessage) -> bytes:
    """The complete raw message, or a ValidationError saying why not."""
    raw = _raw_bytes(row)
    if raw is None:
        raise ValidationError(_("The original message was not kept, so it cannot be read again."))
    if len(raw) < row.size:
        raise ValidationError(
            _(
                "Only the headers of this message were kept: it is still on the IMAP server, "
                "flagged. Raise MAIL_MAX_MESSAGE_BYTES and mark it unread there to fetch it."
            )
        )
    if len(raw) > settings.MAIL_MAX_MESSAGE_BYTES:
        raise ValidationError(
            _("The message is larger than %(limit)s MB.")
            % {"limit": settings.MAIL_MAX_MESSAGE_BYTES // (1024 * 1024)}
        )
    return raw


def _parsed_from_row(row: InboundMessage) -> parsing.ParsedMail:
    """A message whose raw bytes were not kept, as its row recorded it."""
    return parsing.ParsedMail(
        message_id=row.message_id,
        in_reply_to=row.in_reply_to.split(),
        references=row.references.split(),
        sender_address=row.sender_address,
        sender_name=row.sender_name,
        subject=row.subject,
        body_text=row.body_text,
        body_html=row.body_html,
        sent_at=row.sent_at,
    )


def _decide(
    row: InboundMessage,
    kind: str,
    *,
    by: User,
    now: datetime.datetime,
    old: tuple[str, str],
    note: str = "",
    queue: Queue | None = None,
) -> MessageDecision:
    decision = MessageDecision.objects.create(
        message=row,
        kind=kind,
        decided_by=by,
        decided_at=now,
        note=note,
        old_status=old[0],
        old_reason=old[1],
        new_status=row.status,
        queue=queue,
        enquiry=row.enquiry,
    )
    logger.info(
        "E-mail %s (%s) %s by %s: now %s, enquiry %s",
        row.pk,
        old[0],
        kind,
        by.username,
        row.status,
        row.enquiry.reference if row.enquiry else "-",
    )
    return decision


@transaction.atomic
def refile_message(
    message: InboundMessage, *, by: User, now: datetime.datetime | None = None
) -> InboundMessage:
    """Read a set-aside message's kept bytes again and file it as intake
    would (after a fix of the parser or a limit); logged, row locked.

    Still unreadable: a ValidationError with the reason, nothing changed.
    """
    now = now or timezone.now()
    row = _set_aside(message, by=by)
    old = (row.status, row.reason)
    raw = _whole_raw(row)
    try:
        parsed = parsing.parse(raw)
    except parsing.Unreadable as error:
        raise ValidationError(
            _("It still cannot be read: %(reason)s") % {"reason": error.reason}
        ) from error
    except Exception as error:  # any parser failure, as on intake
        raise ValidationError(
            _("It still cannot be read (%(error)s).") % {"error": type(error).__name__}
        ) from error
    mask = _Masker()
    _fill(row, parsed, mask)
    _file_row(row, raw, parsed, mask, queue=row.mailbox.queue, now=row.received_at, by=by)
    _decide(row, MessageDecision.Kind.REFILED, by=by, now=now, old=old)
    return row


@transaction.atomic
def file_as_enquiry(
    message: InboundMessage,
    *,
    queue: Queue,
    by: User,
    note: str = "",
    now: datetime.datetime | None = None,
) -> InboundMessage:
    """File a set-aside message as a new enquiry in `queue`, whatever the
    signs of a machine or a missing sender said; logged, row locked."""
    now = now or timezone.now()
    cpr.check_free_text(note=note)
    row = _set_aside(message, by=by)
    if not Queue.objects.visible_to(by).filter(pk=queue.pk).exists():
        raise ValidationError({"queue": _("You cannot file e-mail in this queue.")})
    old = (row.status, row.reason)
    raw = _whole_raw(row) if row.raw else None
    mask = _Masker()
    if raw is None:
        parsed = _parsed_from_row(row)
    else:
        try:
            parsed = parsing.parse(raw, strict=False)
        except parsing.Unreadable as error:
            raise ValidationError(
                _("Nothing of it can be read as e-mail: %(reason)s Discard it instead.")
                % {"reason": error.reason}
            ) from error
        _fill(row, parsed, mask)
    _file_row(row, raw, parsed, mask, queue=queue, now=row.received_at, by=by, as_enquiry=True)
    _decide(
        row, MessageDecision.Kind.FILED_AS_ENQUIRY, by=by, now=now, old=old, note=note, queue=queue
    )
    return row


@transaction.atomic
def discard_message(
    message: InboundMessage, *, reason: str, by: User, now: datetime.datetime | None = None
) -> InboundMessage:
    """Discard a set-aside message with the reason; its kept bytes and CPR
    numbers are deleted (the file after commit); logged, row locked."""
    now = now or timezone.now()
    reason = " ".join((reason or "").split())
    if not reason:
        raise ValidationError({"reason": _("Say why the e-mail is discarded.")})
    cpr.check_free_text(reason=reason)
    row = _set_aside(message, by=by)
    old = (row.status, row.reason)
    raw_name = row.raw.name if row.raw else ""
    row.status = Status.DISCARDED
    row.raw = ""
    row.cpr_ciphertext = ""
    row.save(update_fields=["status", "raw", "cpr_ciphertext"])
    _decide(row, MessageDecision.Kind.DISCARDED, by=by, now=now, old=old, note=reason)
    if raw_name:
        storage = row.raw.storage
        transaction.on_commit(lambda: storage.delete(raw_name))
    return row
