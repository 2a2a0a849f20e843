"""Notifications: the outbox (rows written with the event), channels that deliver them,
who gets what, and the user's preferences."""
