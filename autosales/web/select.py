"""Select boxes rendered in Python, with the exact markup of Django's templates.

Django renders a ``<select>`` through ``select.html``, which includes ``select_option.html`` and
``attrs.html`` once per option; a filter bar with a few selects of users, trims and stores spends
more time there than on the list itself. ``render_select`` writes the same HTML from the same
context (``Widget.get_context``), so attributes, option groups, the selected options and escaping
are Django's own; a test compares both for every kind of select the forms use.
"""

from django import forms
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe


def _attrs(attrs) -> str:
    out = []
    for name, value in attrs.items():
        if value is False:
            continue
        if value is True:
            out.append(f" {conditional_escape(name)}")
        else:
            out.append(f' {conditional_escape(name)}="{conditional_escape(str(value))}"')
    return "".join(out)


def render_select(widget: forms.Select, name, value, attrs=None) -> str:
    context = widget.get_context(name, value, attrs)["widget"]
    out = [f'<select name="{conditional_escape(context["name"])}"{_attrs(context["attrs"])}>']
    for group_name, group_choices, _index in context["optgroups"]:
        if group_name:
            out.append(f'\n  <optgroup label="{conditional_escape(group_name)}">')
        for option in group_choices:
            out.append(
                f'\n  <option value="{conditional_escape(str(option["value"]))}"{_attrs(option["attrs"])}>'
                f"{conditional_escape(option['label'])}</option>\n"
            )
        if group_name:
            out.append("\n  </optgroup>")
    out.append("\n</select>")
    return mark_safe("".join(out))  # noqa: S308 - every value above is escaped


class FastSelectMixin:
    """``render`` without templates, for widgets that keep Django's own select templates."""

    def render(self, name, value, attrs=None, renderer=None):
        if (
            self.template_name != "django/forms/widgets/select.html"
            or self.option_template_name != "django/forms/widgets/select_option.html"
        ):
            return super().render(name, value, attrs, renderer)
        return render_select(self, name, value, attrs)


_FAST = {}


def fast_select(widget):
    """Give ``widget`` (a Select or a subclass) the template-free ``render``; others, and selects
    with a ``render`` of their own, are left alone."""
    if (
        not isinstance(widget, forms.Select)
        or isinstance(widget, FastSelectMixin)
        or type(widget).render is not forms.Widget.render
    ):
        return widget
    cls = type(widget)
    fast = _FAST.get(cls)
    if fast is None:
        fast = _FAST[cls] = type(f"Fast{cls.__name__}", (FastSelectMixin, cls), {"__module__": __name__})
    widget.__class__ = fast
    return widget
