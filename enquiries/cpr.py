"""CPR numbers: validation, encryption, keyed digests and masking.

A CPR number is never stored in plain text. The database holds a Fernet
ciphertext (keys from CPR_ENCRYPTION_KEYS; the first encrypts, all decrypt,
so keys can be rotated), an HMAC-SHA256 digest for exact look-up (key from
CPR_HASH_KEY) and the masked form `DDMMYY-xxxx` for display.

Both keys can be rotated without downtime (docs/security.md): a new
Fernet key goes first in CPR_ENCRYPTION_KEYS and `rotate_cpr_keys`
re-encrypts; a new CPR_HASH_KEY with the old one in CPR_HASH_KEY_PREVIOUS
keeps look-ups working while `rotate_cpr_keys --digests` recomputes them.

The modulus-11 check was dropped in 2007, so numbers that fail it are valid.
"""

import datetime
import hashlib
import hmac
import re
import unicodedata
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

CPR_PATTERN = re.compile(r"^\s*(\d{6})[\s-]?(\d{4})\s*$")
# A CPR number in free text, as people write it, once _fold() has turned
# look-alike digits, dashes and spaces into ASCII and dropped invisible
# characters: DDMMYY with one separator or none (the same both times),
# then up to three spaces around an optional separator, then the serial.
# Only a real-looking date (day 01-31, month 01-12) counts, so phone
# numbers (+45 33 12 34 56), ISO dates and references (NID-2026-000041)
# pass; the separators must agree so "2011-000041" is not 20.11.00-0041.
CPR_ANYWHERE = re.compile(
    r"(?<!\d)(?P<day>0[1-9]|[12]\d|3[01])(?P<sep>[ ./_-]?)(?P<month>0[1-9]|1[0-2])"
    r"(?P=sep)(?P<year>\d\d) {0,3}[./_-]? {0,3}(?P<serial>\d{4})(?!\d)"
)
_ANY_DIGIT = re.compile(r"\d")
_MINUS_SIGNS = "\u2212\u2796\ufe63\uff0d"


@lru_cache(maxsize=4096)
def _fold_char(char: str) -> str:
    """One character as the CPR pattern reads it ("" for an invisible one)."""
    if char.isascii():
        return char
    category = unicodedata.category(char)
    if category == "Cf":  # zero-width space, joiners, soft hyphen, BOM ...
        return ""
    digit = unicodedata.decimal(char, None)
    if digit is not None:  # Arabic-Indic, fullwidth, Devanagari ... digits
        return str(digit)
    if category == "Pd" or char in _MINUS_SIGNS:  # en and em dash, hyphens
        return "-"
    if char.isspace():  # no-break and thin spaces
        return " "
    folded = unicodedata.normalize("NFKC", char)
    return folded if len(folded) == 1 and folded.isascii() else char


def _fold(text: str) -> tuple[str, list[int]]:
    """The text folded to ASCII look-alikes, and each folded character's origin."""
    folded, origins = [], []
    for index, char in enumerate(text):
        replacement = _fold_char(char)
        if replacement:
            folded.append(replacement)
            origins.append(index)
    return "".join(folded), origins


def find_cpr(text: str) -> list[tuple[int, int, str]]:
    """(start, end, "DDMMYY") of each CPR-shaped number in the original text."""
    # Fewer than ten digits (of any script) cannot hold a number: most text.
    if not text or len(_ANY_DIGIT.findall(text)) < 10:
        return []
    # Nothing to fold (ASCII, or letters such as æ, ø, å that fold to
    # themselves): positions are the text's own. Checks each distinct
    # character once, not each character: e-mail bodies are long.
    if text.isascii() or all(_fold_char(c) == c for c in set(text) if not c.isascii()):
        return [
            (m.start(), m.end(), m["day"] + m["month"] + m["year"])
            for m in CPR_ANYWHERE.finditer(text)
        ]
    folded, origins = _fold(text)
    return [
        (origins[m.start()], origins[m.end() - 1] + 1, m["day"] + m["month"] + m["year"])
        for m in CPR_ANYWHERE.finditer(folded)
    ]


def contains_cpr(text: str) -> bool:
    """Whether the text holds something written like a CPR number."""
    return bool(find_cpr(text))


def strip_cpr(text: str) -> str:
    """The text without anything shaped like a CPR number, spaces squeezed."""
    for start, end, _born in reversed(find_cpr(text)):
        text = f"{text[:start]} {text[end:]}"
    return " ".join(text.split())


def _century(seventh_digit: int, yy: int) -> int:
    """The birth century encoded by the first digit of the serial number."""
    if seventh_digit <= 3:
        return 1900
    if seventh_digit in (4, 9):
        return 2000 if yy <= 36 else 1900
    return 2000 if yy <= 57 else 1800


