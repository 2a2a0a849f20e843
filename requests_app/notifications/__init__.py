"""Notifications: the outbox (rows written with the event), channels that deliver them,
who gets what, and the user's preferences.

Delivery guarantee: **at-least-once delivery, exactly-once effect.**

- Nothing is lost. A row is committed with the event that causes it; Celery delivers it after
  commit, and the sweep re-dispatches whatever a dead broker or a killed worker left pending.
  A row is marked `sent` only after the channel accepted it.
- A send can be repeated. A worker claims a row (``SELECT … FOR UPDATE SKIP LOCKED``), sends,
  and marks it sent in the same transaction, so two workers never send a row at the same time.
  But if the worker dies between the receiver accepting and the commit, the row rolls back to
  `pending` and is sent again: only the message in flight at the crash, at most once per crash.
- The repeat has no effect. Every message carries a stable idempotency key derived from the
  row's unique ``dedupe_key``: webhooks send it as the ``Idempotency-Key`` header, emails as a
  Message-ID derived from it (`email.message_id`), digests from the keys of their rows. A
  receiver that honours the key (as the test sinks do) keeps each notification exactly once;
  the in-app inbox is the row itself, written once.
"""
