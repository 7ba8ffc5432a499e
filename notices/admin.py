from django.contrib import admin

from notices.models import StandardText
from notices.services import add_standard_text_version


@admin.register(StandardText)
class StandardTextAdmin(admin.ModelAdmin):
    """Adding a text adds its next version; a saved version is read-only."""

    list_display = ("code", "version", "kind", "valid_from", "created_by")
    list_filter = ("kind", "valid_from")
    search_fields = ("code", "text_da", "text_en")
    list_select_related = ("created_by",)
    fields = ("code", "kind", "text_da", "text_en", "valid_from")
    date_hierarchy = "valid_from"

    def get_readonly_fields(self, request, obj=None):
        return self.fields if obj is not None else ()

    def has_change_permission(self, request, obj=None) -> bool:
        # The change page still opens, read-only, for a user who may view.
        return False if obj is not None else super().has_change_permission(request, obj)

    def save_model(self, request, obj, form, change) -> None:
        created = add_standard_text_version(
            obj.code,
            text_da=obj.text_da,
            text_en=obj.text_en,
            kind=obj.kind,
            valid_from=obj.valid_from,
            by=request.user,
        )
        obj.pk = created.pk
        obj.version = created.version
        obj._state.adding = False
