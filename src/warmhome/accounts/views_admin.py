"""Administration pages of the three separated administrators (三员分立).

Users and roles are not owned by an organisation: their pages are exempt from org scoping but
answer 404 to anyone without the action. Posts are org-owned and scoped like every record. The
services check again who may do what; these views only parse, call and render.
"""

import datetime
from collections.abc import Callable
from typing import Any, cast

from django import forms
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import FormView, ListView
from django_otp.plugins.otp_totp.models import TOTPDevice

from warmhome.accounts import services
from warmhome.accounts.exports import XLSX_CONTENT_TYPE, roster_workbook
from warmhome.accounts.forms_admin import (
    PostEndForm,
    PostFilterForm,
    PostForm,
    RoleActionsForm,
    RoleCreateForm,
    RoleForm,
    UserCreateForm,
    UserFilterForm,
    UserPasswordResetForm,
    UserProfileForm,
)
from warmhome.accounts.models import Post, Role, User
from warmhome.core.audit.services import export_log, security_event_log
from warmhome.core.views_base import ScopedDetailView, ScopedListView

EXPORT_USERS = "accounts.export"
_USERS_EXEMPT = "users are not org-owned; the page needs accounts.manage_users"
_ROLES_EXEMPT = "roles are not org-owned; the page needs accounts.manage_roles"


class ActionRequiredMixin(LoginRequiredMixin):
    """Answer 404 (and log it) to a signed-in user whose posts do not grant ``required_action``."""

    required_action: str

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        user = request.user
        if user.is_authenticated and not user.has_action(self.required_action):
            security_event_log(
                event="access_denied",
                actor=user,
                detail={"path": request.path, "action": self.required_action},
            )
            raise Http404
        return super().dispatch(request, *args, **kwargs)


def apply_errors(error: ValidationError | PermissionDenied, *forms_: forms.Form) -> None:
    """Put a service's refusal on the fields it names, or above the first form."""
    if isinstance(error, PermissionDenied):
        forms_[0].add_error(None, str(error))
        return
    if not hasattr(error, "error_dict"):
        forms_[0].add_error(None, error)
        return
    for field, errors in error.error_dict.items():
        target = next((form for form in forms_ if field in form.fields), None)
        if target is None:
            forms_[0].add_error(None, errors)
        else:
            target.add_error(field, errors)


def _call_service(
    form: forms.Form, service: Callable[[], Any], *more_forms: forms.Form
) -> tuple[bool, Any]:
    try:
        return True, service()
    except (ValidationError, PermissionDenied) as refused:
        apply_errors(refused, form, *more_forms)
        return False, None


def _actor(request: HttpRequest) -> User:
    """The signed-in user (the mixins have refused anonymous requests already)."""
    return cast(User, request.user)


def _query_without_page(request: HttpRequest) -> str:
    """The list's filters, for the pagination links."""
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()


# --- users (system administrator) ------------------------------------------------------------


class UserAdminMixin(ActionRequiredMixin):
    scope_exempt = _USERS_EXEMPT
    required_action = services.MANAGE_USERS
    kwargs: dict[str, Any]

    def get_user_record(self) -> User:
        return get_object_or_404(User, pk=self.kwargs["pk"])


class UserListView(UserAdminMixin, ListView[User]):
    template_name = "accounts/user_list.html"
    context_object_name = "users"
    paginate_by = 50

    def get_queryset(self) -> QuerySet[User]:
        self.filter_form = UserFilterForm(self.request.GET or None)
        return users_matching(self.filter_form)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(
            filter_form=self.filter_form,
            query_string=_query_without_page(self.request),
            can_export=_actor(self.request).has_action(EXPORT_USERS),
            **kwargs,
        )


def users_matching(filter_form: UserFilterForm) -> QuerySet[User]:
    """The accounts the list and the export show, with their current posts."""
    current_posts = Post.objects.current().select_related("org", "role")
    users = (
        User.objects.order_by("username")
        .prefetch_related(Prefetch("posts", queryset=current_posts, to_attr="current_post_list"))
        .annotate(has_authenticator=Exists(TOTPDevice.objects.filter(user=OuterRef("pk"))))
    )
    if not filter_form.is_valid():
        return users
    query = filter_form.cleaned_data["q"].strip()
    if query:
        users = users.filter(Q(username__icontains=query) | Q(display_name__icontains=query))
    status = filter_form.cleaned_data["status"]
    if status:
        users = users.filter(is_active=status == "active")
    return users


class UserExportView(ActionRequiredMixin, View):
    """The roster as Excel, with the list's filters; every export is logged."""

    scope_exempt = "users are not org-owned; the export needs accounts.export"
    required_action = EXPORT_USERS

    def get(self, request: HttpRequest) -> HttpResponse:
        filter_form = UserFilterForm(request.GET or None)
        users = list(users_matching(filter_form))
        content = roster_workbook(users)
        filters = filter_form.cleaned_data if filter_form.is_valid() else {}
        export_log(
            actor=_actor(request),
            what=User._meta.label,
            row_count=len(users),
            detail={"filters": {name: value for name, value in filters.items() if value}},
        )
        stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
        response = HttpResponse(content, content_type=XLSX_CONTENT_TYPE)
        response["Content-Disposition"] = f'attachment; filename="users-{stamp}.xlsx"'
        return response


