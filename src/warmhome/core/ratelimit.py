"""A per-address limit on the public forms (sign-up, check-in, help requests, opinions): no
CAPTCHA on a phone page.

A fixed one-minute window counted in Django's cache: a venue's shared Wi-Fi gets a generous
limit; a script trying names and phones is slowed to it. The answers themselves tell nothing of
the registry, so the limit is a brake on spam, not the only protection. With the default
in-memory cache each server worker counts alone (two workers let twice the limit through);
``WARMHOME_CACHE_URL`` names a Redis server whose count they share (settings, Cache).
"""

import time
from typing import Any

from django.core.cache import cache

from warmhome.core.request_context import client_ip_of


def current_window() -> int:
    """The number of the current one-minute window."""
    return int(time.time() // 60)


def allow(request: Any, scope: str, per_minute: int) -> bool:
    """Count this request; ``False`` once the address went over ``per_minute`` this minute."""
    address = client_ip_of(request) or "unknown"
    key = f"rate:{scope}:{address}:{current_window()}"
    if cache.add(key, 1, timeout=90):
        count = 1
    else:
        try:
            count = cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.add(key, 1, timeout=90)
            count = 1
    return count <= per_minute
