"""Reading a raw RFC 822 message: headers, text, safe HTML and files.

Python's `email` package with `policy.default` does the MIME work. Text
parts are decoded by their declared charset, with ISO-8859-1 read as
windows-1252 (as browsers do: Outlook declares one and writes the other),
and undecodable bytes fall back to UTF-8, then windows-1252, then Latin-1,
so Danish æøå survive any mislabelling. HTML is sanitised with nh3 (the
Ammonia sanitiser) and never kept raw.
"""

from __future__ import annotations

import datetime
import html
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from email.utils import getaddresses, parsedate_to_datetime
from html.parser import HTMLParser

import nh3
from django.utils import timezone
from django.utils.translation import gettext as _

# Tags and attributes an e-mail may keep: structure and emphasis, links,
# tables. No images (remote ones track the reader), styles or forms.
SAFE_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "caption", "code", "dd", "div", "dl", "dt",
    "em", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "li", "ol", "p", "pre", "q",
    "s", "small", "span", "strong", "sub", "sup", "table", "tbody", "td", "tfoot",
    "th", "thead", "tr", "u", "ul",
}  # fmt: skip
SAFE_ATTRIBUTES = {"a": {"href", "title"}, "td": {"colspan", "rowspan"}, "th": {"colspan"}}
URL_SCHEMES = {"http", "https", "mailto"}

# Charsets declared for text that is really windows-1252 (a superset).
_AS_WINDOWS_1252 = {"iso-8859-1", "iso8859-1", "latin-1", "latin1", "l1", "cp819"}
# Headers whose text the registry must read (addresses, comments, quoting).
_STRUCTURED = {"from", "sender", "reply-to", "to", "cc"}
# A byte the parser could not decode, kept as a lone surrogate.
_RAW_BYTE = re.compile("[\udc80-\udcff]")
_C1 = re.compile("[\x80-\x9f]")
# The parser's signs of a multipart whose parts cannot be found.
_BROKEN_STRUCTURE = {"StartBoundaryNotFoundDefect", "MultipartInvariantViolationDefect"}
_MESSAGE_ID = re.compile(r"<[^<>\s]+>")
_AUTO_REPLY_SUBJECT = re.compile(
    r"^\s*(automatisk svar|autosvar|automatic reply|auto[- ]?reply|out of office|"
    r"fraværende|fraværsmeddelelse|abwesenheitsnotiz)\b",
    re.IGNORECASE,
)
_AUTOMATIC_SENDERS = {"mailer-daemon", "postmaster"}


