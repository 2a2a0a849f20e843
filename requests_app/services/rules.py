"""The limits and inputs of requests, written once: the services enforce them, and the forms,
serializers and the API schema read them from here so every door states the same rule."""

from __future__ import annotations

# What a requester may set when filing or editing.
EDITABLE_FIELDS = (
    "title",
    "description",
    "business_need",
    "requesting_domain",
    "target_domain",
    "data_product",
    "proposed_product_name",
    "needed_by_cycle",
    "urgency",
)
MAX_TITLE = 200
MAX_TEXT = 20_000  # description and business need: a page of prose, not a data dump
MAX_REASON = 5_000
MAX_COMMENT = 20_000
MAX_EFFORT = 10_000  # effort points per cycle
MAX_REACH = 10_000_000  # people or uses per cycle

# What each action needs in its body, for the services, forms, the API schema and messages.
ACTION_INPUTS: dict[str, tuple[str, ...]] = {
    "accept": ("planned_cycle", "effort"),
    "decline": ("reason",),
    "defer": ("reason", "planned_cycle"),
    "mark_duplicate": ("duplicate_of",),
    "deliver": ("delivered_product",),
    "withdraw": ("reason",),
}
