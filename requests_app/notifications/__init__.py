"""Notifications: the outbox (rows written with the event), channels that deliver them,
who gets what, and the user's preferences.

Delivery guarantee: **at-least-once delivery, exactly-once effect.**

- Nothing is lost. A row is committed with the event that causes it; Celery delivers it after
  commit, and the sweep re-dispatches whatever a dead broker or a killed worker left pending
  (a killed worker's rows once its lease has run out). A row is marked `sent` only after the
  channel accepted it.
- Two workers never send one row. A worker claims a batch in one short transaction
  (``SELECT … FOR UPDATE SKIP LOCKED``, then a lease: ``claimed_until``); no one else takes a
  row under a live lease, and the lease outlasts any batch (the task is killed at its hard time
  limit, and no send starts late in the lease).
- A send can be repeated. The worker sends the claimed rows one by one and records each
  outcome in its own statement right after that send. If it dies between the receiver
  accepting and that record, the row stays `pending` and is sent again once the lease runs
  out: only the message in flight at the crash, at most once per crash (the rows it had not
  reached were never sent).
- The repeat has no effect. Every message carries a stable idempotency key derived from the
  row's unique ``dedupe_key``: webhooks send it as the ``Idempotency-Key`` header, emails as a
  Message-ID derived from it (`email.message_id`), digests from the keys of their rows. A
  receiver that honours the key (as the test sinks do) keeps each notification exactly once;
  the in-app inbox is the row itself, written once.
"""
