"""Pages call the same services as the API; this maps their errors for templates, in one place
(the API's mapping is `core.api.exception_handler`).

``attempt(service, form=..., **kwargs)`` runs a service and answers an `Outcome`: a `DomainError`
becomes a message with its status code (400/403/409), a Django `ValidationError` becomes inline
field errors on ``form`` (or in ``outcome.errors`` when there is no form) with status 400.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from core.errors import DomainError


@dataclass
class Outcome:
    """What a service call gave a page: its value, or an HTTP status with messages."""

    value: Any = None
    status: int = 200
    message: str = ""
    errors: dict[str, list[str]] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return self.status < 400


def validation_errors(exc: ValidationError) -> dict[str, list[str]]:
    """A ValidationError as {field: [messages]} (``__all__`` for the whole form)."""
    if hasattr(exc, "error_dict"):
        return {name: list(messages) for name, messages in exc.message_dict.items()}
    return {"__all__": list(exc.messages)}


def add_form_errors(form: forms.BaseForm, errors: dict[str, list[str]]) -> None:
    """Attach service errors to the form's fields; errors on fields it lacks go on top."""
    for name, messages in errors.items():
        for message in messages:
            if name in form.fields:
                form.add_error(name, message)
            else:
                prefix = "" if name in ("__all__", "non_field_errors") else f"{name}: "
                form.add_error(None, f"{prefix}{message}")


def attempt(
    service: Callable[..., Any], /, *, form: forms.BaseForm | None = None, **kwargs
) -> Outcome:
    """Run ``service(**kwargs)`` and map what it raises for a page (see the module docstring)."""
    try:
        return Outcome(value=service(**kwargs))
    except DomainError as exc:
        return Outcome(status=exc.status_code, message=exc.message)
    except ValidationError as exc:
        errors = validation_errors(exc)
        if form is not None:
            add_form_errors(form, errors)
        first = next(iter(errors.values()), ["Check the form."])[0]
        return Outcome(status=400, message=first, errors=errors)


def add_service_error(form: forms.BaseForm, exc: ValidationError | DomainError) -> None:
    """Attach an error a service raised to ``form``: field errors next to their input, the rest
    (fields the form does not show, domain errors) at the top of the form."""
    if isinstance(exc, DomainError):
        form.add_error(None, exc.message)
    else:
        add_form_errors(form, validation_errors(exc))


def error_text(exc: ValidationError | DomainError) -> str:
    """One sentence for a service error, for pages that show it as a message."""
    if isinstance(exc, DomainError):
        return exc.message
    return " ".join(m for messages in validation_errors(exc).values() for m in messages)
