from django.contrib import admin
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from actions.due import parse_due
from actions.models import Action, ActionEvent, ActionUpdate, Kpi, KpiReading, Theme


@admin.register(Theme)
class ThemeAdmin(admin.ModelAdmin):
    list_display = ("name_da", "name_en", "code", "position", "is_active")
    list_filter = ("is_active",)
    search_fields = ("name_da", "name_en", "code")
    prepopulated_fields = {"code": ("name_en",)}


class ActionUpdateInline(admin.TabularInline):
    model = ActionUpdate
    fields = ("written_on", "author", "text")
    raw_id_fields = ("author",)
    extra = 0


class KpiInline(admin.TabularInline):
    model = Kpi
    fields = ("metric", "unit", "baseline", "target", "position")
    extra = 0
    show_change_link = True


class ActionEventInline(admin.TabularInline):
    """The timeline, read-only: it records what happened."""

    model = ActionEvent
    fields = ("created_at", "kind", "actor", "old_value", "new_value", "text")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Action)
class ActionAdmin(admin.ModelAdmin):
    """Prefer the app's pages: they write the timeline. Admin edits do not."""

    list_display = ("title", "owner", "theme", "status", "due_phrase", "due_end", "completed_on")
    list_filter = ("status", "theme", "owner", "due_precision")
    search_fields = ("title", "description", "code", "due_phrase")
    list_select_related = ("owner", "theme")
    readonly_fields = ("due_start", "due_end", "due_precision", "created_by", "created_at")
    raw_id_fields = ("follows_up", "responsible")
    filter_horizontal = (
        "origin_recommendations",
        "origin_meetings",
        "origin_topics",
        "origin_categories",
    )
    inlines = [KpiInline, ActionUpdateInline, ActionEventInline]
    fieldsets = (
        (None, {"fields": ("code", "title", "description", "theme", "status")}),
        (_("Owner"), {"fields": ("owner", "responsible")}),
        (
            _("Due"),
            {"fields": ("due_phrase", "due_start", "due_end", "due_precision", "completed_on")},
        ),
        (
            _("Origins"),
            {
                "fields": (
                    "follows_up",
                    "origin_recommendations",
                    "origin_meetings",
                    "origin_topics",
                    "origin_categories",
                )
            },
        ),
        (None, {"fields": ("escalation_level", "created_by", "created_at")}),
    )

    def save_model(self, request, obj, form, change):
        # Keep the stored range in step with the phrase typed here too.
        try:
            due = parse_due(obj.due_phrase)
        except ValidationError:
            due = None
        if due is not None:
            obj.due_start, obj.due_end, obj.due_precision = due.start, due.end, due.precision
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        form.base_fields["due_phrase"].validators.append(_validate_due_phrase)
        return form


def _validate_due_phrase(value: str) -> None:
    parse_due(value)


class KpiReadingInline(admin.TabularInline):
    model = KpiReading
    fields = ("measured_on", "value", "note", "recorded_by")
    raw_id_fields = ("recorded_by",)
    extra = 0


@admin.register(Kpi)
class KpiAdmin(admin.ModelAdmin):
    list_display = ("metric", "action", "unit", "baseline", "target")
    list_filter = ("action__theme", "action__status")
    search_fields = ("metric", "action__title")
    list_select_related = ("action",)
    raw_id_fields = ("action",)
    inlines = [KpiReadingInline]


@admin.register(KpiReading)
class KpiReadingAdmin(admin.ModelAdmin):
    list_display = ("kpi", "measured_on", "value", "recorded_by")
    list_filter = ("measured_on",)
    search_fields = ("kpi__metric", "kpi__action__title", "note")
    list_select_related = ("kpi", "recorded_by")
    raw_id_fields = ("kpi", "recorded_by")


@admin.register(ActionUpdate)
class ActionUpdateAdmin(admin.ModelAdmin):
    list_display = ("action", "written_on", "author")
    list_filter = ("written_on", "action__theme")
    search_fields = ("text", "action__title")
    list_select_related = ("action", "author")
    raw_id_fields = ("action", "author")


@admin.register(ActionEvent)
class ActionEventAdmin(admin.ModelAdmin):
    list_display = ("created_at", "action", "kind", "actor", "old_value", "new_value")
    list_filter = ("kind",)
    search_fields = ("action__title", "text")
    list_select_related = ("action", "actor")
    readonly_fields = ("action", "kind", "actor", "created_at", "old_value", "new_value", "text")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
