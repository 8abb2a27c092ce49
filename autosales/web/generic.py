"""Generic list, detail and edit views, configured by attributes (NetBox style).

A domain's view module is mostly declarations::

    class CustomerListView(ObjectListView):
        queryset = Customer.objects.select_related("store", "owner")
        filterset = CustomerFilterSet
        columns = [Column("name", link=True), Column("mobile"), Column("store")]
        detail_url_name = "web:customer_detail"

Every read goes through ``core.access.scope``; cost columns show only to users who may see cost.
Lists never count the whole table: pages are fetched by key (``after``/``before`` an id) when the
list is in id order, otherwise by offset, one row more than shown to know whether a next page exists.
"""

import csv
import datetime
import functools
import html
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from django import forms
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import FieldDoesNotExist, PermissionDenied, ValidationError
from django.db.models import Model, QuerySet
from django.http import FileResponse, Http404, HttpResponseRedirect, StreamingHttpResponse
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.formats import localize
from django.utils.functional import Promise
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.text import capfirst
from django.utils.timezone import template_localtime
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views import View

from autosales.core.access import (
    can_read_model,
    can_see_cost,
    can_see_personal_data,
    can_write,
    can_write_model,
    mask_personal,
    scope,
)
from autosales.core.loading import page_rows
from autosales.core.models import Store
from autosales.core.services import export_log

from . import formatting
from .select import fast_select

BOUNDED_COUNT = 1000
XLSX_MAX_ROWS = 200_000
# Columns holding a person's mobile or ID number, masked for users who may not see them in full.
PERSONAL_FIELD_NAMES = frozenset({"mobile", "resident_id"})


@functools.cache
def _choice_labels(model, name) -> dict | None:
    """``{value: label}`` of a model field with choices whose ``get_<name>_display`` is Django's own:
    what that method answers, without rebuilding the choices for every row."""
    if not isinstance(model, type) or not issubclass(model, Model):
        return None
    if not isinstance(model.__dict__.get(f"get_{name}_display"), functools.partialmethod):
        return None
    try:
        field = model._meta.get_field(name)
    except FieldDoesNotExist:
        return None
    if not field.choices:
        return None
    try:
        return dict(field.flatchoices)
    except TypeError:
        return None


@dataclass
class Column:
    """One column of a list (or one line of a detail page)."""

    name: str
    label: str | None = None
    # text, money, number, date, datetime, bool, days
    kind: str = "text"
    link: bool = False
    cost: bool = False
    # The value of the filterset's ``ordering`` parameter that sorts by this column.
    order: str | None = None
    accessor: Callable | None = None
    css: str = ""
    # None: decided by the field name (see PERSONAL_FIELD_NAMES).
    personal: bool | None = None

    @property
    def is_personal(self) -> bool:
        if self.personal is not None:
            return self.personal
        return self.name.rsplit(".", 1)[-1] in PERSONAL_FIELD_NAMES

    def resolve_label(self, model) -> str:
        if self.label is not None:
            return capfirst(str(self.label))
        current = model
        field = None
        for part in self.name.split("."):
            try:
                field = current._meta.get_field(part)
            except (FieldDoesNotExist, AttributeError):
                return capfirst(self.name.replace("_", " "))
            current = getattr(field, "related_model", None) or current
        return capfirst(str(field.verbose_name))

    def raw(self, obj):
        """The value itself (for exports): Decimal, date, str, bool or None."""
        if self.accessor is not None:
            return self.accessor(obj)
        value = obj
        parts = self.name.split(".")
        for index, part in enumerate(parts):
            if value is None:
                return None
            if index == len(parts) - 1:
                labels = _choice_labels(type(value), part)
                if labels is not None:
                    stored = getattr(value, part, None)
                    try:
                        label = labels.get(stored, stored)
                    except TypeError:  # an unhashable value: Django's own method decides
                        label = getattr(value, f"get_{part}_display")()
                    return str(label) if isinstance(label, Promise) else label
                display = getattr(value, f"get_{part}_display", None)
                if callable(display):
                    return display()
            value = getattr(value, part, None)
        if callable(value) and not isinstance(value, Model):
            value = value()
        return value

    def text(self, obj, masked: bool = False) -> str:
        """The value formatted for people, in the active language."""
        if masked and self.is_personal:
            return mask_personal(self.raw(obj))
        return format_value(self.raw(obj), self.kind)

    def export_value(self, obj, masked: bool = False):
        value = self.raw(obj)
        if masked and self.is_personal and value:
            return mask_personal(value)
        if value is None:
            return ""
        if self.kind == "days":
            return getattr(value, "days", value)
        if isinstance(value, datetime.datetime):
            return timezone.localtime(value).replace(tzinfo=None) if timezone.is_aware(value) else value
        if isinstance(value, bool):
            return gettext("Yes") if value else gettext("No")
        if isinstance(value, Decimal | int | float | datetime.date):
            return value
        return str(value)