class UserCreateView(UserAdminMixin, FormView[UserCreateForm]):
    template_name = "accounts/user_create.html"
    form_class = UserCreateForm

    def form_valid(self, form: UserCreateForm) -> HttpResponse:
        data = form.cleaned_data
        created, user = _call_service(
            form,
            lambda: services.user_create(
                actor=_actor(self.request),
                username=data["username"],
                display_name=data["display_name"],
                phone=data["phone"],
                email=data["email"],
                initial_password=data["initial_password"],
            ),
        )
        if not created:
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("已创建账号“%(username)s”，首次登录时须修改初始密码。") % {"username": user.username},
        )
        return redirect("accounts:user_list")


class UserUpdateView(UserAdminMixin, FormView[UserProfileForm]):
    template_name = "accounts/user_update.html"
    form_class = UserProfileForm

    def setup(self, request: HttpRequest, *args: Any, **kwargs: Any) -> None:
        super().setup(request, *args, **kwargs)
        self.record = self.get_user_record()

    def get_initial(self) -> dict[str, Any]:
        return {
            "display_name": self.record.display_name,
            "phone": self.record.phone,
            "email": self.record.email,
        }

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(record=self.record, **kwargs)

    def form_valid(self, form: UserProfileForm) -> HttpResponse:
        data = form.cleaned_data
        updated, _user = _call_service(
            form,
            lambda: services.user_update(
                actor=_actor(self.request),
                user=self.record,
                display_name=data["display_name"],
                phone=data["phone"],
                email=data["email"],
            ),
        )
        if not updated:
            return self.form_invalid(form)
        messages.success(self.request, _("已保存账号“%(user)s”。") % {"user": self.record.username})
        return redirect("accounts:user_list")


class _UserSwitchView(UserAdminMixin, View):
    http_method_names = ["post"]
    service: Callable[..., User]
    done_message: str

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        record = self.get_user_record()
        try:
            type(self).service(actor=_actor(request), user=record)
        except ValidationError as refused:
            for message in refused.messages:
                messages.error(request, message)
        else:
            messages.success(request, self.done_message % {"user": record.username})
        return redirect("accounts:user_list")


class UserDisableView(_UserSwitchView):
    service = services.user_disable
    done_message = _("已停用账号“%(user)s”：不能登录，岗位和接口令牌随即失效。")


class UserEnableView(_UserSwitchView):
    service = services.user_enable
    done_message = _("已启用账号“%(user)s”。")


class UserTwoFactorResetView(_UserSwitchView):
    service = services.user_two_factor_reset
    done_message = _("已重置“%(user)s”的验证器：该用户下次登录时须重新绑定验证器应用。")


class UserPasswordResetView(UserAdminMixin, FormView[UserPasswordResetForm]):
    template_name = "accounts/user_password_reset.html"
    form_class = UserPasswordResetForm

    def setup(self, request: HttpRequest, *args: Any, **kwargs: Any) -> None:
        super().setup(request, *args, **kwargs)
        self.record = self.get_user_record()

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(record=self.record, **kwargs)

    def form_valid(self, form: UserPasswordResetForm) -> HttpResponse:
        reset, _user = _call_service(
            form,
            lambda: services.user_password_reset(
                actor=_actor(self.request),
                user=self.record,
                new_password=form.cleaned_data["new_password"],
            ),
        )
        if not reset:
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("已重置“%(user)s”的密码，该用户下次登录时须修改密码。")
            % {"user": self.record.username},
        )
        return redirect("accounts:user_list")


# --- roles (security administrator) ----------------------------------------------------------


class RoleAdminMixin(ActionRequiredMixin):
    scope_exempt = _ROLES_EXEMPT
    required_action = services.MANAGE_ROLES


class RoleListView(RoleAdminMixin, ListView[Role]):
    template_name = "accounts/role_list.html"
    context_object_name = "roles"

    def get_queryset(self) -> QuerySet[Role]:
        today = timezone.localdate()
        serving = Q(posts__is_active=True) & (
            Q(posts__valid_to__isnull=True) | Q(posts__valid_to__gte=today)
        )
        return Role.objects.annotate(post_count=Count("posts", filter=serving)).order_by(
            "-admin_duty", "code"
        )


