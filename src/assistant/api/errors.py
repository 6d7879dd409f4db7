"""One error shape for every failure: ``{"error": {"code", "message"}}``.

``code`` is a stable English identifier for programs; ``message`` is Vietnamese, written
for the reader of the chat (or the portal developer), because the web widget shows it
as is. FastAPI's own validation and HTTP errors are re-shaped here too, so a client
never has to handle two formats. Anything unexpected is logged in English with its
traceback and answered with a 500 that reveals nothing internal.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from assistant.answer.question import InvalidQuestionError
from assistant.core.errors import AssistantError

logger = logging.getLogger(__name__)

# Default Vietnamese message (and code) per HTTP status, for errors raised without one.
_STATUS_DEFAULTS: dict[int, tuple[str, str]] = {
    400: ("bad_request", "Yêu cầu không hợp lệ."),
    401: ("unauthorized", "Cần khóa truy cập (Authorization: Bearer <khóa>)."),
    403: ("forbidden", "Khóa truy cập không được phép thực hiện thao tác này."),
    404: ("not_found", "Không tìm thấy địa chỉ được yêu cầu."),
    405: ("method_not_allowed", "Phương thức HTTP này không được hỗ trợ tại địa chỉ này."),
    406: ("not_acceptable", "Định dạng phản hồi được yêu cầu không được hỗ trợ."),
    413: ("payload_too_large", "Dữ liệu gửi lên quá lớn."),
    415: (
        "unsupported_media_type",
        "Vui lòng gửi dữ liệu dạng JSON (Content-Type: application/json).",
    ),
    422: ("validation_error", "Dữ liệu gửi lên không hợp lệ."),
    429: ("rate_limited", "Bạn gửi quá nhiều yêu cầu. Vui lòng thử lại sau ít phút."),
    500: ("internal_error", "Đã có lỗi ngoài ý muốn. Vui lòng thử lại sau."),
    503: ("unavailable", "Dịch vụ tạm thời chưa sẵn sàng. Vui lòng thử lại sau ít phút."),
}

# Pydantic error types → what is wrong, in Vietnamese.
_VALIDATION_VI: dict[str, str] = {
    "missing": "thiếu trường bắt buộc",
    "string_type": "phải là chuỗi ký tự",
    "string_too_short": "quá ngắn",
    "string_too_long": "quá dài",
    "string_pattern_mismatch": "sai định dạng",
    "int_type": "phải là số nguyên",
    "int_parsing": "phải là số nguyên",
    "float_type": "phải là số",
    "float_parsing": "phải là số",
    "bool_type": "phải là true hoặc false",
    "bool_parsing": "phải là true hoặc false",
    "list_type": "phải là một danh sách",
    "dict_type": "phải là một đối tượng JSON",
    "model_type": "phải là một đối tượng JSON",
    "model_attributes_type": "phải là một đối tượng JSON",
    "too_short": "có quá ít phần tử",
    "too_long": "có quá nhiều phần tử",
    "greater_than_equal": "nhỏ hơn giá trị cho phép",
    "greater_than": "nhỏ hơn giá trị cho phép",
    "less_than_equal": "lớn hơn giá trị cho phép",
    "less_than": "lớn hơn giá trị cho phép",
    "literal_error": "không thuộc các giá trị cho phép",
    "enum": "không thuộc các giá trị cho phép",
    "date_from_datetime_parsing": "phải là ngày dạng YYYY-MM-DD",
    "date_parsing": "phải là ngày dạng YYYY-MM-DD",
    "date_type": "phải là ngày dạng YYYY-MM-DD",
    "date_from_datetime_inexact": "phải là ngày dạng YYYY-MM-DD",
    "extra_forbidden": "không được hỗ trợ",
    "union_tag_invalid": "không đúng loại",
    "value_error": "không hợp lệ",
}


class ApiError(Exception):
    """An expected failure with its status, code, Vietnamese message and headers: raised
    by a route, or built and answered at once by a middleware (:meth:`response`)."""

    def __init__(
        self,
        status: int,
        code: str,
        message: str,
        *,
        headers: Mapping[str, str] | None = None,
        details: Any = None,
    ) -> None:
        super().__init__(f"{status} {code}")
        self.status = status
        self.code = code
        self.message = message
        self.headers = dict(headers or {})
        self.details = details

    def body(self) -> dict[str, Any]:
        """``{"error": {"code", "message"}}``: the response body, and the data of the
        ``error`` event when a stream fails after it started."""
        return error_body(self.code, self.message, self.details)

    def response(self) -> JSONResponse:
        return JSONResponse(self.body(), status_code=self.status, headers=self.headers)


def error_body(code: str, message: str, details: Any = None) -> dict[str, Any]:
    """The JSON body of an error."""
    error: dict[str, Any] = {"code": code, "message": message}
    if details is not None:
        error["details"] = details
    return {"error": error}


def default_error(status: int) -> tuple[str, str]:
    """(code, Vietnamese message) for a status without a more specific explanation."""
    if status in _STATUS_DEFAULTS:
        return _STATUS_DEFAULTS[status]
    return _STATUS_DEFAULTS[500] if status >= 500 else _STATUS_DEFAULTS[400]


def _field_name(loc: Sequence[Any]) -> str:
    parts = [str(part) for part in loc if part not in ("body", "query", "path", "header")]
    return ".".join(parts) or "nội dung"


def describe_validation(
    errors: Sequence[Mapping[str, Any]],
) -> tuple[int, str, str, list[dict[str, Any]]]:
    """(status, code, Vietnamese message, details) for pydantic/FastAPI validation errors.

    Malformed JSON is a 400 (the request is not even readable); anything else is a 422
    naming the first offending field.
    """
    details = [
        {"loc": list(err.get("loc", ())), "type": err.get("type", ""), "msg": err.get("msg", "")}
        for err in errors
    ]
    if any(err.get("type") == "json_invalid" for err in errors):
        return 400, "invalid_json", "Nội dung gửi lên không phải JSON hợp lệ.", details
    first = errors[0] if errors else {}
    what = _VALIDATION_VI.get(str(first.get("type", "")), "không hợp lệ")
    field = _field_name(first.get("loc", ()))
    message = f"Dữ liệu gửi lên không hợp lệ: trường “{field}” {what}."
    if len(errors) > 1:
        message += f" (và {len(errors) - 1} lỗi khác)"
    return 422, "validation_error", message, details


async def _http_error(_: Request, exc: Exception) -> JSONResponse:
    """HTTPException from FastAPI, Starlette or a route: a custom ``detail`` (a string,
    or a ``{"code", "message"}`` dict) is kept; the stock English phrase is replaced."""
    assert isinstance(exc, StarletteHTTPException)
    code, message = default_error(exc.status_code)
    detail = exc.detail
    if isinstance(detail, Mapping) and isinstance(detail.get("message"), str):
        code, message = str(detail.get("code") or code), detail["message"]
    elif isinstance(detail, str) and detail and detail != _phrase(exc.status_code):
        message = detail
    return ApiError(exc.status_code, code, message, headers=exc.headers).response()


def _phrase(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return ""


async def _validation_error(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    status, code, message, details = describe_validation(list(exc.errors()))
    return ApiError(status, code, message, details=details).response()


def failure(exc: BaseException) -> ApiError:
    """The one reading of an exception as an API error, for the exception handlers and
    for the ``error`` event of a stream that has already started. An invalid question is
    a 400 with its own code; an operator-facing failure (index missing, model not
    loaded) a 503; anything else is logged with its traceback and becomes a 500 that
    reveals nothing internal."""
    if isinstance(exc, ApiError):
        return exc
    if isinstance(exc, InvalidQuestionError):
        return ApiError(400, exc.code, exc.message_vi)
    if isinstance(exc, AssistantError):
        logger.error("Service unavailable: %s", exc)
        code, message = default_error(503)
        return ApiError(503, code, message, headers={"Retry-After": "30"})
    logger.error("Unhandled error: %s", exc, exc_info=exc)
    code, message = default_error(500)
    return ApiError(500, code, message)


async def _failure(_: Request, exc: Exception) -> JSONResponse:
    return failure(exc).response()


def install_error_handlers(app: FastAPI) -> None:
    """Route every exception through the one error shape."""
    app.add_exception_handler(ApiError, _failure)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(AssistantError, _failure)  # InvalidQuestionError included
    app.add_exception_handler(Exception, _failure)
