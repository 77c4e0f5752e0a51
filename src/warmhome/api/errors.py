"""Every API error is JSON ``{"detail": "<Chinese sentence>", ...}``.

Ninja's own answers are English; these handlers replace them on the project's API object.
"""

import logging
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, AuthorizationError, HttpError, Throttled
from ninja.errors import ValidationError as NinjaValidationError

from warmhome.core.audit.services import security_event_log

logger = logging.getLogger(__name__)


def not_authenticated_message() -> str:
    return _("未登录或登录已失效。")


def not_found_message() -> str:
    return _("未找到该记录，或您无权查看。")


def csrf_failed_message() -> str:
    return _("CSRF 校验失败：请刷新页面后重试；程序调用请改用接口令牌。")


def _pydantic_messages() -> dict[str, str]:
    return {
        "missing": _("缺少此项"),
        "int_parsing": _("应为整数"),
        "int_type": _("应为整数"),
        "float_parsing": _("应为数字"),
        "bool_parsing": _("应为是或否（true/false）"),
        "string_type": _("应为文本"),
        "string_too_short": _("内容过短"),
        "string_too_long": _("内容过长"),
        "uuid_parsing": _("应为 UUID 格式"),
        "date_parsing": _("日期格式应为 YYYY-MM-DD"),
        "date_from_datetime_parsing": _("日期格式应为 YYYY-MM-DD"),
        "datetime_parsing": _("时间格式应为 ISO 8601，例如 2026-01-31T08:00:00+08:00"),
        "datetime_from_date_parsing": _("时间格式应为 ISO 8601，例如 2026-01-31T08:00:00+08:00"),
        "json_invalid": _("不是有效的 JSON"),
        "enum": _("取值不在允许范围内"),
        "literal_error": _("取值不在允许范围内"),
        "greater_than_equal": _("数值过小"),
        "less_than_equal": _("数值过大"),
    }


def _location_label(loc: Iterable[Any]) -> str:
    parts = [str(part) for part in loc]
    sources = {
        "path": _("路径参数"),
        "query": _("查询参数"),
        "body": _("请求体"),
        "header": _("请求头"),
        "cookie": _("Cookie"),
        "form": _("表单"),
        "file": _("文件"),
    }
    if parts and parts[0] in sources:
        return f"{sources[parts[0]]} {'.'.join(parts[1:])}".strip()
    return ".".join(parts)


def _on_unauthenticated(request: HttpRequest, exc: Exception, api: NinjaAPI) -> HttpResponse:
    response = api.create_response(request, {"detail": not_authenticated_message()}, status=401)
    response["WWW-Authenticate"] = 'Bearer realm="warmhome"'
    return response


def _on_not_found(request: HttpRequest, exc: Exception, api: NinjaAPI) -> HttpResponse:
    return api.create_response(request, {"detail": not_found_message()}, status=404)


def _on_permission_denied(request: HttpRequest, exc: Exception, api: NinjaAPI) -> HttpResponse:
    message = str(exc) if str(exc) and not isinstance(exc, AuthorizationError) else ""
    security_event_log(
        event="permission_denied",
        actor=getattr(request, "user", None),
        detail={"path": request.path, "method": request.method or "", "message": message},
    )
    return api.create_response(
        request, {"detail": message or _("您没有执行此操作的权限。")}, status=403
    )


def _on_service_validation(
    request: HttpRequest, exc: DjangoValidationError, api: NinjaAPI
) -> HttpResponse:
    errors: dict[str, list[str]] = (
        {field: [str(m) for m in messages] for field, messages in exc.message_dict.items()}
        if hasattr(exc, "error_dict")
        else {"__all__": [str(m) for m in exc.messages]}
    )
    detail = _("；").join(message for messages in errors.values() for message in messages)
    return api.create_response(request, {"detail": detail, "errors": errors}, status=400)


def _on_request_validation(
    request: HttpRequest, exc: NinjaValidationError, api: NinjaAPI
) -> HttpResponse:
    known = _pydantic_messages()
    errors = [
        {
            "loc": list(error.get("loc", [])),
            "type": error.get("type", ""),
            "msg": known.get(error.get("type", ""), _("取值无效")),
        }
        for error in exc.errors
    ]
    summary = _("；").join(
        f"{_location_label(error['loc'])}{_('：')}{error['msg']}" for error in errors
    )
    detail = _("请求参数有误：%(summary)s") % {"summary": summary}
    return api.create_response(request, {"detail": detail, "errors": errors}, status=422)


def _on_http_error(request: HttpRequest, exc: HttpError, api: NinjaAPI) -> HttpResponse:
    if isinstance(exc, Throttled):
        message = _("请求过于频繁，请稍后再试。")
    elif exc.status_code == 401:
        message = not_authenticated_message()
    else:
        # Raised by our own code, whose messages are Chinese already.
        message = str(exc)
    return api.create_response(request, {"detail": message}, status=exc.status_code)


def _on_unexpected(request: HttpRequest, exc: Exception, api: NinjaAPI) -> HttpResponse:
    logger.exception("API error at %s %s", request.method, request.path, exc_info=exc)
    return api.create_response(
        request, {"detail": _("服务器内部错误，请稍后重试；如仍出错请联系系统管理员。")}, status=500
    )


def install(api: NinjaAPI) -> None:
    """Replace ninja's English error answers on ``api``."""

    def bind(handler: Any) -> Any:
        return lambda request, exc: handler(request, exc, api)

    api.add_exception_handler(Exception, bind(_on_unexpected))
    api.add_exception_handler(HttpError, bind(_on_http_error))
    api.add_exception_handler(AuthenticationError, bind(_on_unauthenticated))
    api.add_exception_handler(AuthorizationError, bind(_on_permission_denied))
    api.add_exception_handler(PermissionDenied, bind(_on_permission_denied))
    api.add_exception_handler(Http404, bind(_on_not_found))
    api.add_exception_handler(DjangoValidationError, bind(_on_service_validation))
    api.add_exception_handler(NinjaValidationError, bind(_on_request_validation))