class _RoleFormView(RoleAdminMixin, View):
    """Two forms in one page: the role's fields, and its actions as grouped checkboxes."""

    template_name = "accounts/role_form.html"
    form_class: type[RoleForm] = RoleForm
    role: Role | None = None

    def render(
        self, request: HttpRequest, form: RoleForm, actions_form: RoleActionsForm
    ) -> HttpResponse:
        held_by_me = (
            self.role is not None
            and _actor(request).current_posts().filter(role=self.role).exists()
        )
        context = {
            "form": form,
            "actions_form": actions_form,
            "role": self.role,
            "held_by_me": held_by_me,
        }
        return render(request, self.template_name, context)

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return self.render(
            request,
            self.form_class(initial=self.initial()),
            RoleActionsForm(initial={"actions": self.role.actions if self.role else []}),
        )

    def initial(self) -> dict[str, Any]:
        return {}

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        form = self.form_class(request.POST)
        actions_form = RoleActionsForm(request.POST)
        if form.is_valid() and actions_form.is_valid():
            saved, role = _call_service(
                form,
                lambda: self.save(form.cleaned_data, actions_form.cleaned_data["actions"]),
                actions_form,
            )
            if saved:
                messages.success(request, _("已保存角色“%(role)s”。") % {"role": role.name})
                return redirect("accounts:role_list")
        return self.render(request, form, actions_form)

    def save(self, data: dict[str, Any], actions: list[str]) -> Role:
        raise NotImplementedError


class RoleCreateView(_RoleFormView):
    form_class = RoleCreateForm

    def save(self, data: dict[str, Any], actions: list[str]) -> Role:
        return services.role_create(
            actor=_actor(self.request),
            code=data["code"],
            name=data["name"],
            description=data["description"],
            admin_duty=data["admin_duty"],
            actions=actions,
            requires_two_factor=data["requires_two_factor"],
        )


class RoleUpdateView(_RoleFormView):
    def setup(self, request: HttpRequest, *args: Any, **kwargs: Any) -> None:
        super().setup(request, *args, **kwargs)
        self.role = get_object_or_404(Role, pk=kwargs["pk"])

    def initial(self) -> dict[str, Any]:
        assert self.role is not None  # noqa: S101 (set in setup)
        return {
            "name": self.role.name,
            "description": self.role.description,
            "requires_two_factor": self.role.requires_two_factor,
        }

    def save(self, data: dict[str, Any], actions: list[str]) -> Role:
        assert self.role is not None  # noqa: S101 (set in setup)
        return services.role_update(
            actor=_actor(self.request),
            role=self.role,
            name=data["name"],
            description=data["description"],
            actions=actions,
            requires_two_factor=data["requires_two_factor"],
        )


# --- posts (security administrator, scoped) --------------------------------------------------


class PostListView(ActionRequiredMixin, ScopedListView):
    model = Post
    action = required_action = services.MANAGE_POSTS
    template_name = "accounts/post_list.html"
    context_object_name = "posts"

    def base_queryset(self) -> QuerySet[Post]:
        posts = Post.objects.select_related("user", "org", "role")
        self.filter_form = PostFilterForm(self.request.GET or None)
        if not self.filter_form.is_valid():
            return posts.filter(_unfinished())
        query = self.filter_form.cleaned_data["q"].strip()
        if query:
            posts = posts.filter(
                Q(user__username__icontains=query) | Q(user__display_name__icontains=query)
            )
        status = self.filter_form.cleaned_data["status"]
        if status == "ended":
            return posts.exclude(_unfinished())
        if status == "all":
            return posts
        return posts.filter(_unfinished())

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(
            filter_form=self.filter_form, query_string=_query_without_page(self.request), **kwargs
        )


def _unfinished() -> Q:
    today = timezone.localdate()
    return Q(is_active=True) & (Q(valid_to__isnull=True) | Q(valid_to__gte=today))


class PostCreateView(ActionRequiredMixin, FormView[PostForm]):
    scope_exempt = (
        "creates a post: the organisations offered come from "
        "visible_to(user, accounts.manage_posts), and post_create checks the organisation again"
    )
    required_action = services.MANAGE_POSTS
    template_name = "accounts/post_create.html"
    form_class = PostForm

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "actor": self.request.user}

    def form_valid(self, form: PostForm) -> HttpResponse:
        data = form.cleaned_data
        created, post = _call_service(
            form,
            lambda: services.post_create(
                actor=_actor(self.request),
                user=data["user"],
                org=data["org"],
                role=data["role"],
                title=data["title"],
                valid_from=data["valid_from"],
                valid_to=data["valid_to"],
            ),
        )
        if not created:
            return self.form_invalid(form)
        messages.success(self.request, _("已安排岗位：%(post)s。") % {"post": post})
        return redirect("accounts:post_list")


class PostEndView(ScopedDetailView):
    model = Post
    action = services.MANAGE_POSTS
    template_name = "accounts/post_end.html"
    context_object_name = "post"

    def base_queryset(self) -> QuerySet[Post]:
        return Post.objects.select_related("user", "org", "role")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        kwargs.setdefault("form", PostEndForm())
        return super().get_context_data(**kwargs)

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.object = self.get_object()
        form = PostEndForm(request.POST)
        if form.is_valid():
            on: datetime.date = form.cleaned_data["on"]
            ended, _post = _call_service(
                form, lambda: services.post_end(actor=_actor(request), post=self.object, on=on)
            )
            if ended:
                messages.success(request, _("已结束岗位：%(post)s。") % {"post": self.object})
                return HttpResponseRedirect(reverse("accounts:post_list"))
        return self.render_to_response(self.get_context_data(form=form))
