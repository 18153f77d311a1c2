"""Staff forms: a date input with an initial value renders it as the browser needs it."""

from __future__ import annotations

import inspect
from datetime import date

import pytest
from django import forms

from xxgk.applications import forms as app_forms
from xxgk.applications import workflow_forms

DAY = date(2026, 11, 30)


def date_forms(module):
    return [
        cls
        for _, cls in inspect.getmembers(module, inspect.isclass)
        if issubclass(cls, forms.Form)
        and cls.__module__ == module.__name__
        and any(isinstance(f, forms.DateField) for f in cls.base_fields.values())
    ]


@pytest.mark.parametrize(
    "cls", date_forms(app_forms) + date_forms(workflow_forms), ids=lambda c: c.__name__
)
def test_a_date_input_renders_its_initial_value_as_iso(cls):
    """<input type="date"> accepts only YYYY-MM-DD; the zh-hans locale format (2026/11/30)
    leaves the field empty in the browser."""
    names = [n for n, f in cls.base_fields.items() if isinstance(f, forms.DateField)]
    form = cls(initial=dict.fromkeys(names, DAY))
    for name in names:
        html = str(form[name])
        assert 'type="date"' in html and 'value="2026-11-30"' in html, (name, html)


def test_the_confirm_form_is_covered():
    assert app_forms.ConfirmForm in date_forms(app_forms)
    assert len(date_forms(workflow_forms)) >= 5