class Unreadable(Exception):
    """A message that cannot be filed; `reason` says why (translated)."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


@dataclass
class Part:
    """An attachment as sent: its name, declared type and decoded bytes."""

    filename: str
    declared_type: str
    data: bytes
    # The type read from the content, set when the attachment is checked.
    detected_type: str | None = None


@dataclass
class ParsedMail:
    message_id: str
    in_reply_to: list[str]
    references: list[str]
    sender_address: str
    sender_name: str
    subject: str
    body_text: str
    body_html: str
    sent_at: datetime.datetime | None
    # "mail", "auto_reply" or "bounce", and what gave it away.
    kind: str = "mail"
    kind_reason: str = ""
    attachments: list[Part] = field(default_factory=list)
    defects: list[str] = field(default_factory=list)

    @property
    def thread_ids(self) -> list[str]:
        return list(dict.fromkeys([*self.in_reply_to, *self.references]))


def parse(raw: bytes, *, strict: bool = True) -> ParsedMail:
    """The message's parts; raises Unreadable when it cannot be filed.

    `strict=False` is a person's decision to file it anyway: a message
    without a sender or with a broken MIME structure gives what the email
    package could read of it. Without any header it is still Unreadable.
    """
    message = BytesParser(policy=policy.default).parsebytes(raw)
    if not isinstance(message, EmailMessage) or not message.keys():
        raise Unreadable(_("No e-mail headers were found."))
    sender_name, sender_address = _sender(message)
    if not sender_address and strict:
        raise Unreadable(_("The message has no readable sender address (From)."))
    defects = [type(defect).__name__ for part in message.walk() for defect in part.defects]
    broken = sorted(_BROKEN_STRUCTURE.intersection(defects))
    if broken and strict:
        raise Unreadable(
            _("The MIME structure is broken (%(defects)s).") % {"defects": ", ".join(broken)}
        )
    body_text, body_html, attachments = _contents(message)
    if body_html:
        body_html = sanitise_html(body_html)
        if not body_text.strip():
            body_text = html_to_text(body_html)
    parsed = ParsedMail(
        message_id=_first_id(_header(message, "Message-ID")),
        in_reply_to=_ids(_header(message, "In-Reply-To")),
        references=_ids(_header(message, "References")),
        sender_address=sender_address,
        sender_name=sender_name,
        subject=" ".join(_header(message, "Subject").split()),
        body_text=body_text.strip(),
        body_html=body_html,
        sent_at=_date(_header(message, "Date")),
        attachments=attachments,
        defects=defects,
    )
    parsed.kind, parsed.kind_reason = _kind(message, parsed)
    return parsed


def _header(message: EmailMessage, name: str) -> str:
    """A header as text; raw 8-bit bytes in it read as UTF-8 or windows-1252."""
    for key, raw in message.raw_items():
        if key.lower() != name.lower() or not isinstance(raw, str):
            continue
        if _has_raw_bytes(raw):
            # The header classes would turn each such byte into U+FFFD.
            return clean_text(" ".join(raw.split()))
        if "=?" not in raw and name.lower() not in _STRUCTURED:
            # Nothing to decode: the header registry's parse costs ~1 ms.
            return clean_text(" ".join(raw.split()))
        break
    try:
        value = message.get(name)
    except Exception:  # a header too broken to parse is absent
        return ""
    return clean_text(str(value)) if value is not None else ""


def _has_raw_bytes(text: str) -> bool:
    return _RAW_BYTE.search(text) is not None


def _sender(message: EmailMessage) -> tuple[str, str]:
    raw = _header(message, "From")
    for name, address in getaddresses([raw]):
        address = address.strip()
        if "@" in address and " " not in address and len(address) <= 320:
            return clean_text(name)[:200], address
    return "", ""


def _ids(value: str) -> list[str]:
    return list(dict.fromkeys(_MESSAGE_ID.findall(value)))[:50]


def _first_id(value: str) -> str:
    ids = _ids(value)
    return ids[0][:500] if ids else ""


def _date(value: str) -> datetime.datetime | None:
    try:
        moment = parsedate_to_datetime(value) if value else None
    except (TypeError, ValueError, IndexError):
        return None
    if moment is not None and timezone.is_naive(moment):
        moment = timezone.make_aware(moment, datetime.UTC)
    return moment


def _leaf_parts(message: EmailMessage) -> Iterator[tuple[EmailMessage, str, str, bool]]:
    """(part, content type, file name, is a body) of each part holding content.

    Delivery reports are left out; a part is a body unless it is an
    attachment or has a file name.
    """
    for part in message.walk():
        if part.is_multipart():
            continue
        content_type = part.get_content_type()
        disposition = part.get_content_disposition()
        filename = clean_text(part.get_filename() or "")
        if content_type == "message/delivery-status":
            continue
        yield part, content_type, filename, disposition != "attachment" and not filename


def _attachment(part: EmailMessage, content_type: str, filename: str) -> Part | None:
    """The part as an attachment, or None when it holds no bytes."""
    data = part.get_payload(decode=True) or b""
    if not data:
        return None
    return Part(filename=filename or _("unnamed"), declared_type=content_type, data=data)


def _contents(message: EmailMessage) -> tuple[str, str, list[Part]]:
    """(first text/plain body, first text/html body, attachments)."""
    text = html_body = ""
    attachments: list[Part] = []
    for part, content_type, filename, is_body in _leaf_parts(message):
        if is_body and content_type == "text/plain" and not text:
            text = decode_text(part)
        elif is_body and content_type == "text/html" and not html_body:
            html_body = decode_text(part)
        elif is_body and content_type.startswith("text/"):
            continue
        elif attachment := _attachment(part, content_type, filename):
            attachments.append(attachment)
    return text, html_body, attachments


def decode_text(part) -> str:
    """A text part's payload as str, whatever its declared charset says."""
    data = part.get_payload(decode=True) or b""
    declared = (part.get_content_charset() or "utf-8").lower()
    declared = "cp1252" if declared in _AS_WINDOWS_1252 else declared
    for charset in (declared, "utf-8", "cp1252"):
        try:
            return clean_text(data.decode(charset).replace("\r\n", "\n"))
        except (LookupError, UnicodeDecodeError):
            continue
    return clean_text(data.decode("latin-1"))