def format_value(value, kind: str = "text") -> str:
    if value is None or value == "":
        return ""
    if kind == "money":
        return formatting.format_money(value)
    if kind == "number":
        return formatting.format_number(value)
    if kind == "days":
        return formatting.format_number(getattr(value, "days", value))
    if isinstance(value, bool) or kind == "bool":
        return gettext("Yes") if value else gettext("No")
    if isinstance(value, datetime.datetime) or kind == "datetime":
        return formatting.format_datetime(value)
    if isinstance(value, datetime.date) or kind == "date":
        return formatting.format_date(value)
    return str(value)


def visible_columns(user, columns) -> list[Column]:
    show_cost = can_see_cost(user)
    return [column for column in columns if show_cost or not column.cost]


def url_or_none(name, *args):
    if not name:
        return None
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return None


_PK_MARKER = 7_390_416_285


def pk_url_maker(name) -> Callable:
    """``pk -> url_or_none(name, pk)`` for the rows of a page: the URL is reversed once with a
    marker number in place of the primary key, and each row's key is put where the marker was.
    Anything but a plain integer key, or a URL that does not show the marker once, is reversed."""

    def reversed_each_time(pk):
        return url_or_none(name, pk)

    template = url_or_none(name, _PK_MARKER)
    if template is None or template.count(str(_PK_MARKER)) != 1:
        return reversed_each_time
    prefix, suffix = template.split(str(_PK_MARKER))

    def url(pk):
        if type(pk) is not int or pk < 0:
            return reversed_each_time(pk)
        return f"{prefix}{pk}{suffix}"

    return url


def _querystring(params, **changes) -> str:
    query = params.copy()
    for key, value in changes.items():
        if value is None:
            query.pop(key, None)
        else:
            query[key] = value
    encoded = query.urlencode()
    return f"?{encoded}" if encoded else "?"


def _template_text(value) -> str:
    """``{{ value }}`` of a template with autoescaping: localised, then escaped unless safe
    (``conditional_escape``, without its check for lazy arguments on every call)."""
    if not isinstance(value, str):
        value = localize(template_localtime(value))
    if hasattr(value, "__html__"):
        return value.__html__()
    return html.escape(value)


def rows_html(rows) -> str:
    """The list table's body rows, as ``{% for row in rows %}<tr>{% for cell in row.cells %}<td
    class="{{ cell.css }}">{{ cell.html }}</td>{% endfor %}</tr>{% endfor %}`` renders them (the
    same markup and escaping, checked by a test for every list), without a template node per cell:
    on a page of 50 customers the loop was a fifth of the page's time."""
    lines = []
    for row in rows:
        cells = "".join(
            f'<td class="{_template_text(cell["css"])}">{_template_text(cell["html"])}</td>'
            for cell in row["cells"]
        )
        lines.append(f"<tr>{cells}</tr>")
    return mark_safe("\n".join(lines))  # noqa: S308 - every value above is escaped


class _Echo:
    def write(self, value):
        return value


