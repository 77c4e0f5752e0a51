"""Writing accounts, roles and posts.

Who may call what is checked here, not only in the views (三员分立): ``user_*`` need
``accounts.manage_users``, ``role_*`` need ``accounts.manage_roles``, ``post_*`` need
``accounts.manage_posts`` over the post's organisation. Nobody grants herself a post or edits the
actions of a role she holds. ``actor=None`` means the server console (demo loading, bootstrapping
the first administrators by command); pages and the API always pass the signed-in user.
"""

import datetime
import re
import secrets

from django.contrib.auth import password_validation
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from warmhome.accounts.default_roles import DEFAULT_ROLES
from warmhome.accounts.models import Post, RecoveryCode, Role, User
from warmhome.core import actions as action_registry
from warmhome.core.audit.services import attributed_service, security_event_log
from warmhome.core.identifiers import normalise_phone
from warmhome.orgs.models import OrgUnit

# --- administration: who may call what ------------------------------------------------------

MANAGE_USERS = "accounts.manage_users"
MANAGE_ROLES = "accounts.manage_roles"
MANAGE_POSTS = "accounts.manage_posts"

_Errors = dict[str, list[str]]


def _require(actor: User | None, action: str) -> None:
    if actor is not None and not actor.has_action(action):
        raise PermissionDenied(
            _("您没有“%(action)s”的权限。") % {"action": action_registry.get(action).label}
        )


def _require_posts_over(actor: User | None, org: OrgUnit) -> None:
    if actor is not None and not actor.has_action(MANAGE_POSTS, org):
        raise PermissionDenied(_("您无权管理“%(org)s”的岗位。") % {"org": org.name})


def _add(errors: _Errors, field: str, message: str) -> None:
    errors.setdefault(field, []).append(message)


# --- users (system administrator) ------------------------------------------------------------


def _clean_username(username: str, errors: _Errors) -> str:
    username = username.strip()
    if not username:
        _add(errors, "username", _("请填写用户名。"))
        return username
    try:
        User.username_validator(username)
    except ValidationError:
        _add(errors, "username", _("用户名只能包含字母、数字和 @ . + - _ 字符。"))
    if len(username) > 150:  # AbstractUser.username's max_length
        _add(errors, "username", _("用户名不能超过 150 个字符。"))
    if User.objects.filter(username__iexact=username).exists():
        _add(
            errors,
            "username",
            _("用户名“%(username)s”已被使用，请换一个。") % {"username": username},
        )
    return username


def _clean_profile(*, display_name: str, phone: str, email: str, errors: _Errors) -> dict[str, str]:
    display_name = display_name.strip()
    if not display_name:
        _add(errors, "display_name", _("请填写姓名。"))
    if phone.strip():
        try:
            phone = normalise_phone(phone)
        except ValidationError as invalid:
            errors.setdefault("phone", []).extend(invalid.messages)
    else:
        phone = ""
    email = email.strip()
    if email:
        try:
            validate_email(email)
        except ValidationError:
            _add(errors, "email", _("电子邮箱“%(email)s”格式不正确。") % {"email": email})
    return {"display_name": display_name, "phone": phone, "email": email}


def _check_password(password: str, user: User, field: str, errors: _Errors) -> None:
    try:
        password_validation.validate_password(password, user=user)
    except ValidationError as invalid:
        errors.setdefault(field, []).extend(invalid.messages)


@attributed_service
@transaction.atomic
def user_create(
    *,
    actor: User | None,
    username: str,
    display_name: str,
    phone: str = "",
    email: str = "",
    initial_password: str,
) -> User:
    """Open an account; its holder must change the initial password at first login."""
    _require(actor, MANAGE_USERS)
    errors: _Errors = {}
    username = _clean_username(username, errors)
    profile = _clean_profile(display_name=display_name, phone=phone, email=email, errors=errors)
    user = User(username=username, must_change_password=True, **profile)
    _check_password(initial_password, user, "initial_password", errors)
    if errors:
        raise ValidationError(errors)
    user.set_password(initial_password)
    try:
        with transaction.atomic():
            user.save()
    except IntegrityError:
        # A second request with the same username won the race.
        raise ValidationError(
            {"username": _("用户名“%(username)s”已被使用，请换一个。") % {"username": username}}
        ) from None
    return user