def clean_text(text: str) -> str:
    """Text a database can hold: raw 8-bit header bytes decoded, no NUL."""
    if _has_raw_bytes(text):
        data = text.encode("utf-8", "surrogateescape")
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            text = data.decode("cp1252", "replace")
    if not text.isascii():
        # Lone surrogates left in the text cannot be stored.
        text = text.encode("utf-8", "replace").decode("utf-8")
    # C1 controls are windows-1252 read as Latin-1 (a dash, a euro sign).
    text = _C1.sub(lambda match: _from_windows_1252(match[0]), text)
    return text.replace("\x00", "")


def _from_windows_1252(char: str) -> str:
    try:
        return bytes([ord(char)]).decode("cp1252")
    except UnicodeDecodeError:
        return ""


def sanitise_html(markup: str) -> str:
    """Only SAFE_TAGS and SAFE_ATTRIBUTES; links open nothing of ours."""
    return nh3.clean(
        markup,
        tags=SAFE_TAGS,
        attributes=SAFE_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer nofollow",
        strip_comments=True,
    ).strip()


class _TextExtractor(HTMLParser):
    _BLOCKS = {"p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "table", "blockquote"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.chunks: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in self._BLOCKS:
            self.chunks.append("\n")

    def handle_data(self, data):
        self.chunks.append(data)


def html_to_text(markup: str) -> str:
    """The readable text of (sanitised) HTML, one line per block."""
    extractor = _TextExtractor()
    extractor.feed(markup)
    extractor.close()
    lines = (
        " ".join(line.split()) for line in html.unescape("".join(extractor.chunks)).split("\n")
    )
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def _kind(message: EmailMessage, parsed: ParsedMail) -> tuple[str, str]:
    """Whether a machine wrote it: ("bounce"|"auto_reply"|"mail", the sign)."""
    if message.get_content_type() == "multipart/report":
        report = message.get_param("report-type") or "report"
        return "bounce", f"Content-Type: multipart/report; report-type={report}"
    local = parsed.sender_address.split("@")[0].lower()
    if local in _AUTOMATIC_SENDERS:
        return "bounce", f"From: {parsed.sender_address}"
    auto_submitted = _header(message, "Auto-Submitted").strip().lower()
    if auto_submitted and auto_submitted != "no":
        return "auto_reply", f"Auto-Submitted: {auto_submitted}"
    for name in ("X-Autoreply", "X-Autorespond", "X-Autoresponse"):
        if message.get(name) is not None:
            return "auto_reply", f"{name}: {_header(message, name)}"
    precedence = _header(message, "Precedence").strip().lower()
    if precedence in ("bulk", "junk", "auto_reply", "list"):
        return "auto_reply", f"Precedence: {precedence}"
    if _AUTO_REPLY_SUBJECT.match(parsed.subject):
        return "auto_reply", f"Subject: {parsed.subject[:80]}"
    if _header(message, "Return-Path").strip() == "<>":
        return "auto_reply", "Return-Path: <>"
    return "mail", ""
