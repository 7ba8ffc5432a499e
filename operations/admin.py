from django.contrib import admin

from operations.models import Heartbeat


@admin.register(Heartbeat)
class HeartbeatAdmin(admin.ModelAdmin):
    list_display = ["process", "seen_at"]
    readonly_fields = ["process", "seen_at"]
