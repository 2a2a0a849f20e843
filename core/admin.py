"""Admin plumbing shared by the apps: service refusals become form errors, never a 500."""

from __future__ import annotations

from django.core.exceptions import ValidationError

from core.errors import DomainError


class ServiceErrorsAdminMixin:
    """Saves in our admins go through the services, which may refuse what only they can check
    (a name clash across rows, a rule on an inline). The admin's transaction rolls back, and the
    same form is shown again with the service's message and everything the user typed."""

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except (ValidationError, DomainError) as exc:
            if request.method != "POST" or getattr(request, "_service_error", None):
                raise
            request._service_error = exc
            return super().changeform_view(request, object_id, form_url, extra_context)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form_class = super().get_form(request, obj, change=change, **kwargs)
        error = getattr(request, "_service_error", None)
        if error is None:
            return form_class

        class RefusedByService(form_class):
            def clean(self):
                cleaned = super().clean()
                if isinstance(error, DomainError):
                    self.add_error(None, error.message)
                elif hasattr(error, "error_dict"):
                    for field, errors in error.error_dict.items():
                        messages = [m for e in errors for m in e.messages]
                        known = field in self.fields
                        self.add_error(
                            field if known else None,
                            messages if known else [f"{field}: {m}" for m in messages],
                        )
                else:
                    self.add_error(None, error.messages)
                return cleaned

        return RefusedByService
