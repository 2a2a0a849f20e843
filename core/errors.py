"""Domain errors raised by services and mapped to HTTP answers in one place.

Services raise these (or Django's ``ValidationError`` for field rules); the API exception handler
(`core.api.exception_handler`) and the page helpers turn them into 400/403/409 with a message a
person can act on. Views never decide rules themselves.
"""

from __future__ import annotations

from collections.abc import Iterable


class DomainError(Exception):
    """Base of the errors a service may raise; ``status_code`` is the HTTP answer it maps to."""

    status_code = 400
    code = "invalid"

    def __init__(self, message: str, **extra) -> None:
        super().__init__(message)
        self.message = message
        self.extra = extra

    def as_dict(self) -> dict:
        return {"detail": self.message, "code": self.code, **self.extra}


class TransitionNotAllowed(DomainError):
    """The action is not allowed from the object's current state (400, lists what is allowed)."""

    code = "transition_not_allowed"

    def __init__(self, message: str, *, allowed_actions: Iterable[str] = ()) -> None:
        super().__init__(message, allowed_actions=sorted(allowed_actions))


class NotPermitted(DomainError):
    """The actor's role does not allow the action (403)."""

    status_code = 403
    code = "permission_denied"


class StaleVersion(DomainError):
    """The client edited from an outdated version (409); it should reload and retry."""

    status_code = 409
    code = "stale_version"

    def __init__(self, message: str, *, current_version: int) -> None:
        super().__init__(message, current_version=current_version)


class Conflict(DomainError):
    """The change collides with one already made (409), e.g. a second endorsement by one person."""

    status_code = 409
    code = "conflict"
