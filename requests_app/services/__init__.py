"""Every write on requests and cycles: one function per use case, atomic, checking role and state.

The API, the pages, the admin and the tasks all call these. Modules: `common` (lock, version,
state and role checks, the audit event), `filing` (create, edit), `transitions` (the lifecycle and
scoring), `discussion` (comments, watching), `cycles`, and `rules` (every limit, once).
"""

from requests_app.services.closed_cycles import check_cycle_open, cycles_offered, cycles_open
from requests_app.services.common import lock_request
from requests_app.services.cycles import (
    check_staff,
    cycle_create,
    cycle_current,
    cycle_next,
    cycle_update,
    cycle_validate,
)
from requests_app.services.demand import (
    demand_carry_over,
    demand_recount,
    endorsement_create,
    endorsement_withdraw,
)
from requests_app.services.discussion import (
    MENTION_RE,
    comment_create,
    comment_delete,
    comment_update,
    mentioned_users,
    request_watch,
)
from requests_app.services.filing import request_check_editable, request_create, request_update
from requests_app.services.prioritization import (
    check_can_score,
    request_reach_from_demand,
    request_score,
)
from requests_app.services.rules import (
    ACTION_INPUTS,
    EDITABLE_FIELDS,
    MAX_COMMENT,
    MAX_EFFORT,
    MAX_REASON,
    MAX_TEXT,
    MAX_TITLE,
)
from requests_app.services.supply import request_answer_with_product, supply_match
from requests_app.services.transitions import (
    TRANSITIONS,
    request_accept,
    request_decline,
    request_defer,
    request_deliver,
    request_mark_duplicate,
    request_reopen,
    request_start,
    request_submit,
    request_transition,
    request_triage,
    request_withdraw,
)

__all__ = [
    "ACTION_INPUTS",
    "EDITABLE_FIELDS",
    "MAX_COMMENT",
    "MAX_EFFORT",
    "MAX_REASON",
    "MAX_TEXT",
    "MAX_TITLE",
    "MENTION_RE",
    "TRANSITIONS",
    "check_staff",
    "comment_create",
    "comment_delete",
    "comment_update",
    "check_cycle_open",
    "cycles_offered",
    "cycles_open",
    "cycle_create",
    "cycle_current",
    "cycle_next",
    "cycle_update",
    "cycle_validate",
    "demand_carry_over",
    "demand_recount",
    "endorsement_create",
    "endorsement_withdraw",
    "lock_request",
    "mentioned_users",
    "request_accept",
    "request_check_editable",
    "request_answer_with_product",
    "request_create",
    "request_decline",
    "request_defer",
    "request_deliver",
    "request_mark_duplicate",
    "request_reach_from_demand",
    "request_reopen",
    "request_score",
    "check_can_score",
    "request_start",
    "request_submit",
    "request_transition",
    "request_triage",
    "request_update",
    "request_watch",
    "request_withdraw",
    "supply_match",
]
