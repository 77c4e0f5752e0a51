"""``warmhome credentials USERNAME --password --two-factor``: reset an account's credentials on
the server.

For the accounts the system administrator may not reset in the browser (a security or audit
administrator: 三员分立) and for a locked-out last administrator. Whoever can run this holds the
server, so it acts as the system; the change is audited like one made in the browser, and one
security event ``credentials_reset`` names the operating-system user who ran it. A new
temporary password is printed once and must be changed at the next sign-in.
"""

import getpass
import secrets
import string

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.utils.translation import gettext as _

from warmhome.accounts.models import User
from warmhome.accounts.services import user_password_reset, user_two_factor_reset
from warmhome.core.audit.services import security_event_log


def temporary_password() -> str:
    """Twelve characters of four kinds (the password rules ask for three of four)."""
    kinds = (string.ascii_uppercase, string.ascii_lowercase, string.digits, "-_.!")
    letters = [secrets.choice(kind) for kind in kinds]
    letters += [secrets.choice(string.ascii_letters + string.digits) for _ in range(8)]
    secrets.SystemRandom().shuffle(letters)
    return "".join(letters)


def _os_user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return ""


class Command(BaseCommand):
    help = "Reset an account's password and/or authenticator app on the server (audited)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("--password", action="store_true", help="set a temporary password")
        parser.add_argument(
            "--two-factor", action="store_true", help="remove the authenticator app"
        )

    def handle(self, *args: object, **options: object) -> None:
        if not options["password"] and not options["two_factor"]:
            raise CommandError(_("请指定 --password 或 --two-factor（或两者）。"))
        user = User.objects.filter(username=options["username"]).first()
        if user is None:
            raise CommandError(_("没有用户名为“%(name)s”的账号。") % {"name": options["username"]})
        password = temporary_password() if options["password"] else ""
        try:
            with transaction.atomic():
                if password:
                    user_password_reset(actor=None, user=user, new_password=password)
                if options["two_factor"]:
                    user_two_factor_reset(actor=None, user=user)
                security_event_log(
                    event="credentials_reset",
                    actor=None,
                    outcome="success",
                    detail={
                        "user": user.username,
                        "password": bool(password),
                        "two_factor": bool(options["two_factor"]),
                        "os_user": _os_user(),
                    },
                )
        except ValidationError as refused:
            raise CommandError("；".join(refused.messages)) from None
        if password:
            self.stdout.write(
                _("临时密码（只显示这一次，首次登录须修改）：%(password)s") % {"password": password}
            )
        if options["two_factor"]:
            self.stdout.write(_("已移除验证器应用，下次登录时重新绑定。"))