@attributed_service
@transaction.atomic
def user_update(
    *, actor: User | None, user: User, display_name: str, phone: str, email: str
) -> User:
    """Change an account's name and contact details (the username never changes)."""
    _require(actor, MANAGE_USERS)
    errors: _Errors = {}
    profile = _clean_profile(display_name=display_name, phone=phone, email=email, errors=errors)
    if errors:
        raise ValidationError(errors)
    for field, value in profile.items():
        setattr(user, field, value)
    user.save()
    return user


@attributed_service
@transaction.atomic
def user_disable(*, actor: User | None, user: User) -> User:
    """Disable an account: no sign-in, no API token, and its posts grant nothing."""
    _require(actor, MANAGE_USERS)
    if actor is not None and actor.pk == user.pk:
        raise ValidationError(_("不能停用自己的账号。"))
    _refuse_switching_other_duty(actor, user)
    if user.is_active:
        user.is_active = False
        user.save()
        user.forget_grants()
    return user


@attributed_service
@transaction.atomic
def user_enable(*, actor: User | None, user: User) -> User:
    """Enable a disabled account again; its current posts grant again."""
    _require(actor, MANAGE_USERS)
    _refuse_switching_other_duty(actor, user)
    if not user.is_active:
        user.is_active = True
        user.save()
        user.forget_grants()
    return user


#: the duties whose holders' credentials the system administrator may not reset
_GUARDED_DUTIES = (Role.AdminDuty.SECURITY, Role.AdminDuty.AUDIT)


def _guarded_duties(actor: User | None, user: User) -> str:
    """The security and audit duties ``user`` holds, named for a message; empty when she holds
    none or when the system itself acts (``actor`` None)."""
    if actor is None:
        return ""
    return _("、").join(
        sorted(
            {
                str(Role.AdminDuty(duty).label)
                # posts still to begin count, and those of a disabled account (not "current")
                for duty in _unfinished_posts(user)
                .filter(role__admin_duty__in=_GUARDED_DUTIES)
                .values_list("role__admin_duty", flat=True)
            }
        )
    )


def _refuse_other_duty(actor: User | None, user: User) -> None:
    """三员分立: the system administrator manages accounts, but resetting a security or audit
    administrator's password and authenticator would let her sign in as one. Those are reset
    on the server (``warmhome credentials``, actor the system, audited with the OS user)."""
    duties = _guarded_duties(actor, user)
    if duties:
        raise ValidationError(
            _(
                "该账号担任%(duties)s，系统管理员不能重置其密码或验证器（三员分立）。"
                "请由运维人员在服务器上执行 warmhome credentials 命令重置，操作记入审计日志。"
            )
            % {"duties": duties}
        )


def _refuse_switching_other_duty(actor: User | None, user: User) -> None:
    """三员分立: the system administrator may not silence the administrators who watch her
    (disabling the audit administrator) nor bring one back on her own. A security administrator
    ends the post first; the account is then an ordinary one."""
    duties = _guarded_duties(actor, user)
    if duties:
        raise ValidationError(
            _(
                "该账号担任%(duties)s，系统管理员不能停用或启用（三员分立）。"
                "请先由安全管理员结束其岗位，再停用或启用账号。"
            )
            % {"duties": duties}
        )


@attributed_service
@transaction.atomic
def user_password_reset(*, actor: User | None, user: User, new_password: str) -> User:
    """Set a temporary password that its holder must change at the next sign-in."""
    _require(actor, MANAGE_USERS)
    if actor is not None and actor.pk == user.pk:
        raise ValidationError(_("不能在这里重置自己的密码，请使用“修改密码”。"))
    _refuse_other_duty(actor, user)
    errors: _Errors = {}
    _check_password(new_password, user, "new_password", errors)
    if errors:
        raise ValidationError(errors)
    user.set_password(new_password)
    user.must_change_password = True
    user.save()
    return user