def normalize_cpr(value: str) -> str:
    """Return the ten digits of a valid CPR number or raise ValidationError."""
    match = CPR_PATTERN.match(value or "")
    if not match:
        raise ValidationError(_("Enter a CPR number as ten digits, DDMMYY-XXXX."), code="format")
    digits = match.group(1) + match.group(2)
    day, month, yy = int(digits[0:2]), int(digits[2:4]), int(digits[4:6])
    year = _century(int(digits[6]), yy) + yy
    try:
        born = datetime.date(year, month, day)
    except ValueError:
        raise ValidationError(
            _("The CPR number does not start with a valid date of birth."),
            code="date",
        ) from None
    if born > datetime.date.today():
        raise ValidationError(_("The CPR number gives a date of birth in the future."), code="date")
    return digits


CPR_IN_TEXT = _("This looks like a CPR number. Record it on the citizen, never in free text.")


def reject_cpr_in_text(value: str) -> None:
    """Refuse free text that carries a CPR number: free text is stored plainly.

    The one test behind every guard (enquiries.cpr_guard): model fields,
    saves, API bodies, services. Ten digits that do not start with a
    real-looking date (day 01-31, month 01-12) pass.
    """
    if isinstance(value, str) and contains_cpr(value):
        raise ValidationError(CPR_IN_TEXT, code="cpr_in_text")


def check_free_text(**texts: str | None) -> None:
    """reject_cpr_in_text on each named text; one error per offending field."""
    errors = {}
    for field, text in texts.items():
        try:
            reject_cpr_in_text(text or "")
        except ValidationError as error:
            errors[field] = error.error_list
    if errors:
        raise ValidationError(errors)


def mask_cpr(digits: str) -> str:
    return f"{digits[:6]}-xxxx"


@lru_cache(maxsize=4)
def _fernet(keys: tuple[str, ...]) -> MultiFernet:
    if not keys:
        raise ImproperlyConfigured("CPR_ENCRYPTION_KEYS is not set.")
    return MultiFernet([Fernet(key.encode()) for key in keys])


def fernet() -> MultiFernet:
    """CPR_ENCRYPTION_KEYS as one MultiFernet: the first encrypts, all decrypt."""
    return _fernet(tuple(settings.CPR_ENCRYPTION_KEYS))


class EncryptedTextField(models.TextField):
    """Text stored as a Fernet ciphertext under CPR_ENCRYPTION_KEYS.

    The type is the declaration: `rotate_cpr_keys` (enquiries.key_rotation)
    re-encrypts every field of this type in every model, so a new one is
    rotated without being listed anywhere. The column is a plain text
    column, so migrations see a TextField.
    """

    def deconstruct(self):
        name, _path, args, kwargs = super().deconstruct()
        return name, "django.db.models.TextField", args, kwargs


class EncryptedFileField(models.FileField):
    """A file whose bytes are a Fernet token under CPR_ENCRYPTION_KEYS;
    rotated like EncryptedTextField (a new file, then the old one removed)."""

    def deconstruct(self):
        name, _path, args, kwargs = super().deconstruct()
        return name, "django.db.models.FileField", args, kwargs


def encrypt_cpr(digits: str) -> str:
    return fernet().encrypt(digits.encode()).decode()


def decrypt_cpr(ciphertext: str) -> str:
    try:
        return fernet().decrypt(ciphertext.encode()).decode()
    except InvalidToken:
        raise ImproperlyConfigured(
            "A stored CPR number cannot be decrypted with CPR_ENCRYPTION_KEYS."
        ) from None


def cpr_digest(digits: str, key: str | None = None) -> str:
    """Keyed digest for exact look-up; without the key it reveals nothing."""
    key = key or settings.CPR_HASH_KEY
    if not key:
        raise ImproperlyConfigured("CPR_HASH_KEY is not set.")
    return hmac.new(key.encode(), digits.encode(), hashlib.sha256).hexdigest()


def cpr_digests(digits: str) -> list[str]:
    """The digests a stored number may carry: the current key's, then older ones.

    Look-ups match any of them, so a number stays findable while
    `rotate_cpr_keys --digests` moves the stored digests to CPR_HASH_KEY.
    """
    keys = [settings.CPR_HASH_KEY, *getattr(settings, "CPR_HASH_KEY_PREVIOUS", [])]
    return [cpr_digest(digits, key) for key in dict.fromkeys(k for k in keys if k)] or [
        cpr_digest(digits)
    ]


def format_cpr(digits: str) -> str:
    return f"{digits[:6]}-{digits[6:]}"


def redact_cpr(text: str) -> str:
    """Replace anything shaped like a CPR number with its masked form."""
    for start, end, born in reversed(find_cpr(text)):
        text = f"{text[:start]}{mask_cpr(born)}{text[end:]}"
    return text
