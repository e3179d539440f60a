"""Messages in English or Vietnamese, chosen by the request's Accept-Language.

English is the default. Validation messages come from marshmallow in English; each known
template is matched and re-rendered in Vietnamese with the same values.
"""

from __future__ import annotations

import re
from functools import cache
from http import HTTPStatus

from flask import has_request_context, request

LANGUAGES = ("en", "vi")

_TEMPLATES_VI: dict[str, str] = {
    # marshmallow fields and schemas
    "Missing data for required field.": "Thiếu dữ liệu cho trường bắt buộc.",
    "Field may not be null.": "Trường này không được để trống (null).",
    "Invalid value.": "Giá trị không hợp lệ.",
    "Invalid type.": "Kiểu dữ liệu không hợp lệ.",
    "Invalid input type.": "Kiểu dữ liệu đầu vào không hợp lệ.",
    "Unknown field.": "Trường không được chấp nhận.",
    "Not a valid list.": "Không phải là một danh sách hợp lệ.",
    "Not a valid string.": "Không phải là chuỗi ký tự hợp lệ.",
    "Not a valid utf-8 string.": "Không phải là chuỗi UTF-8 hợp lệ.",
    "Not a valid number.": "Không phải là số hợp lệ.",
    "Number too large.": "Số quá lớn.",
    "Not a valid integer.": "Không phải là số nguyên hợp lệ.",
    "Not a valid boolean.": "Không phải là giá trị đúng/sai hợp lệ.",
    "Not a valid date.": "Không phải là ngày hợp lệ (yyyy-mm-dd hoặc dd/mm/yyyy).",
    "Not a valid datetime.": "Không phải là thời điểm hợp lệ (ISO 8601).",
    "Not a valid mapping type.": "Không phải là đối tượng hợp lệ.",
    "Must be one of: {choices}.": "Phải là một trong: {choices}.",
    "Must be greater than or equal to {min}.": "Phải lớn hơn hoặc bằng {min}.",
    "Must be less than or equal to {max}.": "Phải nhỏ hơn hoặc bằng {max}.",
    "Must be greater than or equal to {min} and less than or equal to {max}.":
        "Phải từ {min} đến {max}.",
    "Shorter than minimum length {min}.": "Ngắn hơn độ dài tối thiểu {min}.",
    "Longer than maximum length {max}.": "Dài hơn độ dài tối đa {max}.",
    "Length must be between {min} and {max}.": "Độ dài phải từ {min} đến {max}.",
    "String does not match expected pattern.": "Chuỗi không đúng định dạng yêu cầu.",
    # the API's own messages
    "The request has invalid fields.": "Yêu cầu có trường không hợp lệ.",
    "The body is not valid JSON.": "Nội dung yêu cầu không phải là JSON hợp lệ.",
    "Send the body as {expected}.": "Hãy gửi nội dung dưới dạng {expected}.",
    "The body is larger than {limit} bytes.": "Nội dung yêu cầu vượt quá {limit} byte.",
    "Upload the plan document in the 'file' part.":
        "Hãy tải tệp kế hoạch lên trong trường 'file'.",
    "If-Match takes one version in quotes, e.g. \"3\".":
        "If-Match nhận một số phiên bản trong dấu ngoặc kép, ví dụ \"3\".",
    "An Idempotency-Key is 1-200 visible ASCII characters.":
        "Idempotency-Key gồm 1-200 ký tự ASCII hiển thị được.",
    "An actor is 1-100 letters, digits or . _ - : @ characters.":
        "Người thực hiện gồm 1-100 chữ cái, chữ số hoặc các ký tự . _ - : @.",
    "This Idempotency-Key was used with a different request.":
        "Khóa Idempotency-Key này đã được dùng cho một yêu cầu khác.",
    "A request with this Idempotency-Key is still being processed; retry shortly.":
        "Yêu cầu với khóa Idempotency-Key này đang được xử lý; hãy thử lại sau ít phút.",
    "The item is now at version {current}; reload it and retry.":
        "Mục này hiện ở phiên bản {current}; hãy tải lại và thử lại.",
    "No such resource.": "Không có tài nguyên này.",
    "The database is not reachable.": "Không kết nối được cơ sở dữ liệu.",
    "The database is unavailable right now ({reason}); retry in a moment.":
        "Cơ sở dữ liệu tạm thời không sẵn sàng ({reason}); hãy thử lại sau giây lát.",
    "The database is not ready ({reason}).": "Cơ sở dữ liệu chưa sẵn sàng ({reason}).",
    "Dates are accepted from 01/01/1900 to 31/12/2999.":
        "Chỉ chấp nhận ngày từ 01/01/1900 đến 31/12/2999.",
    "The text contains {what} ({code}); only printable characters, tabs and line breaks "
    "are accepted.": "Văn bản chứa {what} ({code}); chỉ chấp nhận ký tự in được, dấu tab và "
                     "xuống dòng.",
    "Send a bearer token: Authorization: Bearer <token>.":
        "Hãy gửi mã truy cập: Authorization: Bearer <mã>.",
    "The bearer token is unknown, expired or revoked.":
        "Mã truy cập không tồn tại, đã hết hạn hoặc đã bị thu hồi.",
    "Too many failed authentications; retry in {seconds} s.":
        "Xác thực thất bại quá nhiều lần; hãy thử lại sau {seconds} giây.",
    "Your roles do not allow this action here.":
        "Vai trò của bạn không được phép thực hiện thao tác này tại đây.",
    "Your agency neither leads nor coordinates this item.":
        "Cơ quan của bạn không chủ trì cũng không phối hợp thực hiện mục này.",
    "An agency reporter reports for its own agency only.":
        "Người báo cáo của cơ quan chỉ báo cáo cho cơ quan của mình.",
    "This service's database role may not do this; an operator runs it with the "
    "owner's role (r57 tenant create).":
        "Vai trò cơ sở dữ liệu của dịch vụ không được làm việc này; quản trị viên thực hiện "
        "bằng vai trò chủ sở hữu (r57 tenant create).",
}

