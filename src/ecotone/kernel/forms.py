"""What every app's HTML forms share."""

from __future__ import annotations

from typing import Any

from django import forms

from ecotone.kernel.errors import DomainError


class Form(forms.Form):
    """A form whose labels carry no trailing colon (the design puts labels above fields)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)


def add_domain_error(form: forms.Form, error: DomainError) -> None:
    """Show a service's refusal next to the field it names, or above the form when the form has
    no such field."""
    for field, messages in error.field_errors().items():
        target = field if field in form.fields else None
        for message in messages:
            form.add_error(target, message)
