"""Template context for every page: the unread notification count for the header badge."""

from notifications import services


def unread_notifications(request) -> dict:
    """One indexed COUNT per page for signed-in users; nothing for anonymous ones."""
    user = getattr(request, "user", None)
    if not (user and user.is_authenticated):
        return {}
    return {"unread_count": services.unread_count(user)}