@attributed_service
@transaction.atomic
def user_two_factor_reset(*, actor: User | None, user: User) -> User:
    """Remove the account's authenticator app (a lost or replaced phone): at the next sign-in
    its holder registers a new one, and a session verified with the old one is asked again."""
    _require(actor, MANAGE_USERS)
    if actor is not None and actor.pk == user.pk:
        raise ValidationError(_("不能重置自己的验证器，请联系另一位系统管理员。"))
    _refuse_other_duty(actor, user)
    removed, _per_model = TOTPDevice.objects.filter(user=user).delete()
    if not removed:
        raise ValidationError(_("该账号尚未设置验证器应用，无需重置。"))
    RecoveryCode.objects.filter(user=user).delete()  # they stood in for the removed app
    security_event_log(
        event="two_factor_reset",
        actor=actor,
        outcome="success",
        detail={"user": user.username},
    )
    return user


# --- roles (security administrator) ----------------------------------------------------------


def _validate_role_actions(*, admin_duty: str, actions: list[str]) -> None:
    unknown = [code for code in actions if not action_registry.is_registered(code)]
    if unknown:
        raise ValidationError(
            {"actions": _("未知的动作：%(codes)s") % {"codes": "、".join(sorted(unknown))}}
        )
    foreign = [
        action_registry.get(code)
        for code in actions
        if action_registry.get(code).admin_duty not in ("", admin_duty)
    ]
    if not foreign:
        return
    names = _("、").join(f"{action.label}{_('（')}{action.code}{_('）')}" for action in foreign)
    if not admin_duty:
        message = _("业务角色不能授予管理员权限：%(actions)s。") % {"actions": names}
    else:
        message = _(
            "%(duty)s角色不能授予其他管理员职责的权限：%(actions)s。"
            "系统管理、安全管理和审计管理须分属不同角色（三员分立）。"
        ) % {"duty": Role.AdminDuty(admin_duty).label, "actions": names}
    raise ValidationError({"actions": message})


def _clean_role_fields(
    *, name: str, actions: list[str], admin_duty: str, requires_two_factor: bool, errors: _Errors
) -> tuple[str, list[str]]:
    name = name.strip()
    if not name:
        _add(errors, "name", _("请填写角色名称。"))
    if admin_duty and not requires_two_factor:
        _add(errors, "requires_two_factor", _("管理员角色必须启用双因素认证。"))
    actions = sorted(set(actions))
    try:
        _validate_role_actions(admin_duty=admin_duty, actions=actions)
    except ValidationError as invalid:
        for field, messages in invalid.message_dict.items():
            errors.setdefault(field, []).extend(messages)
    return name, actions


@transaction.atomic
def roles_ensure_defaults() -> int:
    """Create the default roles that do not exist yet, and grant the existing ones each default
    action they have not been offered before (a new module's); return how many roles changed.

    An action the security administrator removed after it was offered is never granted again.
    """
    changed = 0
    for spec in DEFAULT_ROLES:
        defaults = [code for code in spec["actions"] if action_registry.is_registered(code)]
        role = Role.objects.filter(code=spec["code"]).first()
        if role is None:
            Role.objects.create(
                code=spec["code"],
                name=str(spec["name"]),
                description=str(spec.get("description", "")),
                admin_duty=spec.get("admin_duty", ""),
                requires_two_factor=spec.get("requires_two_factor", False),
                actions=defaults,
                offered_actions=defaults,
            )
            changed += 1
            continue
        new = [code for code in defaults if code not in role.offered_actions]
        if not new:
            continue
        role.actions = [*role.actions, *(code for code in new if code not in role.actions)]
        role.offered_actions = [*role.offered_actions, *new]
        role.save(update_fields=["actions", "offered_actions", "updated_at"])
        changed += 1
    return changed