_TITLES_VI: dict[int, str] = {
    400: "Yêu cầu không hợp lệ",
    401: "Chưa xác thực",
    403: "Không có quyền",
    404: "Không tìm thấy",
    405: "Phương thức không được hỗ trợ",
    409: "Xung đột",
    412: "Điều kiện tiên quyết không thỏa mãn",
    413: "Nội dung quá lớn",
    415: "Kiểu nội dung không được hỗ trợ",
    422: "Không thể xử lý yêu cầu",
    429: "Quá nhiều yêu cầu",
    500: "Lỗi máy chủ",
    503: "Dịch vụ tạm thời không sẵn sàng",
}


def language() -> str:
    """'vi' when the client prefers Vietnamese, otherwise 'en'."""
    if not has_request_context():
        return "en"
    best = request.accept_languages.best_match(LANGUAGES, default="en")
    return best or "en"


def title(status: int) -> str:
    if language() == "vi" and status in _TITLES_VI:
        return _TITLES_VI[status]
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Error"


def text(template: str, **values: object) -> str:
    """Render one of the catalogue's templates in the request's language."""
    chosen = _TEMPLATES_VI.get(template, template) if language() == "vi" else template
    return chosen.format(**values)


def translate(message: str) -> str:
    """Translate an already-rendered English message, when it matches a known template."""
    if language() != "vi":
        return message
    for pattern, template in _compiled():
        match = pattern.fullmatch(message)
        if match:
            return template.format(**match.groupdict())
    return message


@cache
def _compiled() -> tuple[tuple[re.Pattern[str], str], ...]:
    compiled = []
    # Longest first: "Must be ≥ {min} and ≤ {max}." before its prefix "Must be ≥ {min}.".
    for english, vietnamese in sorted(_TEMPLATES_VI.items(), key=lambda t: -len(t[0])):
        parts = re.split(r"\{(\w+)\}", english)
        regex = "".join(
            re.escape(part) if i % 2 == 0 else f"(?P<{part}>.+?)" for i, part in enumerate(parts)
        )
        compiled.append((re.compile(regex, re.DOTALL), vietnamese))
    return tuple(compiled)
