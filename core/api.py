"""API plumbing shared by every app: pagination and the exception handler."""

from __future__ import annotations

from collections import OrderedDict

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext
from rest_framework import status
from rest_framework.exceptions import ValidationError as DRFValidationError
from rest_framework.pagination import BasePagination
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param
from rest_framework.views import exception_handler as drf_exception_handler

from core.errors import DomainError


class Pagination(BasePagination):
    """Page-number pagination without a COUNT(*): fetch one row more than the page to know if a
    next page exists. Page size is bounded so no request can ask for the whole table.
    """

    page_size = 50
    max_page_size = 200
    max_page = 10_000
    page_query_param = "page"
    page_size_query_param = "page_size"

    def _int_param(self, request, name: str, default: int, maximum: int) -> int:
        raw = request.query_params.get(name)
        if raw in (None, ""):
            return default
        try:
            value = int(raw)
        except (TypeError, ValueError):
            raise DRFValidationError(
                {
                    name: [
                        gettext("Expected a whole number, got %(value)s.")
                        % {"value": repr(raw[:40])}
                    ]
                }
            ) from None
        if value < 1:
            raise DRFValidationError({name: [gettext("Must be 1 or more.")]})
        return min(value, maximum)

    def paginate_queryset(self, queryset, request, view=None):
        self.request = request
        self.page_size_value = self._int_param(
            request, self.page_size_query_param, self.page_size, self.max_page_size
        )
        self.page = self._int_param(request, self.page_query_param, 1, self.max_page)
        offset = (self.page - 1) * self.page_size_value
        rows = list(queryset[offset : offset + self.page_size_value + 1])
        self.has_next = len(rows) > self.page_size_value
        return rows[: self.page_size_value]

    def get_next_link(self):
        if not self.has_next:
            return None
        url = self.request.build_absolute_uri()
        return replace_query_param(url, self.page_query_param, self.page + 1)

    def get_previous_link(self):
        if self.page <= 1:
            return None
        url = self.request.build_absolute_uri()
        if self.page == 2:
            return remove_query_param(url, self.page_query_param)
        return replace_query_param(url, self.page_query_param, self.page - 1)

    def get_paginated_response(self, data):
        return Response(
            OrderedDict(
                [
                    ("next", self.get_next_link()),
                    ("previous", self.get_previous_link()),
                    ("results", data),
                ]
            )
        )

    def get_paginated_response_schema(self, schema):
        return {
            "type": "object",
            "required": ["results"],
            "properties": {
                "next": {"type": "string", "nullable": True, "format": "uri"},
                "previous": {"type": "string", "nullable": True, "format": "uri"},
                "results": schema,
            },
        }


def _first_message(errors) -> str:
    if isinstance(errors, dict):
        for field, value in errors.items():
            msg = _first_message(value)
            if msg:
                return (
                    msg if field in ("non_field_errors", "__all__", "detail") else f"{field}: {msg}"
                )
        return ""
    if isinstance(errors, list | tuple):
        return _first_message(errors[0]) if errors else ""
    return str(errors)


def exception_handler(exc, context):
    """Map domain errors and Django validation errors to JSON answers; keep DRF's for the rest.

    Every error body has a ``detail`` sentence; validation errors also carry ``errors`` by field.
    """
    if isinstance(exc, DomainError):
        return Response(exc.as_dict(), status=exc.status_code)
    if isinstance(exc, DjangoValidationError):
        errors = (
            exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        )
        errors = {("non_field_errors" if k == "__all__" else k): v for k, v in errors.items()}
        return Response(
            {"detail": _first_message(errors), "code": "invalid", "errors": errors},
            status=status.HTTP_400_BAD_REQUEST,
        )
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, DRFValidationError):
        errors = (
            response.data
            if isinstance(response.data, dict)
            else {"non_field_errors": response.data}
        )
        response.data = {"detail": _first_message(errors), "code": "invalid", "errors": errors}
    elif isinstance(exc, Http404) or response.status_code == 404:
        response.data = {
            "detail": gettext("Not found: no such object, or you cannot see it."),
            "code": "not_found",
        }
    elif isinstance(response.data, dict) and "code" not in response.data:
        # Parse errors, authentication, throttling…: same shape as every other error.
        response.data["code"] = getattr(exc, "default_code", "error")
    return response
