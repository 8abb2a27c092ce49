"""Customers (persons and companies) and their contacts."""

from django import forms
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import path
from django.utils.translation import gettext_lazy as _
from django.views import View

from autosales.core.access import can_anonymise, can_see_personal_data, can_write, can_write_model, scope
from autosales.core.choices import Role
from autosales.core.models import Store, User
from autosales.core.selectors import history_for
from autosales.parties import selectors
from autosales.parties.filtersets import ContactFilterSet, CustomerFilterSet
from autosales.parties.models import Contact, Customer
from autosales.parties.selectors import customer_list
from autosales.parties.services import (
    contact_create,
    contact_update,
    customer_anonymise,
    customer_create,
    customer_hand_over,
    customer_may_hand_over,
    customer_personal_data_export,
    customer_update,
)
from autosales.web.dashboard import template_exists
from autosales.web.forms import ServiceModelForm
from autosales.web.generic import Column, ObjectDetailView, ObjectEditView, ObjectListView, url_or_none

# Other domains add panels (leads, orders, service history…) to the customer page by appending
# a template name here; a template that does not exist yet is skipped. Each gets ``customer``.
CUSTOMER_PANELS: list[str] = [
    "web/sales/panels/customer_sales.html",
    "web/aftersales/panels/customer_service.html",
    "web/keyaccounts/panels/customer_value.html",
]

OWNER_ROLES = (Role.SALESPERSON, Role.SALES_MANAGER)


class CustomerForm(ServiceModelForm):
    class Meta:
        model = Customer
        fields = [
            "kind",
            "name",
            "mobile",
            "resident_id",
            "credit_code",
            "industry",
            "fleet_size",
            "region",
            "email",
            "address",
            "source",
            "store",
            "owner",
            "marketing_consent",
            "notes",
        ]
        widgets = {"notes": forms.Textarea(attrs={"rows": 3}), "kind": forms.RadioSelect}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        stores = scope(self.user, Store.objects.all())
        self.fields["store"].queryset = stores
        owners = User.objects.filter(is_active=True, role__in=OWNER_ROLES, store__in=stores)
        if self.user is not None and self.user.role == Role.SALESPERSON and not self.user.is_superuser:
            owners = User.objects.filter(pk=self.user.pk)
        self.fields["owner"].queryset = owners.select_related("store").order_by("store__code", "username")
        self.fields["kind"].widget.attrs["class"] = "form-check-input"
        if self.user is not None and self.user.role == Role.SALESPERSON:
            # A salesperson sees only the customers they own, so a new customer must be theirs.
            self.fields["owner"].required = True
            self.fields["owner"].empty_label = None
        if self.instance.pk is None and not self.is_bound and self.user is not None:
            self.initial.setdefault("store", self.user.store_id)
            if self.user.role in OWNER_ROLES:
                self.initial.setdefault("owner", self.user.pk)


class ContactForm(ServiceModelForm):
    class Meta:
        model = Contact
        fields = ["name", "title", "mobile", "email", "buying_role", "stance", "is_executive", "notes"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}


CUSTOMER_COLUMNS = [
    Column("id", _("No."), order="id"),
    Column("name", link=True, order="name"),
    Column("kind"),
    Column("mobile"),
    Column("credit_code"),
    Column("industry"),
    Column("fleet_size", kind="number", order="fleet_size"),
    Column("store.name", _("store")),
    Column("owner", _("owner salesperson")),
    Column("source"),
    Column("created_at", kind="date", order="created_at"),
]


class CustomerListView(ObjectListView):
    queryset = Customer.objects.select_related("store", "owner")
    filterset = CustomerFilterSet
    filter_fields = ["kind", "industry", "source", "store", "owner"]
    columns = CUSTOMER_COLUMNS
    title = _("Customers")
    detail_url_name = "web:customer_detail"
    add_url_name = "web:customer_create"
    export_name = "customers"
    search_placeholder = _("Name, mobile or credit code")

    def get_filterset(self, request, queryset):
        filterset = super().get_filterset(request, queryset)
        stores = scope(request.user, Store.objects.all())
        filterset.form.fields["owner"].queryset = User.objects.filter(
            role__in=OWNER_ROLES, store__in=stores
        ).order_by("username")
        return filterset


class CustomerDetailView(ObjectDetailView):
    queryset = Customer.objects.select_related("store", "owner", "created_by")
    template_name = "web/parties/customer_detail.html"
    edit_url_name = "web:customer_edit"
    list_url_name = "web:customer_list"
    fields = [
        Column("kind"),
        Column("mobile"),
        Column("resident_id"),
        Column("credit_code"),
        Column("industry"),
        Column("fleet_size", kind="number"),
        Column("region"),
        Column("email"),
        Column("address"),
        Column("source"),
        Column("store"),
        Column("owner"),
        Column("marketing_consent", kind="bool"),
        Column("notes"),
        Column("created_at", kind="datetime"),
        Column("created_by"),
    ]

    def get_extra_context(self, request, obj):
        contacts = selectors.contacts_of(user=request.user, customer=obj) if obj.is_company else None
        may_add_contact = (
            obj.is_company and can_write_model(request.user, Contact) and can_write(request.user, obj)
        )
        return {
            "contacts": contacts,
            "add_contact_url": url_or_none("web:contact_create", obj.pk) if may_add_contact else None,
            "history": history_for(obj, user=request.user),
            "may_export_personal_data": not obj.is_anonymised and can_see_personal_data(request.user, obj),
            "may_anonymise": not obj.is_anonymised and can_anonymise(request.user),
            "hand_over_to": (
                User.objects.filter(is_active=True, role__in=OWNER_ROLES, store=obj.store_id)
                .exclude(pk=obj.owner_id)
                .order_by("username")
                if not obj.is_anonymised and customer_may_hand_over(request.user, obj)
                else None
            ),
            **({"edit_url": None} if obj.is_anonymised else {}),
            "panels": [name for name in CUSTOMER_PANELS if template_exists(name)],
            "customer": obj,
        }