_ROLE_CODE = re.compile(r"[a-z][a-z0-9_]{1,49}")


@attributed_service
@transaction.atomic
def role_create(
    *,
    actor: User | None,
    code: str,
    name: str,
    description: str = "",
    admin_duty: str = "",
    actions: list[str],
    requires_two_factor: bool = False,
) -> Role:
    """Add a role granting ``actions``; the three administrator duties never share a role."""
    _require(actor, MANAGE_ROLES)
    errors: _Errors = {}
    code = code.strip()
    if not _ROLE_CODE.fullmatch(code):
        _add(
            errors, "code", _("角色代码须以小写字母开头，只含小写字母、数字和下划线，2–50 个字符。")
        )
    elif Role.objects.filter(code=code).exists():
        _add(errors, "code", _("角色代码“%(code)s”已被使用。") % {"code": code})
    if admin_duty not in Role.AdminDuty.values:
        _add(errors, "admin_duty", _("未知的管理职责：%(duty)s。") % {"duty": admin_duty})
        admin_duty = ""
    name, actions = _clean_role_fields(
        name=name,
        actions=actions,
        admin_duty=admin_duty,
        requires_two_factor=requires_two_factor,
        errors=errors,
    )
    if errors:
        raise ValidationError(errors)
    return Role.objects.create(
        code=code,
        name=name,
        description=description.strip(),
        admin_duty=admin_duty,
        actions=actions,
        requires_two_factor=requires_two_factor,
    )


@attributed_service
@transaction.atomic
def role_update(
    *,
    actor: User | None,
    role: Role,
    name: str,
    description: str,
    actions: list[str],
    requires_two_factor: bool | None = None,
) -> Role:
    """Change a role's name and actions; nobody edits a role she holds herself."""
    _require(actor, MANAGE_ROLES)
    if actor is not None and actor.current_posts().filter(role=role).exists():
        raise PermissionDenied(_("不能修改自己所担任的角色（职责分离）。"))
    if requires_two_factor is None:
        requires_two_factor = role.requires_two_factor
    errors: _Errors = {}
    name, actions = _clean_role_fields(
        name=name,
        actions=actions,
        admin_duty=role.admin_duty,
        requires_two_factor=requires_two_factor,
        errors=errors,
    )
    if errors:
        raise ValidationError(errors)
    role.name = name
    role.description = description.strip()
    role.actions = actions
    role.requires_two_factor = requires_two_factor
    role.save()
    return role


# --- posts (security administrator) ----------------------------------------------------------


def _unfinished_posts(user: User) -> QuerySet[Post]:
    """Posts that are current or still to begin."""
    today = timezone.localdate()
    return Post.objects.filter(
        Q(valid_to__isnull=True) | Q(valid_to__gte=today), user=user, is_active=True
    )


def _check_post(
    *,
    user: User,
    org: OrgUnit,
    role: Role,
    valid_from: datetime.date,
    valid_to: datetime.date | None,
) -> None:
    if not user.is_active:
        raise ValidationError({"user": _("账号“%(user)s”已停用，不能安排岗位。") % {"user": user}})
    if not org.is_active:
        raise ValidationError({"org": _("组织“%(org)s”已停用，不能安排岗位。") % {"org": org.name}})
    if valid_to and valid_to < valid_from:
        raise ValidationError({"valid_to": _("任职止日期不能早于任职起日期。")})
    if role.admin_duty:
        other_duties = _unfinished_posts(user).exclude(role__admin_duty__in=["", role.admin_duty])
        if other_duties.exists():
            raise ValidationError(
                _("该用户已担任其他类别的管理员岗位，系统、安全、审计管理员不能由同一人兼任。")
            )


