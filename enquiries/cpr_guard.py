"""One guard keeps CPR numbers out of every stored text (issue 8).

At start-up (EnquiriesConfig.ready) every text field (CharField and its
subclasses: slugs, e-mails, URLs; TextField; the strings in a JSONField) of
every model of this project's apps gets:

- a validator naming the field, on the model field and on every form
  field made from it, so full_clean(), ModelForms (also those that leave
  model validation to a service) and ModelSerializers refuse a CPR number
  on that field;
- a pre_save check over the same fields, so a save that skipped
  validation (a service, the shell, a task) raises ValidationError keyed by
  field, which pages put on the form and the API answers with a 400.

Nothing is declared per field, so a new field is guarded without a
migration (the validator is added to `field.validators`, which migrations
do not see) and tests/enquiries/test_cpr_guard.py walks every model to
prove it. The API also refuses a CPR number anywhere in a request body
except under a `cpr` key (nemid_cases.api.ApiViewMixin). QuerySet.update()
and bulk_create() send no pre_save: the code that uses them writes text
already checked, or (the outbox) redacts it on the way in.
"""

from __future__ import annotations

from functools import partial
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.signals import pre_save
from django.utils.deconstruct import deconstructible
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from enquiries.cpr import contains_cpr, redact_cpr, reject_cpr_in_text

FIELD_HOLDS_CPR = _(
    "%(field)s: this looks like a CPR number. Record it on the citizen, never in free text."
)

# Text columns that may hold a CPR number, each with the reason. Nothing
# else may: a field belongs here only if it is not text a person writes.
ALLOWED = {
    "enquiries.Citizen.cpr_ciphertext": (
        "The one place the number lives: a Fernet ciphertext (enquiries.cpr)."
    ),
    "enquiries.Citizen.cpr_digest": (
        "A hex HMAC digest for exact look-up; hex may hold ten decimal digits by chance."
    ),
    "accounts.User.password": "A salted one-way hash, never shown or searched.",
    "accounts.IdempotentRequest.key": (
        "A SHA-256 hex digest of the client's key; hex may hold ten decimal digits by chance."
    ),
    "accounts.IdempotentRequest.fingerprint": (
        "A SHA-256 hex digest of the request; hex may hold ten decimal digits by chance."
    ),
    "mailroom.Mailbox.imap_password_ciphertext": (
        "A Fernet ciphertext of the IMAP password (mailroom.models.encrypt_text)."
    ),
    "mailroom.InboundMessage.cpr_ciphertext": (
        "A Fernet ciphertext of the CPR numbers masked on intake (mailroom.services)."
    ),
    "mailroom.InboundMessage.digest": (
        "A SHA-256 hex digest of the raw message; hex may hold ten decimal digits by chance."
    ),
    "mailroom.InboundMessage.message_id": (
        "A mail server's Message-ID, matched exactly for threading; not text a person writes."
    ),
    "mailroom.InboundMessage.in_reply_to": "Message-IDs, as message_id.",
    "mailroom.InboundMessage.references": "Message-IDs, as message_id.",
}

# Text written by code from guarded text, where refusing would lose an
# e-mail: a CPR number in it is masked (DDMMYY-xxxx) instead.
REDACTED = {
    "enquiries.Notification.subject": "An outgoing e-mail is masked, never refused.",
    "enquiries.Notification.body": "An outgoing e-mail is masked, never refused.",
}

# model -> (refused fields, redacted fields), filled by install().
_GUARDED: dict[type[models.Model], tuple[list[models.Field], list[models.Field]]] = {}


@deconstructible
class CprFreeTextValidator:
    """Refuses a CPR number in one field, naming the field in the message."""

    code = "cpr_in_text"

    def __init__(self, label) -> None:
        self.label = label

    def __call__(self, value) -> None:
        if holds_cpr(value):
            raise ValidationError(FIELD_HOLDS_CPR, code=self.code, params={"field": self.label})

    def __eq__(self, other) -> bool:
        return isinstance(other, CprFreeTextValidator) and other.label == self.label


def holds_cpr(value) -> bool:
    """A string holding a CPR number, or JSON with one in a key or a value."""
    if isinstance(value, str):
        return contains_cpr(value)
    if isinstance(value, dict):
        return any(holds_cpr(k) or holds_cpr(v) for k, v in value.items())
    if isinstance(value, list | tuple):
        return any(holds_cpr(item) for item in value)
    return False


