from django.contrib import admin

from autosales.core.admin import AuditedAdmin

from .models import Contact, Customer


class ContactInline(admin.TabularInline):
    model = Contact
    extra = 0
    fields = ("name", "title", "mobile", "buying_role", "stance", "is_executive")


@admin.register(Customer)
class CustomerAdmin(AuditedAdmin):
    list_display = ("name", "kind", "mobile", "credit_code", "industry", "store", "owner", "created_at")
    list_filter = ("kind", "industry", "source", "store")
    search_fields = ("name", "mobile", "credit_code", "resident_id")
    list_select_related = ("store", "owner")
    raw_id_fields = ("owner", "created_by")
    inlines = [ContactInline]
    show_full_result_count = False


@admin.register(Contact)
class ContactAdmin(AuditedAdmin):
    list_display = ("name", "customer", "title", "buying_role", "stance", "is_executive")
    list_filter = ("buying_role", "stance", "is_executive")
    search_fields = ("name", "mobile", "customer__name")
    raw_id_fields = ("customer", "created_by")
    list_select_related = ("customer",)