class ObjectListView(LoginRequiredMixin, View):
    queryset: QuerySet = None
    filterset = None
    # Names of the filterset's fields shown in the filter form (default: all but ``q`` and ``ordering``).
    filter_fields: list[str] | None = None
    columns: list[Column] = []
    template_name = "web/object_list.html"
    results_template_name = "web/_list_results.html"
    paginate_by = 50
    title = None
    detail_url_name: str | None = None
    add_url_name: str | None = None
    export_name: str | None = None
    search_placeholder = _("Search")
    # When the row link leads to an edit page, show it only to users who may write.
    link_requires_write = False
    # A template with extra buttons beside "Add" (it gets the list's context).
    list_actions_template: str | None = None

    @property
    def model(self):
        return self.queryset.model

    def get_queryset(self, request):
        return scope(request.user, self.queryset.all())

    def get_filterset(self, request, queryset):
        filterset = self.filterset(request.GET or None, queryset=queryset, request=request)
        stores = scope(request.user, Store.objects.all())
        for field in filterset.form.fields.values():
            if getattr(field, "queryset", None) is not None and field.queryset.model is Store:
                field.queryset = stores
            field.label = capfirst(str(field.label)) if field.label else field.label
            widget = field.widget
            if isinstance(widget, forms.DateInput):
                widget.input_type = "date"
            if isinstance(widget, forms.NullBooleanSelect):
                # "Unknown" reads as a value; in a filter the empty choice means "any".
                widget.choices = (("unknown", "---------"), ("true", _("Yes")), ("false", _("No")))
            if isinstance(widget, forms.SelectMultiple):
                widget.attrs.setdefault("size", 3)
            fast_select(widget)
            css = (
                "form-select form-select-sm" if hasattr(widget, "choices") else "form-control form-control-sm"
            )
            widget.attrs["class"] = f"{widget.attrs.get('class', '')} {css}".strip()
        return filterset

    def get_title(self):
        return self.title or capfirst(str(self.model._meta.verbose_name_plural))

    def get_extra_context(self, request):
        return {}

    # --- ordering and pages -------------------------------------------------------------

    @staticmethod
    def _stable_order(queryset):
        order = list(queryset.query.order_by) or list(queryset.model._meta.ordering) or ["-id"]
        if not any(item.lstrip("-") in ("id", "pk") for item in order):
            order.append("-id" if order[0].startswith("-") else "id")
        return queryset.order_by(*order), order

    def paginate(self, request, queryset, order):
        size = self.paginate_by
        params = request.GET.copy()
        for key in ("export", "_"):
            params.pop(key, None)
        keyset = order in (["-id"], ["id"], ["-pk"], ["pk"])
        page = {
            "has_next": False,
            "has_previous": False,
            "next_url": None,
            "previous_url": None,
            "first_url": None,
        }
        if keyset:
            descending = order[0].startswith("-")
            after, before = request.GET.get("after"), request.GET.get("before")
            if before and before.isdigit():
                lookup = "id__gt" if descending else "id__lt"
                rows = list(queryset.filter(**{lookup: int(before)}).reverse()[: size + 1])
                page["has_previous"] = len(rows) > size
                rows = list(reversed(rows[:size]))
                page["has_next"] = True
            else:
                if after and after.isdigit():
                    lookup = "id__lt" if descending else "id__gt"
                    queryset = queryset.filter(**{lookup: int(after)})
                    page["has_previous"] = True
                rows = page_rows(queryset, 0, size + 1)
                page["has_next"] = len(rows) > size
                rows = rows[:size]
            if rows:
                if page["has_next"]:
                    page["next_url"] = _querystring(params, after=str(rows[-1].pk), before=None, page=None)
                if page["has_previous"]:
                    page["previous_url"] = _querystring(params, before=str(rows[0].pk), after=None, page=None)
            elif page["has_previous"]:
                page["has_next"] = False
            page["first_url"] = _querystring(params, after=None, before=None, page=None)
        else:
            try:
                number = max(int(request.GET.get("page", "1")), 1)
            except ValueError:
                number = 1
            start = (number - 1) * size
            rows = page_rows(queryset, start, start + size + 1)
            page["has_next"] = len(rows) > size
            rows = rows[:size]
            page["has_previous"] = number > 1
            if page["has_next"]:
                page["next_url"] = _querystring(params, page=str(number + 1), after=None, before=None)
            if page["has_previous"]:
                page["previous_url"] = _querystring(params, page=str(number - 1), after=None, before=None)
            page["first_url"] = _querystring(params, page=None, after=None, before=None)
            page["number"] = number
        return rows, page

    # --- request handling ------------------------------------------------------------------

    def get(self, request, *args, **kwargs):
        if not can_read_model(request.user, self.model):
            raise PermissionDenied
        filterset = self.get_filterset(request, self.get_queryset(request))
        queryset, order = self._stable_order(filterset.qs)
        columns = visible_columns(request.user, self.columns)
        export = request.GET.get("export")
        if export in ("csv", "xlsx"):
            self._masked = not can_see_personal_data(request.user)
            return self.export(request, queryset, columns, export)
        self._link_rows = not self.link_requires_write or can_write_model(request.user, self.model)
        self._row_url = pk_url_maker(self.detail_url_name) if self.detail_url_name else None
        self._masked = not can_see_personal_data(request.user)
        rows, page = self.paginate(request, queryset, order)
        count = queryset.order_by()[: BOUNDED_COUNT + 1].count()
        table_rows = [self._row(obj, columns) for obj in rows]
        context = {
            "title": self.get_title(),
            "filterset": filterset,
            "filter_form": filterset.form,
            "filter_fields": self._filter_fields(filterset),
            "search_field": filterset.form["q"] if "q" in filterset.form.fields else None,
            "search_placeholder": self.search_placeholder,
            "headers": self._headers(request, columns),
            "rows": table_rows,
            "rows_html": rows_html(table_rows),
            "page": page,
            "count": count,
            "count_capped": count > BOUNDED_COUNT,
            "bounded_count": BOUNDED_COUNT,
            "add_url": url_or_none(self.add_url_name) if can_write_model(request.user, self.model) else None,
            "export_csv_url": _querystring(self._export_params(request), export="csv"),
            "export_xlsx_url": _querystring(self._export_params(request), export="xlsx"),
            "list_url": request.path,
            "list_actions_template": self.list_actions_template,
        }
        context.update(self.get_extra_context(request))
        template = self.template_name
        if getattr(request, "htmx", False) and request.htmx.target == "object-list":
            template = self.results_template_name
        return render(request, template, context)

    def _export_params(self, request):
        params = request.GET.copy()
        for key in ("after", "before", "page", "export"):
            params.pop(key, None)
        return params

    def _filter_fields(self, filterset):
        names = self.filter_fields
        if names is None:
            names = [name for name in filterset.form.fields if name not in ("q", "ordering")]
        return [filterset.form[name] for name in names if name in filterset.form.fields]

    def _headers(self, request, columns):
        current = request.GET.get("ordering", "")
        params = request.GET.copy()
        for key in ("after", "before", "page", "export"):
            params.pop(key, None)
        headers = []
        for column in columns:
            header = {"label": column.resolve_label(self.model), "css": column.css, "url": None, "sorted": ""}
            if column.order:
                if current == column.order:
                    header["sorted"] = "asc"
                    header["url"] = _querystring(params, ordering=f"-{column.order}")
                elif current == f"-{column.order}":
                    header["sorted"] = "desc"
                    header["url"] = _querystring(params, ordering=column.order)
                else:
                    header["url"] = _querystring(params, ordering=column.order)
            headers.append(header)
        return headers

    def _row(self, obj, columns):
        detail_url = self._row_url(obj.pk) if self._link_rows and self._row_url else None
        cells = []
        for column in columns:
            text = column.text(obj, masked=self._masked)
            if column.link and detail_url:
                html = format_html('<a href="{}">{}</a>', detail_url, text or "—")
            else:
                html = text
            cells.append(
                {
                    "html": html,
                    "css": column.css + (" text-end" if column.kind in ("money", "number", "days") else ""),
                }
            )
        return {"object": obj, "cells": cells, "url": detail_url}

    # --- exports ---------------------------------------------------------------------------

    def export_filename(self, extension):
        name = self.export_name or self.model._meta.model_name
        return f"{name}-{timezone.localdate():%Y%m%d}.{extension}"

    def export(self, request, queryset, columns, kind):
        headers = [column.resolve_label(self.model) for column in columns]
        # Counted up front: CSV rows stream after this response is returned.
        rows = queryset.order_by().count()
        export_log(
            user=request.user,
            what=str(self.model._meta.verbose_name_plural),
            rows=min(rows, XLSX_MAX_ROWS) if kind == "xlsx" else rows,
            file_format=kind,
            filters={key: value for key, value in self._export_params(request).items() if value},
        )
        if kind == "csv":
            return self._export_csv(queryset, columns, headers)
        return self._export_xlsx(queryset, columns, headers)

    def _export_csv(self, queryset, columns, headers):
        writer = csv.writer(_Echo())

        def rows():
            # The byte order mark lets Excel open UTF-8 Chinese text correctly.
            yield "\ufeff" + writer.writerow(headers)
            for obj in queryset.iterator(chunk_size=2000):
                yield writer.writerow(
                    [_csv_value(column.export_value(obj, masked=self._masked)) for column in columns]
                )

        response = StreamingHttpResponse(rows(), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{self.export_filename("csv")}"'
        return response

    def _export_xlsx(self, queryset, columns, headers):
        from openpyxl import Workbook

        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet(title=str(self.get_title())[:31])
        sheet.append(headers)
        for obj in queryset[:XLSX_MAX_ROWS].iterator(chunk_size=2000):
            sheet.append([column.export_value(obj, masked=self._masked) for column in columns])
        # FileResponse closes the file once it is sent.
        handle = tempfile.TemporaryFile()  # noqa: SIM115
        workbook.save(handle)
        handle.seek(0)
        return FileResponse(
            handle,
            as_attachment=True,
            filename=self.export_filename("xlsx"),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )


def _csv_value(value):
    if isinstance(value, datetime.datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


class ObjectDetailView(LoginRequiredMixin, View):
    queryset: QuerySet = None
    template_name = "web/object_detail.html"
    fields: list[Column] = []
    edit_url_name: str | None = None
    list_url_name: str | None = None

    @property
    def model(self):
        return self.queryset.model

    def get_object(self, request, pk):
        """The row if the user may see it; 404 otherwise, so guessing ids reveals nothing."""
        try:
            return scope(request.user, self.queryset.all()).get(pk=pk)
        except (self.model.DoesNotExist, ValueError) as exc:
            raise Http404 from exc

    def get_extra_context(self, request, obj):
        return {}

    def personal_data_of(self, obj):
        """The customer whose personal data this page shows (decides masking), or None."""
        from autosales.parties.models import Customer

        if isinstance(obj, Customer):
            return obj
        return getattr(obj, "customer", None)

    def get(self, request, pk, *args, **kwargs):
        obj = self.get_object(request, pk)
        customer = self.personal_data_of(obj)
        masked = customer is not None and not can_see_personal_data(request.user, customer)
        fields = [
            {
                "label": column.resolve_label(self.model),
                "value": column.text(obj, masked=masked),
                "name": column.name,
            }
            for column in visible_columns(request.user, self.fields)
        ]
        context = {
            "object": obj,
            "title": str(obj),
            "verbose_name": capfirst(str(self.model._meta.verbose_name)),
            "fields": fields,
            "edit_url": url_or_none(self.edit_url_name, obj.pk) if can_write(request.user, obj) else None,
            "list_url": url_or_none(self.list_url_name),
            "personal_masked": masked,
        }
        context.update(self.get_extra_context(request, obj))
        return render(request, self.template_name, context)


class ObjectEditView(LoginRequiredMixin, View):
    """Create (no ``pk``) or edit a row through a service; the model's validation errors go on the fields.

    Subclasses set ``form_class`` and implement ``create(request, form, data)`` and
    ``update(request, obj, form, data)`` calling the domain services.
    """

    queryset: QuerySet = None
    form_class = None
    template_name = "web/object_form.html"
    detail_url_name: str | None = None
    list_url_name: str | None = None

    @property
    def model(self):
        return self.queryset.model

    def get_object(self, request, pk):
        try:
            return scope(request.user, self.queryset.all()).get(pk=pk)
        except (self.model.DoesNotExist, ValueError) as exc:
            raise Http404 from exc

    def check_permission(self, request, obj):
        allowed = (
            can_write(request.user, obj) if obj is not None else can_write_model(request.user, self.model)
        )
        if not allowed:
            raise PermissionDenied

    def get_form(self, request, obj, data=None):
        return self.form_class(
            data=data, instance=obj, user=request.user, **self.get_form_kwargs(request, obj)
        )

    def get_form_kwargs(self, request, obj):
        return {}

    def create(self, request, form, data):
        raise NotImplementedError

    def update(self, request, obj, form, data):
        raise NotImplementedError

    def success_url(self, obj):
        return url_or_none(self.detail_url_name, obj.pk) or url_or_none(self.list_url_name) or "/"

    def cancel_url(self, obj):
        if obj is not None:
            return url_or_none(self.detail_url_name, obj.pk) or url_or_none(self.list_url_name)
        return url_or_none(self.list_url_name)

    def get_extra_context(self, request, obj):
        return {}

    def render_form(self, request, obj, form, status=200):
        verbose = capfirst(str(self.model._meta.verbose_name))
        title = (
            gettext("Edit %(name)s") % {"name": obj}
            if obj is not None
            else gettext("New %(kind)s") % {"kind": self.model._meta.verbose_name}
        )
        context = {
            "form": form,
            "object": obj,
            "title": title,
            "verbose_name": verbose,
            "cancel_url": self.cancel_url(obj),
        }
        context.update(self.get_extra_context(request, obj))
        return render(request, self.template_name, context, status=status)

    def get(self, request, pk=None, *args, **kwargs):
        obj = self.get_object(request, pk) if pk is not None else None
        self.check_permission(request, obj)
        return self.render_form(request, obj, self.get_form(request, obj))

    def post(self, request, pk=None, *args, **kwargs):
        obj = self.get_object(request, pk) if pk is not None else None
        self.check_permission(request, obj)
        form = self.get_form(request, obj, data=request.POST)
        if form.is_valid():
            data = form.service_data()
            try:
                saved = (
                    self.create(request, form, data) if obj is None else self.update(request, obj, form, data)
                )
            except ValidationError as error:
                form.add_service_error(error)
            else:
                if obj is None:
                    messages.success(request, gettext("%(name)s was created.") % {"name": saved})
                else:
                    messages.success(request, gettext("%(name)s was saved.") % {"name": saved})
                return HttpResponseRedirect(self.success_url(saved))
        return self.render_form(request, obj, form)
