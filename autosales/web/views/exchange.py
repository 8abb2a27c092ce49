"""Import and export pages: upload a CSV/XLSX file and see what each row did; download exports."""

import re
import secrets
import tempfile
import time

from django import forms
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, StreamingHttpResponse
from django.shortcuts import render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods

from autosales.core.access import can_read_model
from autosales.core.models import Store
from autosales.core.services import export_log
from autosales.exchange.exports import COLUMNS, csv_chunks, export_queryset, export_rows, write_xlsx
from autosales.exchange.readers import MAX_BYTES, FileRefused
from autosales.exchange.report import UPDATED
from autosales.exchange.services import can_import, exchange_import
from autosales.inventory.models import Vehicle
from autosales.parties.models import Customer
from autosales.sales.models import Order

ENTITY_LABELS = {
    "customers": _("Customers"),
    "vehicles": _("Vehicles"),
    "orders": _("Historical orders (one row per order line)"),
}
EXPORT_MODELS = {"customers": Customer, "vehicles": Vehicle, "orders": Order}
SHOWN_ERRORS = 500
REJECTED_TTL_SECONDS = 24 * 3600
TOKEN_RE = re.compile(r"^[A-Za-z0-9_-]{16,64}$")


def _style(form):
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, forms.CheckboxInput):
            continue
        css = "form-select" if isinstance(widget, forms.Select) else "form-control"
        widget.attrs["class"] = f"{widget.attrs.get('class', '')} {css}".strip()


def _stores_for(user):
    stores = Store.objects.filter(is_active=True)
    if user.is_superuser or user.is_group_wide:
        return stores
    return stores.filter(pk=user.store_id)