@attributed_service
@transaction.atomic
def post_create(
    *,
    actor: User | None,
    user: User,
    org: OrgUnit,
    role: Role,
    title: str = "",
    valid_from: datetime.date | None = None,
    valid_to: datetime.date | None = None,
) -> Post:
    """Give ``user`` a post; the three administrator duties never meet in one person."""
    _require_posts_over(actor, org)
    if actor is not None and actor.pk == user.pk:
        raise PermissionDenied(_("不能给自己安排岗位（职责分离）。"))
    valid_from = valid_from or timezone.localdate()
    _check_post(user=user, org=org, role=role, valid_from=valid_from, valid_to=valid_to)
    earlier = Post.objects.select_for_update().filter(user=user, org=org, role=role).first()
    if earlier is not None:
        if _unfinished_posts(user).filter(pk=earlier.pk).exists():
            raise ValidationError(_("该用户在此组织已担任此角色。"))
        # One row per (user, org, role): a re-appointment reopens the ended post; the audit
        # trail keeps the earlier term.
        post = earlier
    else:
        post = Post(user=user, org=org, role=role)
    post.title = title.strip()
    post.valid_from = valid_from
    post.valid_to = valid_to
    post.is_active = True
    try:
        with transaction.atomic():
            post.save()
    except IntegrityError:
        # The same form sent twice at once: the first request created the post.
        raise ValidationError(_("该用户在此组织已担任此角色。")) from None
    user.forget_grants()
    return post


@attributed_service
@transaction.atomic
def post_end(*, actor: User | None, post: Post, on: datetime.date) -> Post:
    """End a post with ``on`` as its last day; the record stays, for the history."""
    _require_posts_over(actor, post.org)
    if actor is not None and actor.pk == post.user_id:
        raise PermissionDenied(_("不能结束自己的岗位（职责分离）。"))
    today = timezone.localdate()
    if not post.is_active or (post.valid_to is not None and post.valid_to < today):
        raise ValidationError(_("该岗位已经结束。"))
    if post.valid_from and on < post.valid_from:
        raise ValidationError(
            {"on": _("结束日期不能早于任职起日期（%(day)s）。") % {"day": post.valid_from}}
        )
    post.valid_to = on
    # Ending today (or earlier) takes effect at once, not at midnight.
    post.is_active = on > today
    post.save()
    post.user.forget_grants()
    return post


# --- own password and second factor (security baseline) -------------------------------------


@transaction.atomic
def password_set(*, actor: User | None, user: User, new_password: str) -> User:
    """Change ``user``'s own password under the rules; restarts its age, ends a forced change."""
    if actor is not None and actor.pk != user.pk:
        raise PermissionDenied(_("只能修改自己的密码；为他人设置密码请使用“重置密码”。"))
    if user.check_password(new_password):
        raise ValidationError(_("新密码不能与当前密码相同。"), code="password_unchanged")
    password_validation.validate_password(new_password, user=user)
    user.set_password(new_password)
    user.password_changed_at = timezone.now()
    user.must_change_password = False
    user.save()
    security_event_log(event="password_change", actor=user, outcome="success")
    return user


@transaction.atomic
def totp_device_confirm(*, actor: User, key: str, token: str) -> TOTPDevice:
    """Register the authenticator app holding ``key`` once it shows a valid ``token``."""
    if TOTPDevice.objects.filter(user=actor, confirmed=True).exists():
        raise ValidationError(_("您已设置过验证器应用；如需更换，请联系系统管理员重置。"))
    device = TOTPDevice(user=actor, name=str(_("验证器应用")), key=key, confirmed=True)
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    if not totp.verify(int(token), device.tolerance):
        raise ValidationError(
            _("验证码不正确。请确认已扫描本页二维码，且手机时间准确，再输入最新的验证码。")
        )
    # The code just used cannot verify a session again.
    device.last_t = totp.t()
    TOTPDevice.objects.filter(user=actor).delete()
    device.save()
    security_event_log(event="two_factor_setup", actor=actor, outcome="success")
    return device


#: how many recovery codes a set holds, and their length (without the hyphen)
RECOVERY_CODE_COUNT = 10
RECOVERY_CODE_LENGTH = 10
# No 0/o, 1/l/i: the codes are copied by hand from paper.
_RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"


