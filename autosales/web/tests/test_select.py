"""Selects rendered in Python (``web.select``) are exactly Django's template output."""

import pytest
from django import forms
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from autosales.web.select import fast_select, render_select

CHOICES = [
    ("", "---------"),
    ("a", "Alpha & <b>"),
    (1, _("Yes")),
    ("Group <x>", [("g1", "In group"), ("g2", mark_safe("<i>safe</i>"))]),
    ('q"uote', "Quote \" ' label"),
]


@pytest.mark.parametrize(
    ("widget", "value", "attrs"),
    [
        (forms.Select(choices=CHOICES), "a", {"class": "form-select", "required": True}),
        (forms.Select(choices=CHOICES), None, {"id": "id_x", "disabled": False}),
        (forms.Select(choices=CHOICES), 1, {"data-x": mark_safe("<raw>")}),
        (forms.SelectMultiple(choices=CHOICES, attrs={"size": 3}), ["a", "g2"], {"class": "form-select"}),
        (forms.SelectMultiple(choices=CHOICES), [], None),
        (forms.NullBooleanSelect(), True, {"class": "x"}),
        (forms.NullBooleanSelect(), None, None),
        (forms.Select(choices=[]), "", None),
    ],
)
def test_same_html_as_django(widget, value, attrs):
    expected = widget.render("field", value, attrs)
    assert render_select(widget, "field", value, attrs) == expected
    assert fast_select(widget).render("field", value, attrs) == expected


def test_other_widgets_are_left_alone():
    text = forms.TextInput()
    assert fast_select(text) is text
    assert type(text) is forms.TextInput
    radio = forms.RadioSelect(choices=CHOICES)
    html = radio.render("x", "a")
    assert fast_select(radio).render("x", "a") == html