class CustomerPersonalDataView(LoginRequiredMixin, View):
    """Download everything held about one customer (PIPL access request); the export is logged."""

    def post(self, request, pk):
        customer = get_object_or_404(customer_list(user=request.user), pk=pk)
        try:
            content = customer_personal_data_export(customer=customer, user=request.user)
        except ValidationError as exc:
            raise PermissionDenied from exc
        response = HttpResponse(content, content_type="application/json; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="customer-{customer.pk}-personal-data.json"'
        return response


class CustomerAnonymiseView(LoginRequiredMixin, View):
    def post(self, request, pk):
        customer = get_object_or_404(customer_list(user=request.user), pk=pk)
        if not can_anonymise(request.user):
            raise PermissionDenied
        try:
            customer_anonymise(customer=customer, actor=request.user, reason=request.POST.get("reason", ""))
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("The customer's personal data has been erased."))
        return redirect("web:customer_detail", pk=customer.pk)


class CustomerHandOverView(LoginRequiredMixin, View):
    def post(self, request, pk):
        customer = get_object_or_404(customer_list(user=request.user), pk=pk)
        if not customer_may_hand_over(request.user, customer):
            raise PermissionDenied
        new_owner = User.objects.filter(pk=request.POST.get("new_owner") or None).first()
        try:
            customer_hand_over(
                customer=customer,
                new_owner=new_owner,
                actor=request.user,
                reason=request.POST.get("reason", ""),
            )
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("The customer now belongs to %(name)s.") % {"name": new_owner})
        return redirect("web:customer_detail", pk=customer.pk)


class CustomerEditView(ObjectEditView):
    queryset = Customer.objects.select_related("store", "owner")
    form_class = CustomerForm
    template_name = "web/parties/customer_form.html"
    detail_url_name = "web:customer_detail"
    list_url_name = "web:customer_list"

    def create(self, request, form, data):
        return customer_create(actor=request.user, **data)

    def update(self, request, obj, form, data):
        return customer_update(customer=obj, actor=request.user, **data)


class ContactListView(ObjectListView):
    queryset = Contact.objects.select_related("customer")
    filterset = ContactFilterSet
    filter_fields = ["buying_role", "stance", "is_executive"]
    columns = [
        Column("name", link=True, order="name"),
        Column("title"),
        Column("customer", _("customer")),
        Column("mobile"),
        Column("email"),
        Column("buying_role"),
        Column("stance"),
        Column("is_executive", kind="bool"),
    ]
    title = _("Contacts")
    detail_url_name = "web:contact_detail"
    export_name = "contacts"
    search_placeholder = _("Name, mobile or job title")


class ContactDetailView(ObjectDetailView):
    queryset = Contact.objects.select_related("customer")
    edit_url_name = "web:contact_edit"
    list_url_name = "web:contact_list"
    fields = [
        Column("customer"),
        Column("title"),
        Column("mobile"),
        Column("email"),
        Column("buying_role"),
        Column("stance"),
        Column("is_executive", kind="bool"),
        Column("notes"),
    ]


class ContactEditView(ObjectEditView):
    queryset = Contact.objects.select_related("customer")
    form_class = ContactForm
    list_url_name = "web:contact_list"

    def company(self, request):
        """The company from the URL when adding a contact; 404 unless the user may see it."""
        customer_pk = self.kwargs.get("customer_pk")
        if customer_pk is None:
            return None
        if not hasattr(self, "_company"):
            self._company = scope(request.user, Customer.objects.all()).filter(pk=customer_pk).first()
            if self._company is None:
                raise Http404
        return self._company

    def check_permission(self, request, obj):
        super().check_permission(request, obj)
        if obj is None and not can_write(request.user, self.company(request)):
            raise PermissionDenied

    def get_extra_context(self, request, obj):
        company = obj.customer if obj is not None else self.company(request)
        return {"company": company}

    def create(self, request, form, data):
        return contact_create(actor=request.user, customer=self.company(request), **data)

    def update(self, request, obj, form, data):
        return contact_update(contact=obj, actor=request.user, **data)

    def success_url(self, obj):
        return url_or_none("web:customer_detail", obj.customer_id)

    def cancel_url(self, obj):
        company = obj.customer if obj is not None else self.company(self.request)
        return url_or_none("web:customer_detail", company.pk)


urlpatterns = [
    path("", CustomerListView.as_view(), name="customer_list"),
    path("add/", CustomerEditView.as_view(), name="customer_create"),
    path("<int:pk>/", CustomerDetailView.as_view(), name="customer_detail"),
    path("<int:pk>/edit/", CustomerEditView.as_view(), name="customer_edit"),
    path("<int:pk>/personal-data/", CustomerPersonalDataView.as_view(), name="customer_personal_data"),
    path("<int:pk>/anonymise/", CustomerAnonymiseView.as_view(), name="customer_anonymise"),
    path("<int:pk>/hand-over/", CustomerHandOverView.as_view(), name="customer_hand_over"),
    path("<int:customer_pk>/contacts/add/", ContactEditView.as_view(), name="contact_create"),
    path("contacts/", ContactListView.as_view(), name="contact_list"),
    path("contacts/<int:pk>/", ContactDetailView.as_view(), name="contact_detail"),
    path("contacts/<int:pk>/edit/", ContactEditView.as_view(), name="contact_edit"),
]