def recovery_code_normalise(text: str) -> str:
    """A typed recovery code as issued: lower case, without spaces and hyphens."""
    return "".join(ch for ch in text.lower() if ch.isalnum())


def _recovery_code_hash(code: str) -> str:
    # Keyed: a leaked database must not let anyone try the codes offline.
    return salted_hmac("warmhome.accounts.recovery_code", code, algorithm="sha256").hexdigest()


@transaction.atomic
def recoverycodes_issue(*, actor: User) -> list[str]:
    """A new set of one-time recovery codes for ``actor``, shown once (the earlier set stops
    working). Only for an account with an authenticator app: they stand in for it."""
    if not TOTPDevice.objects.filter(user=actor, confirmed=True).exists():
        raise ValidationError(_("请先设置验证器应用，再生成恢复码。"))
    codes = [
        "".join(secrets.choice(_RECOVERY_ALPHABET) for _ in range(RECOVERY_CODE_LENGTH))
        for _ in range(RECOVERY_CODE_COUNT)
    ]
    RecoveryCode.objects.filter(user=actor).delete()
    RecoveryCode.objects.bulk_create(
        [RecoveryCode(user=actor, code_hash=_recovery_code_hash(code)) for code in codes]
    )
    security_event_log(
        event="recovery_codes_issue",
        actor=actor,
        outcome="success",
        detail={"count": RECOVERY_CODE_COUNT},
    )
    half = RECOVERY_CODE_LENGTH // 2
    return [f"{code[:half]}-{code[half:]}" for code in codes]


def recoverycode_use(*, actor: User, code: str) -> TOTPDevice:
    """Sign in with a recovery code instead of the app's code: the code is used up. Wrong
    codes count towards the app's throttling, and every attempt is audited. Returns the app's
    device, which the session is then verified with."""
    with transaction.atomic():
        device = TOTPDevice.objects.select_for_update().filter(user=actor, confirmed=True).first()
        if device is None:
            raise ValidationError(_("您还没有设置验证器应用。"))
        allowed, _why = device.verify_is_allowed()
        # Locked: two sign-ins with the same code at once, and only one gets in.
        found = (
            RecoveryCode.objects.select_for_update()
            .filter(
                user=actor,
                code_hash=_recovery_code_hash(recovery_code_normalise(code)),
                used_at__isnull=True,
            )
            .first()
            if allowed
            else None
        )
        if found is not None:
            found.used_at = timezone.now()
            found.save(update_fields=["used_at", "updated_at"])
            device.throttle_reset()
        elif allowed:
            device.throttle_increment()
        security_event_log(
            event="two_factor",
            actor=actor,
            outcome="success" if found is not None else "failure",
            detail={"recovery_code": True, **({} if allowed else {"throttled": True})},
        )
    # Raised after the commit: the failed attempt and its throttling must stay recorded.
    if not allowed:
        raise ValidationError(_("验证码错误次数过多，请稍等片刻再试。"), code="throttled")
    if found is None:
        raise ValidationError(_("恢复码不正确或已经用过。"))
    return device


def totp_device_verify(*, actor: User, token: str) -> TOTPDevice:
    """Check a code of ``actor``'s authenticator app; every attempt is audited."""
    with transaction.atomic():
        device = TOTPDevice.objects.select_for_update().filter(user=actor, confirmed=True).first()
        if device is None:
            raise ValidationError(_("您还没有设置验证器应用。"))
        allowed, _why = device.verify_is_allowed()
        verified = allowed and device.verify_token(token)
        security_event_log(
            event="two_factor",
            actor=actor,
            outcome="success" if verified else "failure",
            detail={} if allowed else {"throttled": True},
        )
    # Raised after the commit: the failed attempt and its throttling must stay recorded.
    if not allowed:
        raise ValidationError(_("验证码错误次数过多，请稍等片刻再试。"), code="throttled")
    if not verified:
        raise ValidationError(_("验证码不正确或已过期，请输入验证器应用当前显示的验证码。"))
    return device
