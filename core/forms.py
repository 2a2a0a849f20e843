"""Form helpers shared by the pages: show a service's errors where the user typed."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError

from core.errors import DomainError


def add_service_error(form: forms.BaseForm, exc: ValidationError | DomainError) -> None:
    """Attach ``exc`` (raised by a service) to ``form``: field errors next to their input, the rest
    (fields the form does not show, domain errors) at the top of the form.
    """
    if isinstance(exc, DomainError):
        form.add_error(None, exc.message)
        return
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc)
        return
    for field, errors in exc.error_dict.items():
        target = field if field in form.fields else None
        for error in errors:
            if target is None and field not in (None, "__all__"):
                label = field.replace("_", " ").capitalize()
                form.add_error(None, f"{label}: {' '.join(error.messages)}")
            else:
                form.add_error(target, error)


def service_error_text(exc: ValidationError | DomainError) -> str:
    """One sentence for a service error, for pages that show it as a message."""
    if isinstance(exc, DomainError):
        return exc.message
    if hasattr(exc, "error_dict"):
        return " ".join(
            " ".join(e.messages) if field in (None, "__all__") else f"{' '.join(e.messages)}"
            for field, errors in exc.error_dict.items()
            for e in errors
        )
    return " ".join(exc.messages)
