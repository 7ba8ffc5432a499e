from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Viewer
from accounts.roles import ALL_QUEUE_ROLES
from enquiries.models import Enquiry
from nemid_cases.versioning import Versioned


class SurveyResultQuerySet(models.QuerySet["SurveyResult"]):
    def visible_to(self, user: Viewer) -> SurveyResultQuerySet:
        if not user.is_authenticated or not user.has_perm("feedback.view_surveyresult"):
            return self.none()
        return self


class SurveyResult(Versioned):
    """A published satisfaction survey, e.g. A&B Analyse for "kommunen".

    The report's figures: 77 % of 1,426 respondents satisfied, and 81 %
    positive among the 713 of 1,500 who have NemID (M3 with MEC for DanID).
    """

    code = models.SlugField(
        _("code"),
        max_length=60,
        unique=True,
        null=True,
        blank=True,
        help_text=_("A stable key for results loaded from the report; leave empty."),
    )
    source = models.CharField(_("source"), max_length=200)
    conducted_by = models.ForeignKey(
        "stakeholders.Organisation",
        verbose_name=_("conducted by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="surveys",
    )
    commissioned_by = models.ForeignKey(
        "stakeholders.Organisation",
        verbose_name=_("commissioned by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="commissioned_surveys",
    )
    published_on = models.DateField(_("published"))
    is_date_estimated = models.BooleanField(
        _("date is an estimate"),
        default=False,
        help_text=_("Tick when the source gives no exact date; the notes say why."),
    )
    respondents = models.PositiveIntegerField(_("respondents"))
    base = models.PositiveIntegerField(
        _("respondents the share is of"),
        null=True,
        blank=True,
        help_text=_("E.g. the 713 of 1,500 respondents who have NemID."),
    )
    share_satisfied = models.DecimalField(
        _("share satisfied (%)"),
        max_digits=4,
        decimal_places=1,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    share_basis = models.CharField(
        _("the share is of"),
        max_length=300,
        blank=True,
        help_text=_("Whom the share counts, e.g. respondents who have signed up for NemID."),
    )
    notes = models.TextField(_("notes"), blank=True, max_length=5000)

    objects = SurveyResultQuerySet.as_manager()

    class Meta:
        ordering = ["published_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(share_satisfied__gte=0, share_satisfied__lte=100),
                name="survey_share_0_to_100",
            ),
            models.CheckConstraint(
                condition=models.Q(base__isnull=True) | models.Q(base__lte=models.F("respondents")),
                name="survey_base_within_respondents",
            ),
        ]
        verbose_name = _("survey result")
        verbose_name_plural = _("survey results")

    def __str__(self) -> str:
        return f"{self.source} ({self.published_on}): {self.share_satisfied} %"


class EnquiryRatingQuerySet(models.QuerySet["EnquiryRating"]):
    def visible_to(self, user: Viewer) -> EnquiryRatingQuerySet:
        """Ratings of the enquiries the user may see."""
        if not user.is_authenticated or not user.has_perm("feedback.view_enquiryrating"):
            return self.none()
        if user.has_role(*ALL_QUEUE_ROLES):
            return self
        return self.filter(enquiry__in=Enquiry.objects.visible_to(user).values("pk"))

    def summary(self) -> dict[str, Any]:
        """Count, mean, per-score and per-source counts, in one query."""
        return self.aggregate(
            count=models.Count("id"),
            mean=models.Avg("score"),
            satisfied=models.Count("id", filter=models.Q(score__gte=4)),
            by_agent=models.Count("id", filter=models.Q(source=EnquiryRating.Source.AGENT)),
            by_citizen=models.Count("id", filter=models.Q(source=EnquiryRating.Source.CITIZEN)),
            **{
                f"score_{score}": models.Count("id", filter=models.Q(score=score))
                for score in EnquiryRating.SCORES
            },
        )


class EnquiryRating(models.Model):
    """A citizen's 1-5 rating of a resolved enquiry, at most one per enquiry.

    Entered by the agent at the end of a call, or by the citizen through a
    signed link whose page records the rating only on a confirming POST.
    The first rating recorded is final (feedback.services.record_rating).
    """

    class Source(models.TextChoices):
        AGENT = "agent", _("Entered by the agent")
        CITIZEN = "citizen", _("Given by the citizen")

    SCORES = (1, 2, 3, 4, 5)

    enquiry = models.OneToOneField(
        "enquiries.Enquiry",
        verbose_name=_("enquiry"),
        on_delete=models.CASCADE,
        related_name="rating",
    )
    score = models.PositiveSmallIntegerField(
        _("rating"), validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    source = models.CharField(_("source"), max_length=10, choices=Source.choices)
    comment = models.TextField(_("comment"), blank=True, max_length=2000)
    recorded_at = models.DateTimeField(_("recorded"), default=timezone.now, db_index=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    objects = EnquiryRatingQuerySet.as_manager()

    class Meta:
        ordering = ["-recorded_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(score__gte=1, score__lte=5), name="rating_score_1_to_5"
            )
        ]
        verbose_name = _("rating")
        verbose_name_plural = _("ratings")

    def __str__(self) -> str:
        return f"{self.enquiry_id}: {self.score}"
