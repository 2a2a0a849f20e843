"""OpenAPI post-processing: every operation states the errors it answers, in one shape.

Views declare their success answers; the errors come from one place (`core.api`'s exception
handler and `core.middleware`), so they are documented in one place too: ``Error`` (``detail``, a
sentence a person can act on; ``code``, stable for programs; ``errors`` by field for validation),
answered as 400 (invalid input, unknown filter value, malformed ordering or JSON), 401 (no or bad
credentials), 403 (role), 404 (unknown id or slug, or a row the caller cannot see), 409 (stale
version or duplicate, on writes), 413 (body over 1 MiB, on writes) and 429 (throttled). Generated
clients and fuzzers then see the same rules as the server applies.
"""

from __future__ import annotations

ERROR_SCHEMA = {
    "type": "object",
    "description": "Every error answer: a sentence to act on and a stable code.",
    "required": ["detail", "code"],
    "properties": {
        "detail": {"type": "string"},
        "code": {"type": "string"},
        "errors": {
            "type": "object",
            "description": "Validation errors by field.",
            "additionalProperties": {},
        },
    },
    "additionalProperties": {},
}
WRITES = {"post", "put", "patch", "delete"}
REASONS = {
    "400": "Invalid input: the body, a filter value or the ordering (see `errors`).",
    "401": "No credentials, or credentials that are not valid.",
    "403": "The caller's role does not allow this.",
    "404": "No such object, or one the caller cannot see.",
    "409": "Conflict: a stale version (reload and retry) or a duplicate.",
    "413": "The request body is larger than 1 MiB.",
    "429": "Too many requests: retry after the time in `Retry-After`.",
}


def _statuses(method: str) -> list[str]:
    statuses = ["400", "401", "403", "404", "429"]
    if method in WRITES:
        statuses += ["409", "413"]
    return sorted(statuses)


def document_error_responses(result, generator, request, public):
    """drf-spectacular postprocessing hook: add ``Error`` answers to every operation."""
    result.setdefault("components", {}).setdefault("schemas", {})["Error"] = ERROR_SCHEMA
    ref = {"$ref": "#/components/schemas/Error"}
    for path, item in result.get("paths", {}).items():
        if not path.startswith("/api/"):
            continue
        for method, operation in item.items():
            if method not in {"get", "head", *WRITES}:
                continue
            responses = operation.setdefault("responses", {})
            for status in _statuses(method):
                responses.setdefault(
                    status,
                    {
                        "description": REASONS[status],
                        "content": {"application/json": {"schema": ref}},
                    },
                )
    return result
