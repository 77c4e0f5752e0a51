"""The sign-in rules of the policy table, in the form the sign-in machinery asks for them.

``accounts`` (the middleware) and django-axes cannot import ``rules`` (sibling layers, and a
library): the settings name these functions instead, as django-axes names its callables, so that
an administrator's change of a rule takes effect with the next request.
"""

from datetime import timedelta
from typing import Any

from warmhome.rules.selectors import policy_value


def lockout_failures(request: Any = None, credentials: Any = None) -> int:
    """Failed sign-ins that lock a username (``AXES_FAILURE_LIMIT``)."""
    return int(policy_value("security.lockout_failures"))


def lockout_cool_off(request: Any = None) -> timedelta:
    """How long a locked username rests (``AXES_COOLOFF_TIME``)."""
    return timedelta(minutes=int(policy_value("security.lockout_minutes")))


def password_max_age_days() -> int:
    """Days after which a password must be changed (``PASSWORD_MAX_AGE_DAYS``)."""
    return int(policy_value("security.password_max_age_days"))


def session_idle_timeout() -> timedelta:
    """Idle time after which a session is signed out (``SESSION_IDLE_TIMEOUT``)."""
    return timedelta(minutes=int(policy_value("security.session_idle_minutes")))
