"""Request bodies: JSON only, declared as JSON, decoded strictly into the route's own type.

Litestar parses a body as JSON whatever its ``Content-Type``, which lets any web page write to a
service on 127.0.0.1: a ``text/plain`` POST is a "simple" cross-origin request that browsers send
without asking the server first (no CORS preflight). Requiring a JSON content type closes that
door, since a page can only send one after a preflight this service never grants.

It also decodes untyped first and converts leniently afterwards, so ``"limit": "5"`` passed,
a body of 100 000 nested arrays exhausted the recursion limit and a non-UTF-8 body raised
``UnicodeDecodeError`` (both 500s). Here the body is decoded once, straight into the route's
request Struct (named in the route's ``opt`` under :data:`BODY_TYPE`), with msgspec's strict
rules: a typed decode rejects an array where a string belongs at the first bracket, so nesting
cannot recurse, and every failure is a 400 that says where.
"""

from __future__ import annotations

import re
from typing import Any, TypeVar

import msgspec
from litestar import Request
from litestar.exceptions import ClientException, ValidationException

from api.errors import PayloadTooLarge, UnsupportedMediaType

T = TypeVar("T")

BODY_TYPE = "body_type"  # key in a route's ``opt``: the Struct its JSON body decodes into


def _is_json(media_type: str) -> bool:
    media_type = media_type.strip().lower()
    return media_type == "application/json" or (
        media_type.startswith("application/") and media_type.endswith("+json")
    )


# msgspec says what and where in schema terms ("Expected `int`, got `str` - at `$.limit`"); the
# commonest cases read better as a sentence, and the place goes in ``extra`` for tools.
_ISO_DATE = re.compile(r"matching regex '\^\\+d\{4\}")


def _invalid(message: str) -> ValidationException:
    text, _, where = message.partition(" - at ")
    key = where.strip("`").removeprefix("$").removeprefix(".") or None
    if key and (
        text.startswith(("Expected `str` of length >= 1", "Expected `array` of length >= 1"))
        or text == "Expected `str` matching regex '\\\\S'"
    ):
        text = f'{key} is empty: send its text in "{key}"'
    elif key and (bound := re.match(r"Expected `str` of length <= (\d+)$", text)):
        text = f"{key} is too long: at most {bound[1]} characters"
    elif key and _ISO_DATE.search(text):
        text = f"{key} must be a date written YYYY-MM-DD, like 2020-10-01"
    item: dict[str, str] = {"message": text, "source": "body"}
    if key:
        item["key"] = key
    return ValidationException(text, extra=[item])


def convert(value: Any, into: type[T]) -> T:
    """Builtins (a query string's fields) as ``into``, refused with the same 400 a body would get."""
    try:
        return msgspec.convert(value, into, strict=False)
    except msgspec.ValidationError as exc:
        raise _invalid(str(exc)) from None


def _required(request: Request[Any, Any, Any]) -> str:
    """' with "text"': the fields a body of this route cannot do without, for the empty-body hint."""
    body_type = request.route_handler.opt.get(BODY_TYPE)
    if body_type is None:
        return ""
    names = [f'"{f.encode_name}"' for f in msgspec.structs.fields(body_type) if f.required]
    return " with " + " and ".join(names) if names else ""


class StrictJSONRequest(Request[Any, Any, Any]):
    """The app's request class: for routes that take a body (``BODY_TYPE`` in their ``opt``), the
    body is checked before it is read and decoded strictly."""

    async def body(self) -> bytes:
        if BODY_TYPE not in self.route_handler.opt:
            return await super().body()
        media_type, options = self.content_type
        if not _is_json(media_type):
            shown = media_type or "none"
            raise UnsupportedMediaType(
                f"Content-Type {shown!r} is not JSON: send the body as application/json"
            )
        charset = options.get("charset", "utf-8").strip().lower()
        if charset not in {"utf-8", "utf8"}:
            raise UnsupportedMediaType(f"charset {charset!r} is not supported: send UTF-8 JSON")
        try:
            body = await super().body()
        except ClientException as exc:
            if exc.status_code == PayloadTooLarge.status_code:
                limit = self.route_handler.resolve_request_max_body_size()
                raise PayloadTooLarge(f"request body too large: at most {limit} bytes") from None
            raise
        if not body.strip():
            raise ValidationException(f"request body is empty: send a JSON object{_required(self)}")
        return body

    async def json(self) -> Any:
        body = await self.body()
        decoded = decode_strict(body, self.route_handler.opt.get(BODY_TYPE, Any))
        # Litestar converts this again into the same Struct; plain builtins make that a cheap copy.
        return msgspec.to_builtins(decoded)


def decode_strict(body: bytes, body_type: Any, what: str = "request body") -> Any:
    """``body`` decoded strictly into ``body_type``, or a 400 that says what is wrong and where
    (``what`` names the thing in messages: a request body, or one line of a bulk body)."""
    try:
        return msgspec.json.decode(body, type=body_type, strict=True)
    except UnicodeDecodeError:
        raise ValidationException(f"{what} is not UTF-8 text: send UTF-8 encoded JSON") from None
    except RecursionError:
        raise ValidationException(f"{what} nests too deeply to be a request") from None
    except msgspec.ValidationError as exc:
        raise _invalid(str(exc)) from None
    except msgspec.DecodeError as exc:
        raise ValidationException(f"{what} is not valid JSON: {exc}") from None
