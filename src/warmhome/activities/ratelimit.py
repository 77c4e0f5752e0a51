"""A per-address limit on the public sign-up and check-in forms (no CAPTCHA on a phone page).

A fixed one-minute window counted in Django's cache: a venue's shared Wi-Fi gets a generous
``activities.public_requests_per_minute``; a script trying names and phones is slowed to it. The
answers themselves tell nothing of the registry (``services.signup_self``), so the limit is a
brake on spam, not the only protection. With the default per-process cache each server worker
counts alone: configure a shared cache (Redis) when it matters.
"""

import time
from typing import Any

from django.core.cache import cache

from warmhome.core.request_context import client_ip_of
from warmhome.rules.selectors import policy_value


def allow(request: Any, scope: str) -> bool:
    """Count this request; ``False`` once the address went over the limit this minute."""
    address = client_ip_of(request) or "unknown"
    key = f"activities:rate:{scope}:{address}:{int(time.time() // 60)}"
    if cache.add(key, 1, timeout=90):
        count = 1
    else:
        try:
            count = cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.add(key, 1, timeout=90)
            count = 1
    return count <= int(policy_value("activities.public_requests_per_minute"))
