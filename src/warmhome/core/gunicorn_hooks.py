"""gunicorn's settings for WarmHome (``gunicorn -c python:warmhome.core.gunicorn_hooks``, which
``warmhome serve`` passes): each worker starts the apps' warm-ups once it has loaded the
application (``core.warmup``)."""

from typing import Any


def post_worker_init(worker: Any) -> None:
    from warmhome.core import warmup

    warmup.start()
