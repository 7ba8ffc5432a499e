from django.contrib import admin

from operations.models import Heartbeat


@admin.register(Heartbeat)
class HeartbeatAdmin(admin.ModelAdmin):
    list_display = ["process", "seen_at"]
    list_filter = ["process"]
    search_fields = ["process"]
    readonly_fields = ["process", "seen_at"]
