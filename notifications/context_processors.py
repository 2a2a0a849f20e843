"""Template context for every page: the unread notification count for the header badge."""

from notifications import services

BADGE_MAX = 99  # the badge shows "99+" beyond this


def unread_notifications(request) -> dict:
    """One indexed, capped COUNT per page for signed-in users; nothing for anonymous ones."""
    user = getattr(request, "user", None)
    if not (user and user.is_authenticated):
        return {}
    count = services.unread_count(user, cap=BADGE_MAX + 1)
    # A number for plurals, the text for the badge ("99+" once the count stops).
    return {"unread_count": count, "unread_badge": count if count <= BADGE_MAX else f"{BADGE_MAX}+"}