def field_key(field: models.Field) -> str:
    return f"{field.model._meta.label}.{field.name}"


def is_project_app(app_config) -> bool:
    """An app of this repository, not Django's or an installed package's."""
    path = Path(app_config.path).resolve()
    base = Path(settings.BASE_DIR).resolve()
    return base in path.parents and not {"site-packages", ".venv"} & set(path.parts)


def project_models() -> list[type[models.Model]]:
    return [
        model
        for app_config in apps.get_app_configs()
        if is_project_app(app_config)
        for model in app_config.get_models()
        if not model._meta.proxy
    ]


def text_fields(model: type[models.Model]) -> list[models.Field]:
    """The model's own stored text fields (CharField, TextField, JSONField...)."""
    kinds = models.CharField | models.TextField | models.JSONField
    return [
        field
        for field in model._meta.concrete_fields
        if isinstance(field, kinds) and field.model is model
    ]


def install() -> None:
    """Guard every text field of every project model; idempotent."""
    for model in project_models():
        refused, redacted = [], []
        for field in text_fields(model):
            key = field_key(field)
            if key in ALLOWED:
                continue
            if key in REDACTED:
                redacted.append(field)
                continue
            validator = CprFreeTextValidator(capfirst(field.verbose_name))
            # `validators` is a cached list; `_validators`, which migrations
            # read, stays as declared. The older field-less validator goes.
            field.validators[:] = [
                v
                for v in field.validators
                if v is not reject_cpr_in_text and not isinstance(v, CprFreeTextValidator)
            ] + [validator]
            if not getattr(field, "cpr_guarded", False):
                # Form fields too: some ModelForms leave model validation to
                # a service, and the error belongs on the field.
                field.formfield = partial(_guarded_formfield, field.formfield, validator)
                field.cpr_guarded = True
            refused.append(field)
        if refused or redacted:
            _GUARDED[model] = (refused, redacted)
    pre_save.connect(refuse_cpr_on_save, dispatch_uid="enquiries.cpr_guard")


def _guarded_formfield(formfield, validator, **kwargs):
    form_field = formfield(**kwargs)
    if form_field is not None and validator not in form_field.validators:
        form_field.validators.append(validator)
    return form_field


def guarded_fields(model: type[models.Model]) -> tuple[list[models.Field], list[models.Field]]:
    """(refused, redacted) text fields of a model, as install() left them."""
    return _GUARDED.get(model, ([], []))


def refuse_cpr_on_save(sender, instance, update_fields=None, **kwargs) -> None:
    """pre_save: refuse a CPR number in any guarded field; mask the outbox."""
    guarded = _GUARDED.get(sender)
    if guarded is None:
        return
    refused, redacted = guarded
    errors = {}
    for field in refused:
        if update_fields is not None and field.name not in update_fields:
            continue
        # A deferred field is not in __dict__ and is not written either.
        if holds_cpr(instance.__dict__.get(field.attname)):
            label = capfirst(field.verbose_name)
            errors[field.name] = [
                ValidationError(FIELD_HOLDS_CPR, code="cpr_in_text", params={"field": label})
            ]
    if errors:
        raise ValidationError(errors)
    for field in redacted:
        value = instance.__dict__.get(field.attname)
        if isinstance(value, str):
            setattr(instance, field.attname, redact_cpr(value))


def request_errors(data, *, allowed_keys=frozenset({"cpr"}), path: str = "") -> dict:
    """{dotted.key: [message]} for each string in a JSON body holding a CPR number.

    Only the values under an allowed key (`cpr`, which is encrypted) may.
    """
    errors = {}
    if hasattr(data, "lists"):  # A form or multipart body: every value counts.
        for key, values in data.lists():
            if str(key) not in allowed_keys and holds_cpr(values):
                errors[f"{path}{key}"] = [FIELD_HOLDS_CPR % {"field": f"{path}{key}"}]
        return errors
    if isinstance(data, dict):
        for key, value in data.items():
            if str(key) in allowed_keys:
                continue
            errors |= request_errors(value, allowed_keys=allowed_keys, path=f"{path}{key}.")
    elif isinstance(data, list):
        for index, value in enumerate(data):
            errors |= request_errors(value, allowed_keys=allowed_keys, path=f"{path}{index}.")
    elif isinstance(data, str) and contains_cpr(data):
        name = path.rstrip(".") or "non_field_errors"
        errors[name] = [FIELD_HOLDS_CPR % {"field": name}]
    return errors
