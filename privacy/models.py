"""Personal data: how long it is kept, and the log of what was done with it.

Retention policies say how long a closed enquiry keeps its personal data;
data requests log each access export (GDPR art. 15) and erasure (art. 17);
anonymisations log every enquiry and citizen whose personal data was
removed, and why. None of these rows holds personal data itself.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Viewer
from enquiries.cpr import reject_cpr_in_text
from enquiries.models import Citizen

# The shortest period a policy may set: a resolved enquiry can still be
# reopened for a while, and a typo must not wipe recent cases.
MIN_RETAIN_DAYS = 30
MAX_RETAIN_DAYS = 36500


class RetentionPolicy(models.Model):
    """How long closed enquiries keep their personal data before anonymisation.

    The most specific policy wins: the enquiry's category's, else its
    queue's, else the default (no queue, no category). Without any policy
    nothing is anonymised.
    """

    queue = models.ForeignKey(
        "enquiries.Queue",
        verbose_name=_("queue"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="retention_policies",
        help_text=_("Empty, with an empty category: the default for every queue."),
    )
    category = models.ForeignKey(
        "enquiries.Category",
        verbose_name=_("category"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="retention_policies",
        help_text=_("Leave empty for the whole queue; a category's policy wins."),
    )
    retain_days = models.PositiveIntegerField(
        _("keep for (days)"),
        validators=[MinValueValidator(MIN_RETAIN_DAYS), MaxValueValidator(MAX_RETAIN_DAYS)],
        help_text=_(
            "Days after an enquiry was resolved or closed before its personal data is "
            "anonymised (at least 30; 730 is two years)."
        ),
    )
    basis = models.CharField(
        _("basis"),
        max_length=300,
        blank=True,
        validators=[reject_cpr_in_text],
        help_text=_("Why this period, e.g. the rule or decision it follows."),
    )
    # "default", "queue:<id>" or "category:<id>": one policy per scope.
    scope_key = models.CharField(max_length=40, unique=True, editable=False)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["queue__position", "category_id", "id"]
        verbose_name = _("retention policy")
        verbose_name_plural = _("retention policies")

    def __str__(self) -> str:
        return _("%(scope)s: %(days)s days") % {"scope": self.scope_label, "days": self.retain_days}

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.category is not None and not self.queue_id:
            self.queue_id = self.category.topic.queue_id
        self.scope_key = self._scope_key()
        super().save(*args, **kwargs)

    @property
    def scope_label(self) -> str:
        if self.category is not None:
            return str(self.category.label)
        if self.queue is not None:
            return str(self.queue.name)
        return str(_("Default"))

    def _scope_key(self) -> str:
        if self.category_id:
            return f"category:{self.category_id}"
        if self.queue_id:
            return f"queue:{self.queue_id}"
        return "default"

    def clean(self) -> None:
        if self.category is not None:
            queue_id = self.category.topic.queue_id
            if self.queue_id and self.queue_id != queue_id:
                raise ValidationError({"category": [_("The category belongs to another queue.")]})
            self.queue_id = queue_id
        taken = RetentionPolicy.objects.filter(scope_key=self._scope_key()).exclude(pk=self.pk)
        if taken.exists():
            field = "category" if self.category_id else "queue"
            raise ValidationError({field: [_("There is already a retention policy for this.")]})


@dataclass(frozen=True)
class RetentionRules:
    """Every policy, and which one governs an enquiry (the most specific)."""

    policies: list[RetentionPolicy]

    @classmethod
    def load(cls) -> RetentionRules:
        return cls(list(RetentionPolicy.objects.select_related("queue", "category__topic")))

    @property
    def default(self) -> RetentionPolicy | None:
        return next((p for p in self.policies if not p.queue_id and not p.category_id), None)

    @property
    def category_ids(self) -> set[int]:
        return {p.category_id for p in self.policies if p.category_id}

    @property
    def queue_ids(self) -> set[int]:
        return {p.queue_id for p in self.policies if p.queue_id and not p.category_id}

    def governs(self, policy: RetentionPolicy) -> models.Q:
        """The enquiries `policy` governs: no more specific policy covers them."""
        if policy.category_id:
            return models.Q(category_id=policy.category_id)
        unclaimed = models.Q(category__isnull=True) | ~models.Q(category_id__in=self.category_ids)
        if policy.queue_id:
            return models.Q(queue_id=policy.queue_id) & unclaimed
        return ~models.Q(queue_id__in=self.queue_ids) & unclaimed

    def for_enquiry(self, *, queue_id: int, category_id: int | None) -> RetentionPolicy | None:
        by_category: dict[int | None, RetentionPolicy] = {
            p.category_id: p for p in self.policies if p.category_id
        }
        by_queue = {p.queue_id: p for p in self.policies if p.queue_id and not p.category_id}
        return by_category.get(category_id) or by_queue.get(queue_id) or self.default


def requestable_citizens(user: Viewer) -> models.QuerySet[Citizen]:
    """The citizens whose requests `user` may handle: every one, for those who may.

    Data requests are not bound to a team's queues: the secretariat answers
    for everything the system holds.
    """
    if not user.is_authenticated or not user.has_perm("privacy.view_datarequest"):
        return Citizen.objects.none()
    return Citizen.objects.all()


class DataRequestQuerySet(models.QuerySet["DataRequest"]):
    def visible_to(self, user: Viewer) -> DataRequestQuerySet:
        if not user.is_authenticated or not user.has_perm("privacy.view_datarequest"):
            return self.none()
        return self


class DataRequest(models.Model):
    """A citizen's request handled: an access export (art. 15) or an erasure (art. 17).

    Kept after the erasure it records: who handled it, when and why.
    """

    class Kind(models.TextChoices):
        ACCESS = "access", _("Access export")
        ERASURE = "erasure", _("Erasure")

    class Format(models.TextChoices):
        JSON = "json", _("JSON (machine-readable)")
        HTML = "html", _("HTML (readable, printable)")

    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    citizen = models.ForeignKey(
        "enquiries.Citizen",
        verbose_name=_("citizen"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="data_requests",
    )
    reason = models.CharField(
        _("reason"),
        max_length=500,
        validators=[reject_cpr_in_text],
        help_text=_("E.g. how and when the citizen asked."),
    )
    format = models.CharField(_("format"), max_length=10, choices=Format.choices, blank=True)
    enquiry_count = models.PositiveIntegerField(
        _("enquiries"), default=0, help_text=_("Exported, or anonymised by the erasure.")
    )
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("handled by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    handled_at = models.DateTimeField(_("handled at"), default=timezone.now)

    objects = DataRequestQuerySet.as_manager()

    class Meta:
        ordering = ["-handled_at", "-id"]
        indexes = [models.Index(fields=["citizen", "-handled_at"], name="datarequest_citizen")]
        permissions = [
            ("export_citizen_data", _("Can export everything held about a citizen")),
            ("erase_citizen", _("Can erase a citizen's personal data on request")),
        ]
        verbose_name = _("data request")
        verbose_name_plural = _("data requests")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.handled_at:%Y-%m-%d %H:%M}"


class Anonymisation(models.Model):
    """One enquiry or citizen whose personal data was removed: when and why.

    `policy` (and the period it set, kept in `retain_days`) for retention;
    `data_request` for an erasure. Holds ids only, never the removed data.
    """

    class Cause(models.TextChoices):
        RETENTION = "retention", _("Retention period over")
        ERASURE = "erasure", _("Erasure on request")

    cause = models.CharField(_("cause"), max_length=10, choices=Cause.choices)
    enquiry = models.ForeignKey(
        "enquiries.Enquiry",
        verbose_name=_("enquiry"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    citizen = models.ForeignKey(
        "enquiries.Citizen",
        verbose_name=_("citizen"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    policy = models.ForeignKey(
        RetentionPolicy,
        verbose_name=_("retention policy"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    rule = models.CharField(
        _("rule"), max_length=300, blank=True, help_text=_("The policy as it read at the time.")
    )
    data_request = models.ForeignKey(
        DataRequest,
        verbose_name=_("data request"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="anonymisations",
    )
    anonymised_at = models.DateTimeField(_("anonymised at"))

    class Meta:
        ordering = ["-anonymised_at", "-id"]
        indexes = [models.Index(fields=["-anonymised_at"], name="anonymisation_at")]
        verbose_name = _("anonymisation")
        verbose_name_plural = _("anonymisations")

    def __str__(self) -> str:
        subject = f"enquiry {self.enquiry_id}" if self.enquiry_id else f"citizen {self.citizen_id}"
        return f"{subject} ({self.get_cause_display()}, {self.anonymised_at:%Y-%m-%d})"
