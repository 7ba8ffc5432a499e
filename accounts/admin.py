from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from accounts.models import Team, User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ("username", "first_name", "last_name", "team", "is_absent", "is_active")
    list_filter = ("groups", "team", "is_absent", "is_active", "is_staff")
    fieldsets = (
        *(BaseUserAdmin.fieldsets or ()),
        (_("Support"), {"fields": ("team", "is_absent", "language")}),
    )


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    list_display = ("name", "lead")
    list_filter = (("lead", admin.EmptyFieldListFilter),)
    search_fields = ("name", "lead__username", "lead__first_name", "lead__last_name")
    autocomplete_fields = ("lead",)
