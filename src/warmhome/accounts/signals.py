"""Security events of signing in and out, into the audit trail."""

from typing import Any

from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from warmhome.accounts.middleware import idle_clock_start
from warmhome.core.audit.services import security_event_log


@receiver(user_logged_in, dispatch_uid="warmhome_login_success")
def on_login(sender: Any, request: Any, user: Any, **_: Any) -> None:
    security_event_log(event="login", actor=user, outcome="success")


@receiver(user_logged_in, dispatch_uid="warmhome_idle_clock")
def on_login_start_idle_clock(sender: Any, request: Any, user: Any, **_: Any) -> None:
    # Started at sign-in, so that the first page after it needs no session write.
    if request is not None and hasattr(request, "session"):
        idle_clock_start(request)


@receiver(user_login_failed, dispatch_uid="warmhome_login_failure")
def on_login_failed(
    sender: Any, credentials: dict[str, Any], request: Any = None, **_: Any
) -> None:
    security_event_log(event="login", username=credentials.get("username", ""), outcome="failure")


@receiver(user_logged_out, dispatch_uid="warmhome_logout")
def on_logout(sender: Any, request: Any, user: Any, **_: Any) -> None:
    if user is not None:
        security_event_log(event="logout", actor=user, outcome="success")


@receiver(user_locked_out, dispatch_uid="warmhome_lockout")
def on_locked_out(sender: Any, request: Any, username: str, ip_address: str, **_: Any) -> None:
    security_event_log(event="lockout", username=username or "", detail={"ip": ip_address})


def ensure_default_roles(sender: Any, **_: Any) -> None:
    from warmhome.accounts.services import roles_ensure_defaults

    roles_ensure_defaults()