class ImportForm(forms.Form):
    entity = forms.ChoiceField(label=_("What to import"))
    file = forms.FileField(label=_("File (CSV or XLSX, at most 20 MB)"))
    store = forms.ModelChoiceField(
        label=_("Store"),
        queryset=Store.objects.none(),
        required=False,
        help_text=_("For rows that do not name a store."),
    )
    good_only = forms.BooleanField(
        label=_("Import the good rows and give me the bad ones back as a file to fix"), required=False
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["entity"].choices = [(k, v) for k, v in ENTITY_LABELS.items() if can_import(user, k)]
        stores = _stores_for(user)
        self.fields["store"].queryset = stores
        if user.store_id:
            self.fields["store"].initial = user.store_id
        _style(self)

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_BYTES:
            raise forms.ValidationError(
                _("The file is %(size)s MB; the largest file accepted is 20 MB. Split it into smaller files.")
                % {"size": f"{upload.size / 1024 / 1024:.1f}"}
            )
        return upload


class ExportForm(forms.Form):
    entity = forms.ChoiceField(label=_("What to export"))
    format = forms.ChoiceField(label=_("Format"), choices=[("xlsx", "XLSX"), ("csv", "CSV")])
    lang = forms.ChoiceField(label=_("Column names"), choices=[("zh", _("Chinese")), ("en", _("English"))])
    store = forms.ModelChoiceField(label=_("Store"), queryset=Store.objects.none(), required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["entity"].choices = [
            (k, v) for k, v in ENTITY_LABELS.items() if can_read_model(user, EXPORT_MODELS[k])
        ]
        self.fields["store"].queryset = _stores_for(user)
        _style(self)


def _column_guide():
    return [
        (ENTITY_LABELS[entity], [(c.key, c.zh, c.required) for c in COLUMNS[entity]])
        for entity in ENTITY_LABELS
    ]


def _rejected_dir():
    directory = settings.VAR_DIR / "exchange" / "rejected"
    directory.mkdir(parents=True, exist_ok=True)
    return directory


def _save_rejected(user, content: bytes, extension: str) -> str:
    directory = _rejected_dir()
    cutoff = time.time() - REJECTED_TTL_SECONDS
    for old in directory.iterdir():
        if old.stat().st_mtime < cutoff:
            old.unlink(missing_ok=True)
    token = secrets.token_urlsafe(18)
    (directory / f"{user.pk}-{token}.{extension}").write_bytes(content)
    return token


def _page(request, *, import_form, export_form, report=None, rejected_token=None, refused=None, status=200):
    context = {
        "import_form": import_form,
        "export_form": export_form,
        "report": report,
        "refused": refused,
        "rejected_token": rejected_token,
        "title": _("Import and export"),
        "column_guide": _column_guide(),
    }
    if report is not None:
        grouped = report.errors_by_line()
        context["error_lines"] = [
            (line, [report.error_text(e) for e in errors])
            for line, errors in list(grouped.items())[:SHOWN_ERRORS]
        ]
        context["more_errors"] = max(len(grouped) - SHOWN_ERRORS, 0)
        updated = sorted(
            (line, key) for line, (outcome, key) in report.outcomes.items() if outcome == UPDATED
        )
        context["updated_lines"] = updated[:SHOWN_ERRORS]
    return render(request, "web/exchange/home.html", context, status=status)


@login_required
@require_GET
def exchange_home(request):
    return _page(
        request, import_form=ImportForm(user=request.user), export_form=ExportForm(user=request.user)
    )


@login_required
@require_http_methods(["GET", "POST"])
def exchange_import_view(request):
    user = request.user
    if not any(can_import(user, entity) for entity in ENTITY_LABELS):
        raise PermissionDenied
    if request.method == "GET":
        return exchange_home(request)
    form = ImportForm(request.POST, request.FILES, user=user)
    export_form = ExportForm(user=user)
    if not form.is_valid():
        return _page(request, import_form=form, export_form=export_form, status=400)
    upload = form.cleaned_data["file"]
    try:
        report = exchange_import(
            entity=form.cleaned_data["entity"],
            data=upload.read(),
            filename=upload.name,
            actor=user,
            store=form.cleaned_data["store"],
            good_only=form.cleaned_data["good_only"],
        )
    except FileRefused as exc:
        return _page(request, import_form=form, export_form=export_form, refused=exc.messages, status=400)
    token = None
    rejected = report.rejected_rows_file()
    if rejected and report.committed:
        token = _save_rejected(user, *rejected)
    return _page(request, import_form=form, export_form=export_form, report=report, rejected_token=token)


@login_required
@require_GET
def exchange_rejected(request, token):
    if not TOKEN_RE.match(token):
        raise Http404
    for extension in ("csv", "xlsx"):
        candidate = _rejected_dir() / f"{request.user.pk}-{token}.{extension}"
        if candidate.is_file():
            name = f"rejected-rows-{timezone.localdate():%Y%m%d}.{extension}"
            return FileResponse(candidate.open("rb"), as_attachment=True, filename=name)
    raise Http404


@login_required
@require_GET
def exchange_export(request):
    form = ExportForm(request.GET, user=request.user)
    if not form.is_valid():
        return _page(request, import_form=ImportForm(user=request.user), export_form=form, status=400)
    entity = form.cleaned_data["entity"]
    lang = form.cleaned_data["lang"]
    store = form.cleaned_data["store"]
    columns, rows = export_rows(entity, user=request.user, store=store)
    export_log(
        user=request.user,
        what=entity,
        rows=export_queryset(entity, user=request.user, store=store).count(),
        file_format=form.cleaned_data["format"],
        filters={"store": store, "lang": lang},
    )
    name = f"{entity}-{timezone.localdate():%Y%m%d}"
    if form.cleaned_data["format"] == "csv":
        response = StreamingHttpResponse(
            csv_chunks(columns, rows, lang=lang), content_type="text/csv; charset=utf-8"
        )
        response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
        return response
    # openpyxl's streaming writer needs a real file; it is deleted once the response is sent.
    handle = tempfile.TemporaryFile()  # noqa: SIM115 - FileResponse closes it
    write_xlsx(columns, rows, handle, lang=lang)
    handle.seek(0)
    return FileResponse(
        handle,
        as_attachment=True,
        filename=f"{name}.xlsx",
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


urlpatterns = [
    path("", exchange_home, name="exchange_home"),
    path("import/", exchange_import_view, name="exchange_import"),
    path("export/", exchange_export, name="exchange_export"),
    path("rejected/<str:token>/", exchange_rejected, name="exchange_rejected"),
]
