"""A Redis cache that degrades instead of failing: an unreachable Redis is a cache miss.

Throttling, the review cache and anything else on Django's cache read and write through it. When
Redis is down (or slow past its socket timeouts) reads answer the default, writes do nothing and
a warning is logged (at most once per ``WARN_EVERY_SECONDS``), so the API and the pages keep
answering: throttling fails open for the outage and the review is computed fresh. Sessions and
the sign-in lockout live in the database and do not depend on it.
"""

from __future__ import annotations

import functools
import logging
import time

from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.exceptions import RedisError

log = logging.getLogger(__name__)
WARN_EVERY_SECONDS = 30.0
_last_warning = [0.0]


def _warn(operation: str, exc: Exception) -> None:
    now = time.monotonic()
    if now - _last_warning[0] >= WARN_EVERY_SECONDS:
        _last_warning[0] = now
        log.warning(
            "Cache unavailable (%s: %s: %s); answering as a miss, throttling is open until "
            "Redis is back.",
            operation,
            exc.__class__.__name__,
            exc,
        )


def _degrading(operation: str, fallback):
    def wrap(method):
        @functools.wraps(method)
        def wrapper(self, *args, **kwargs):
            try:
                return method(self, *args, **kwargs)
            except (RedisError, OSError) as exc:
                _warn(operation, exc)
                return fallback(*args, **kwargs) if callable(fallback) else fallback

        return wrapper

    return wrap


def _default(key, default=None, version=None):
    return default


class ReusedClients(RedisCacheClient):
    """Django's client builds a `redis.Redis` around its connection pool for every operation (and
    with it a table of ~170 response callbacks): the API's throttle does two operations per call.
    One client per pool does the same work; a client shares its pool's connections safely
    between threads."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))  # pools live as long as this object
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class DegradingRedisCache(RedisCache):
    """Django's `RedisCache` whose every operation treats a Redis error as a miss (logged)."""

    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = ReusedClients

    add = _degrading("add", False)(RedisCache.add)
    get = _degrading("get", _default)(RedisCache.get)
    set = _degrading("set", None)(RedisCache.set)
    touch = _degrading("touch", False)(RedisCache.touch)
    delete = _degrading("delete", False)(RedisCache.delete)
    get_many = _degrading("get_many", {})(RedisCache.get_many)
    has_key = _degrading("has_key", False)(RedisCache.has_key)
    set_many = _degrading("set_many", [])(RedisCache.set_many)
    delete_many = _degrading("delete_many", None)(RedisCache.delete_many)
    clear = _degrading("clear", False)(RedisCache.clear)

    def incr(self, key, delta=1, version=None):
        try:
            return super().incr(key, delta, version)
        except (RedisError, OSError) as exc:
            _warn("incr", exc)
            raise ValueError(f"Key {key!r} not found (cache unavailable).") from exc
