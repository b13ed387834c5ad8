"""What keeps the data URLs fair to everyone: the client's address, a rate limit per address, CORS.

Settings (environment variables, read when the server starts):

==============================  ====================================================  =========
``DASHBOARD_API_RATE``          requests per minute one client address may make        ``120``
``DASHBOARD_API_BURST``         requests it may make at once before the rate applies   ``30``
``DASHBOARD_API_STREAMS``       whole-selection answers one address may have running   ``2``
``DASHBOARD_API_CORS_ORIGIN``   an origin allowed to read the answers from its pages   (none)
                                (``https://news.example.org``, or ``*`` for any)
``DASHBOARD_TRUSTED_PROXIES``   addresses of reverse proxies whose                    (none)
                                ``X-Forwarded-For`` names the client
==============================  ====================================================  =========
"""
from __future__ import annotations

import ipaddress
import math
import os
import threading
import time
from dataclasses import dataclass, field
from typing import Mapping

RATE_ENV, BURST_ENV, STREAMS_ENV = "DASHBOARD_API_RATE", "DASHBOARD_API_BURST", "DASHBOARD_API_STREAMS"
CORS_ENV, PROXIES_ENV = "DASHBOARD_API_CORS_ORIGIN", "DASHBOARD_TRUSTED_PROXIES"
DEFAULT_RATE, DEFAULT_BURST, DEFAULT_STREAMS = 120, 30, 2
#: Addresses remembered at most; the least recently seen are forgotten first (their bucket is full again anyway).
MAX_CLIENTS = 10_000


class SettingError(ValueError):
    """A data URL setting that cannot be used; the message names the variable, its value and what it takes."""


@dataclass(frozen=True)
class ApiSettings:
    """The data URLs' limits and CORS origin (see the module's table)."""

    rate_per_minute: int = DEFAULT_RATE
    burst: int = DEFAULT_BURST
    streams: int = DEFAULT_STREAMS
    cors_origin: str | None = None
    trusted_proxies: tuple[str, ...] = ()

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> "ApiSettings":
        environ = os.environ if environ is None else environ
        origin = environ.get(CORS_ENV, "").strip() or None
        if origin is not None and origin != "*" and not (origin.startswith(("http://", "https://"))
                                                         and "/" not in origin.split("://", 1)[1]):
            raise SettingError(f"{CORS_ENV} was {origin!r} but is expected to be an origin such as "
                               "https://news.example.org (scheme and host, no path) or *")
        proxies = tuple(p.strip() for p in environ.get(PROXIES_ENV, "").split(",") if p.strip())
        for proxy in proxies:
            try:
                ipaddress.ip_address(proxy)
            except ValueError:
                raise SettingError(f"{PROXIES_ENV} names {proxy!r}, which is not an IP address") from None
        return cls(rate_per_minute=_positive(environ, RATE_ENV, DEFAULT_RATE),
                   burst=_positive(environ, BURST_ENV, DEFAULT_BURST),
                   streams=_positive(environ, STREAMS_ENV, DEFAULT_STREAMS),
                   cors_origin=origin, trusted_proxies=proxies)


def _positive(environ: Mapping[str, str], name: str, default: int) -> int:
    raw = environ.get(name, "").strip()
    if not raw:
        return default
    if not raw.isdigit() or int(raw) < 1:
        raise SettingError(f"{name} was {raw!r} but is expected to be a whole number of at least 1")
    return int(raw)


def client_address(peer: str | None, forwarded_for: str | None, trusted: tuple[str, ...]) -> str:
    """The address a request came from: the peer's, or, when the peer is a trusted proxy, the last address in
    ``X-Forwarded-For`` that is not itself a trusted proxy (earlier entries can be written by the client)."""
    peer = peer or "unknown"
    if peer not in trusted or not forwarded_for:
        return peer
    for hop in reversed([part.strip() for part in forwarded_for.split(",") if part.strip()]):
        if hop not in trusted:
            return hop
    return peer


@dataclass
class _Bucket:
    tokens: float
    stamp: float
    streams: int = 0


@dataclass
class RateLimiter:
    """A token bucket per client address: ``burst`` requests at once, refilled at ``rate_per_minute``.

    Thread-safe; ``clock`` is replaceable for tests.
    """

    rate_per_minute: int
    burst: int
    streams: int
    clock: object = time.monotonic
    _buckets: dict = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def take(self, address: str) -> float:
        """Count one request from ``address``: 0 when it may go ahead, else the seconds until it may."""
        now = self.clock()
        rate = self.rate_per_minute / 60.0
        with self._lock:
            bucket = self._bucket(address, now)
            bucket.tokens = min(self.burst, bucket.tokens + (now - bucket.stamp) * rate)
            bucket.stamp = now
            if bucket.tokens >= 1:
                bucket.tokens -= 1
                return 0.0
            return (1 - bucket.tokens) / rate

    def open_stream(self, address: str) -> bool:
        """Start a whole-selection answer for ``address`` unless it has :attr:`streams` running already."""
        with self._lock:
            bucket = self._bucket(address, self.clock())
            if bucket.streams >= self.streams:
                return False
            bucket.streams += 1
            return True

    def close_stream(self, address: str) -> None:
        with self._lock:
            bucket = self._buckets.get(address)
            if bucket is not None and bucket.streams:
                bucket.streams -= 1

    def _bucket(self, address: str, now: float) -> _Bucket:
        bucket = self._buckets.pop(address, None) or _Bucket(float(self.burst), now)
        self._buckets[address] = bucket  # most recently seen last
        while len(self._buckets) > MAX_CLIENTS:
            oldest = next(iter(self._buckets))
            if self._buckets[oldest].streams:
                break
            del self._buckets[oldest]
        return bucket


def retry_after(seconds: float) -> str:
    """The ``Retry-After`` header's value: whole seconds, at least 1."""
    return str(max(1, math.ceil(seconds)))
