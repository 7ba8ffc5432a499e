"""Known problems: one fault behind many enquiries, handled as one thing."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Viewer
from enquiries import cpr
from enquiries.models import Category, Enquiry, Topic
from nemid_cases.versioning import Versioned


class KnownProblemQuerySet(models.QuerySet["KnownProblem"]):
    def visible_to(self, user: Viewer) -> KnownProblemQuerySet:
        """Known problems are shared by every queue; the permission decides."""
        if not user.is_authenticated or not user.has_perm("problems.view_knownproblem"):
            return self.none()
        return self

    def open(self) -> KnownProblemQuerySet:
        return self.filter(status=KnownProblem.Status.OPEN)

    def with_counts(self) -> KnownProblemQuerySet:
        """Linked enquiries, open ones among them, and distinct citizens."""
        return self.annotate(
            enquiry_count=Count("links", distinct=True),
            open_count=Count(
                "links",
                filter=~Q(links__enquiry__status__in=Enquiry.CLOSED_STATUSES),
                distinct=True,
            ),
            citizen_count=Count("links__enquiry__citizen", distinct=True),
        )


# Linking in bulk (the filtered list, an API filter) is for those who
# record problems; one enquiry at a time needs the link permission alone.
BULK_LINK = ("problems.add_knownproblemlink", "problems.change_knownproblem")


class KnownProblem(Versioned):
    """A fault known to support, linked to the enquiries it caused.

    Resolving it resolves every linked open enquiry in one batch
    (services.resolve_known_problem). With `is_auto_link` on, new enquiries
    of its category are linked as they are registered.
    """

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        RESOLVED = "resolved", _("Resolved")

    title = models.CharField(_("title"), max_length=200, validators=[cpr.reject_cpr_in_text])
    description = models.TextField(
        _("description"), max_length=20000, validators=[cpr.reject_cpr_in_text]
    )
    topic = models.ForeignKey(
        Topic,
        verbose_name=_("affected topic"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="known_problems",
    )
    category = models.ForeignKey(
        Category,
        verbose_name=_("affected category"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="known_problems",
    )
    workaround = models.TextField(
        _("workaround"), blank=True, max_length=20000, validators=[cpr.reject_cpr_in_text]
    )
    is_auto_link = models.BooleanField(
        _("link new enquiries of the category"),
        default=False,
        help_text=_("New enquiries of the affected category are linked as they are registered."),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.OPEN, editable=False
    )
    resolution = models.TextField(
        _("resolution"), blank=True, max_length=20000, validators=[cpr.reject_cpr_in_text]
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("resolved by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    resolved_at = models.DateTimeField(_("resolved"), null=True, blank=True, editable=False)
    enquiries: models.ManyToManyField[Enquiry, KnownProblemLink] = models.ManyToManyField(
        Enquiry,
        through="KnownProblemLink",
        verbose_name=_("enquiries"),
        related_name="known_problems",
        blank=True,
    )

    objects = KnownProblemQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        permissions = [
            ("resolve_knownproblem", "Can resolve every linked enquiry of a known problem"),
        ]
        indexes = [
            # Registration looks up the auto-linking problems of a category.
            models.Index(
                fields=["category"],
                condition=Q(is_auto_link=True, status="open"),
                name="knownproblem_autolink",
            ),
        ]
        verbose_name = _("known problem")
        verbose_name_plural = _("known problems")

    def __str__(self) -> str:
        return self.title

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN


class KnownProblemLink(models.Model):
    """An enquiry caused by a known problem: who linked it, and when."""

    problem = models.ForeignKey(
        KnownProblem,
        verbose_name=_("known problem"),
        on_delete=models.CASCADE,
        related_name="links",
    )
    enquiry = models.ForeignKey(
        Enquiry,
        verbose_name=_("enquiry"),
        on_delete=models.CASCADE,
        related_name="known_problem_links",
    )
    linked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("linked by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Empty when the enquiry was linked on its category."),
    )
    linked_at = models.DateTimeField(_("linked"), default=timezone.now)

    class Meta:
        ordering = ["-linked_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["problem", "enquiry"], name="knownproblemlink_unique")
        ]
        indexes = [models.Index(fields=["enquiry"], name="knownproblemlink_enquiry")]
        verbose_name = _("linked enquiry")
        verbose_name_plural = _("linked enquiries")

    def __str__(self) -> str:
        return f"{self.problem_id} ↔ {self.enquiry_id}"


class KnownProblemResolution(models.Model):
    """One "resolve all at once": its batch id, counts and the text sent.

    The batch id is on every timeline line the resolution wrote; the text
    is kept as sent, so a later version of the standard text changes nothing.
    """

    batch = models.UUIDField(_("batch"), default=uuid.uuid4, unique=True, editable=False)
    problem = models.ForeignKey(
        KnownProblem,
        verbose_name=_("known problem"),
        on_delete=models.CASCADE,
        related_name="resolutions",
    )
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("resolved by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    resolved_at = models.DateTimeField(_("resolved"), default=timezone.now)
    enquiry_count = models.PositiveIntegerField(_("enquiries resolved"), default=0)
    citizen_count = models.PositiveIntegerField(_("citizens"), default=0)
    notified_count = models.PositiveIntegerField(_("e-mails queued"), default=0)
    text_code = models.CharField(_("standard text"), max_length=100, blank=True)
    text_version = models.PositiveIntegerField(_("standard text version"), null=True, blank=True)
    subject = models.CharField(_("subject"), max_length=300)
    body = models.TextField(_("message"), max_length=20000)

    class Meta:
        ordering = ["-resolved_at", "-id"]
        verbose_name = _("known problem resolution")
        verbose_name_plural = _("known problem resolutions")

    def __str__(self) -> str:
        return f"{self.problem} ({self.resolved_at:%Y-%m-%d %H:%M})"
