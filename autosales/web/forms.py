"""Form helpers: Bootstrap classes on widgets, and model forms whose saving is done by a service."""

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import FieldDoesNotExist


class BootstrapMixin:
    """Give every widget the Bootstrap class it needs, and mark invalid fields."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput):
                css = "form-check-input"
            elif isinstance(widget, forms.Select | forms.SelectMultiple):
                css = "form-select"
            else:
                css = "form-control"
            if isinstance(widget, forms.DateInput):
                widget.input_type = "date"
                widget.format = "%Y-%m-%d"
            existing = widget.attrs.get("class", "")
            widget.attrs["class"] = f"{existing} {css}".strip()

    def full_clean(self):
        # Validation must not run in __init__: subclasses narrow the choices after it.
        super().full_clean()
        for name in self.errors:
            if name in self.fields:
                widget = self.fields[name].widget
                if "is-invalid" not in widget.attrs.get("class", ""):
                    widget.attrs["class"] = widget.attrs.get("class", "") + " is-invalid"


class ServiceModelForm(BootstrapMixin, forms.ModelForm):
    """A ModelForm that only parses input; the service validates the model (``clean()``) and saves.

    The model is not validated or changed here, so the service sees the old values and records
    what changed. The view puts the service's ``ValidationError`` back on the fields.
    ``user`` is the person filling the form, so choices can be limited to what they may see.
    """

    def __init__(self, *args, user=None, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)

    def _post_clean(self):
        pass

    def service_data(self) -> dict:
        """Cleaned values of the model's own fields (many-to-many fields left out)."""
        opts = self._meta.model._meta
        data = {}
        for name in self.fields:
            if name not in self.cleaned_data:
                continue
            try:
                field = opts.get_field(name)
            except FieldDoesNotExist:
                # A form-only field is not model data.
                continue
            if field.many_to_many:
                continue
            data[name] = self.cleaned_data[name]
        return data

    def add_service_error(self, error):
        """Attach a model ``ValidationError`` to the form: per field where the field is shown."""
        if hasattr(error, "error_dict"):
            for field, errors in error.error_dict.items():
                target = field if field in self.fields else None
                for item in errors:
                    self.add_error(target, item)
        else:
            self.add_error(None, error)


class LoginForm(BootstrapMixin, AuthenticationForm):
    pass
