from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class SurveyResult(models.Model):
    """A published satisfaction survey, e.g. A&B Analyse for "kommunen".

    The report's figures: 77 % of 1,426 respondents satisfied, and 81 %
    positive among the 713 of 1,500 who have NemID (M3 with MEC for DanID).
    """

    source = models.CharField(_("source"), max_length=200)
    conducted_by = models.ForeignKey(
        "stakeholders.Organisation",
        verbose_name=_("conducted by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="surveys",
    )
    published_on = models.DateField(_("published"))
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
    notes = models.TextField(_("notes"), blank=True, max_length=5000)

    class Meta:
        ordering = ["published_on", "id"]
        verbose_name = _("survey result")
        verbose_name_plural = _("survey results")

    def __str__(self) -> str:
        return f"{self.source} ({self.published_on}): {self.share_satisfied} %"


class EnquiryRating(models.Model):
    """A citizen's 1-5 rating of a resolved enquiry, at most one per enquiry.

    Entered by the agent at the end of a call, or by the citizen through a
    signed link whose page records the rating only on a confirming POST.
    """

    class Source(models.TextChoices):
        AGENT = "agent", _("Entered by the agent")
        CITIZEN = "citizen", _("Given by the citizen")

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
