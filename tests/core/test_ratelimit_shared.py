"""With WARMHOME_CACHE_URL the server's workers share one count per address: two separate
cache connections (two gunicorn workers) stop an address at the limit together. Needs the
Redis server at 127.0.0.1:6379 (present on the development and CI machines)."""

import os
import socket
import subprocess
import sys
import uuid

import pytest
from django.core.cache.backends.redis import RedisCache
from django.test import RequestFactory

from warmhome.core import ratelimit

REDIS = ("127.0.0.1", 6379)


def _redis_up() -> bool:
    try:
        with socket.create_connection(REDIS, timeout=0.5):
            return True
    except OSError:
        return False


@pytest.mark.skipif(not _redis_up(), reason="needs Redis at 127.0.0.1:6379")
def test_two_workers_sharing_redis_stop_an_address_at_the_limit_together(monkeypatch):
    prefix = f"warmhome-test-{uuid.uuid4().hex}"
    worker_caches = [
        RedisCache(f"redis://{REDIS[0]}:{REDIS[1]}/15", {"KEY_PREFIX": prefix}) for _ in range(2)
    ]
    request = RequestFactory().post("/activities/x/check-in/", REMOTE_ADDR="203.0.113.7")
    monkeypatch.setattr(ratelimit, "current_window", lambda: 42)
    answers = []
    try:
        for turn in range(6):  # the requests alternate between the two workers
            monkeypatch.setattr(ratelimit, "cache", worker_caches[turn % 2])
            answers.append(ratelimit.allow(request, "activities.checkin", 4))
    finally:
        worker_caches[0].delete("rate:activities.checkin:203.0.113.7:42")

    assert answers == [True, True, True, True, False, False]


def test_the_environment_picks_the_shared_cache():
    probe = (
        "from django.conf import settings; "
        "print(settings.CACHES['default']['BACKEND'], settings.CACHES['default'].get('LOCATION'))"
    )
    environment = {**os.environ, "DJANGO_SETTINGS_MODULE": "warmhome.settings"}

    shared = subprocess.run(  # noqa: S603 - our interpreter, our code
        [sys.executable, "-c", probe],
        env={**environment, "WARMHOME_CACHE_URL": "redis://127.0.0.1:6379/3"},
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    alone = subprocess.run(  # noqa: S603
        [sys.executable, "-c", probe],
        env={key: value for key, value in environment.items() if key != "WARMHOME_CACHE_URL"},
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()

    assert shared == ["django.core.cache.backends.redis.RedisCache", "redis://127.0.0.1:6379/3"]
    assert alone == ["django.core.cache.backends.locmem.LocMemCache", "None"]
