"""Reading the accounts' own records."""

from warmhome.accounts.models import RecoveryCode, User


def recoverycodes_left(user: User) -> int:
    """How many of ``user``'s recovery codes are still unused."""
    return RecoveryCode.objects.filter(user=user, used_at__isnull=True).count()
