from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from .models import Event, ExportLog, NumberSequence, Store, User


@admin.register(Store)
class StoreAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "city", "is_active")
    search_fields = ("code", "name", "city")
    list_filter = ("is_active",)


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ("username", "get_full_name", "role", "store", "is_active")
    list_filter = ("role", "store", "is_active")
    list_select_related = ("store",)
    fieldsets = (
        *BaseUserAdmin.fieldsets,
        (_("Dealership"), {"fields": ("role", "store", "mobile", "language")}),
    )
    add_fieldsets = (
        *BaseUserAdmin.add_fieldsets,
        (_("Dealership"), {"fields": ("role", "store")}),
    )


class ReadOnlyAdmin(admin.ModelAdmin):
    """Audit rows are written by the services only."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Event)
class EventAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "content_type", "object_id", "action", "from_state", "to_state", "actor")
    list_filter = ("action", "content_type")
    list_select_related = ("content_type", "actor")


@admin.register(NumberSequence)
class NumberSequenceAdmin(ReadOnlyAdmin):
    list_display = ("store", "kind", "year", "last_value")


class AuditedAdmin(SimpleHistoryAdmin):
    """Admin of an audited model: its history can be read, never reverted or edited."""

    def revert_disabled(self, request, obj=None):
        return True

    def has_change_history_permission(self, request, obj=None):
        return False

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if request.method == "POST":
            raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)


@admin.register(ExportLog)
class ExportLogAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "user", "what", "rows", "file_format")
    list_filter = ("file_format",)
    search_fields = ("what", "user__username")
