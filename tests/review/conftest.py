"""The review's tests build requests with the request fixtures (cycles relative to today)."""

from tests.requests_app.conftest import (  # noqa: F401  (fixtures, found by name)
    board_requests,
    cycle,
    later_cycle,
    make_request,
)
