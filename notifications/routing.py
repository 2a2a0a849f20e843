"""Which Celery queue a delivery batch goes to: webhooks on a queue of their own.

A receiver may hang until the send's deadline (core.outbound); with every batch on one queue, a
few slow receivers occupy every worker process and in-app and email rows wait behind them. Batches
are never mixed (`services.batches` keeps webhooks apart), so the first row says where a batch
goes. Production runs a worker per queue (docker-compose.yml: ``worker`` on ``celery``,
``worker-webhooks`` on ``webhooks``); a worker started without ``-Q`` consumes both.
"""

from __future__ import annotations

from notifications.models import Notification

DELIVER_TASK = "notifications.tasks.deliver_notifications"
WEBHOOK_QUEUE = "webhooks"


def route_task(name, args, kwargs, options, task=None, **kw):
    """Celery router (``CELERY_TASK_ROUTES``): a webhook batch goes to `WEBHOOK_QUEUE`."""
    if name != DELIVER_TASK:
        return None
    ids = (args[0] if args else kwargs.get("ids")) or []
    first = Notification.objects.filter(pk__in=list(ids)[:1]).values_list("channel", flat=True)
    if list(first) == [Notification.Channel.WEBHOOK]:
        return {"queue": WEBHOOK_QUEUE}
    return None
