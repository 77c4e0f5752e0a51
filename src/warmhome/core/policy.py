"""Reading the policy table from ``core``, which sits below ``rules`` in the import layers.

``rules`` registers its ``policy_value`` here when it is ready (``rules.apps``); the kernel
(workflow deadlines, import limits) reads policies through this module only.
"""

from collections.abc import Callable
from typing import Any

PolicyReader = Callable[[str], Any]

_policy_reader: PolicyReader | None = None


def set_policy_reader(func: PolicyReader | None) -> None:
    """Install the function that reads the current value of a policy key."""
    global _policy_reader
    _policy_reader = func


def policy_value(key: str) -> Any:
    """The value of policy ``key`` today, through the registered reader."""
    if _policy_reader is None:
        raise LookupError(f"No policy reader is registered; cannot read {key!r}.")
    return _policy_reader(key)
