"""GET /: the web page for the desk — paste a claim, read the answer.

A plain GET form, rendered on the server: it works without JavaScript, and the page's address
(``/?claim=…&published_after=…&outlets=…``) is the shareable link to a result. The check goes
through the same path as ``POST /v1/claims/check`` (the batcher, the same request type and the
same filter validation), so the page and the API cannot disagree. A bad filter is a 400 page that
says what is wrong, as are the guard's 401/429 and an overloaded 503: a person reading the page
gets a page, not a JSON body.

The page needs no script and loads nothing from elsewhere (the service runs offline): its
Content-Security-Policy allows only its own stylesheet and images and forbids scripts outright,
so even a title that slipped past escaping could not run. ``Referrer-Policy: no-referrer`` keeps
the claim, which is in the page's address, from leaking to the outlets it links to.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import partial
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from litestar import Request, get
from litestar.di import NamedDependency
from litestar.exceptions import HTTPException
from litestar.params import FromQuery
from litestar.plugins.jinja import JinjaTemplateEngine
from litestar.response import Template
from litestar.router import Router
from litestar.static_files import create_static_files_router
from litestar.status_codes import HTTP_200_OK, HTTP_503_SERVICE_UNAVAILABLE
from litestar.template.config import TemplateConfig

from api.access import ACCESS
from api.body import convert
from api.desk_view import Outcome, cited_documents, outcome
from api.routes.claims import check_filters
from api.runtime import Runtime
from api.scheduler import OverloadError
from api.schemas import CheckRequest
from claimcheck.checker import Checker
from claimcheck.results import DocumentView

_HERE = Path(__file__).resolve().parent.parent
TEMPLATES = _HERE / "templates"
STATIC = _HERE / "static"
TEMPLATE = "desk.html"

CONTENT_SECURITY_POLICY = (
    "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; "
    "frame-ancestors 'none'; base-uri 'none'"
)
_FIELDS = ("claim", "published_after", "published_before", "outlets", "exclude_outlets")
PAGE_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
}


def template_config() -> TemplateConfig[JinjaTemplateEngine]:
    """Jinja with autoescaping on for every template, and undefined names as errors, not blanks."""
    environment = Environment(
        loader=FileSystemLoader(TEMPLATES), autoescape=True, undefined=StrictUndefined, auto_reload=False
    )
    return TemplateConfig(instance=JinjaTemplateEngine.from_environment(environment))


def static_files() -> Router:
    """``/static``: the page's stylesheet and icon (open like every read)."""
    return create_static_files_router(
        path="/static", directories=[STATIC], include_in_schema=False, opt={ACCESS: "read"}
    )


def _outlets(value: str | None) -> list[str] | None:
    """Outlet names from the form's one text field: comma-separated, blanks dropped."""
    if value is None:
        return None
    items = [name.strip() for name in value.split(",") if name.strip()]
    return items or None


def _form(
    claim: str | None,
    published_after: str | None,
    published_before: str | None,
    outlets: str | None,
    exclude_outlets: str | None,
) -> dict[str, str]:
    """What the form's fields show: what the reader sent, as sent."""
    return {
        "claim": claim or "",
        "published_after": published_after or "",
        "published_before": published_before or "",
        "outlets": outlets or "",
        "exclude_outlets": exclude_outlets or "",
    }


def page(
    form: dict[str, str],
    result: Outcome | None = None,
    error: str | None = None,
    status_code: int = HTTP_200_OK,
    headers: dict[str, str] | None = None,
) -> Template:
    filtered = any(form[name] for name in _FIELDS if name != "claim")
    return Template(
        template_name=TEMPLATE,
        context={
            "form": form,
            "filtered": filtered,
            "outcome": result,
            "error": error,
            "share": "/?" + urlencode({k: v for k, v in form.items() if v}),
        },
        status_code=status_code,
        headers={**PAGE_HEADERS, **(headers or {})},
    )


def _form_of(request: Request[Any, Any, Any]) -> dict[str, str]:
    query = request.query_params
    return _form(*(query.get(name) for name in _FIELDS))


def http_error_page(request: Request[Any, Any, Any], exc: HTTPException) -> Template:
    """400 (bad filter), 401, 429, 503 as the page with the message in words, the form kept."""
    detail = str(exc.detail)
    headers = {k: v for k, v in (getattr(exc, "headers", None) or {}).items() if k.lower() == "retry-after"}
    return page(_form_of(request), error=detail, status_code=exc.status_code, headers=headers)


def overload_page(request: Request[Any, Any, Any], exc: OverloadError) -> Template:
    return page(
        _form_of(request),
        error=f"The service is busy: {exc}",
        status_code=HTTP_503_SERVICE_UNAVAILABLE,
        headers={"Retry-After": str(exc.retry_after)},
    )


def _documents(checker: Checker, ids: Iterable[str]) -> dict[str, DocumentView | None]:
    return {document_id: checker.document(document_id) for document_id in sorted(ids)}


@get(
    "/",
    include_in_schema=False,
    opt={ACCESS: "check"},
    exception_handlers={HTTPException: http_error_page, OverloadError: overload_page},
)
async def desk(
    runtime: NamedDependency[Runtime],
    checker: NamedDependency[Checker],
    claim: FromQuery[str | None] = None,
    published_after: FromQuery[str | None] = None,
    published_before: FromQuery[str | None] = None,
    outlets: FromQuery[str | None] = None,
    exclude_outlets: FromQuery[str | None] = None,
) -> Template:
    form = _form(claim, published_after, published_before, outlets, exclude_outlets)
    if not form["claim"].strip():
        return page(form)
    request = convert(
        {
            "claim": form["claim"],
            "published_after": published_after or None,
            "published_before": published_before or None,
            "outlets": _outlets(outlets),
            "exclude_outlets": _outlets(exclude_outlets),
        },
        CheckRequest,
    )
    filters = check_filters(request)
    result = await runtime.batcher.check(checker, request.claim.strip(), request.limit, filters)
    documents = await runtime.query(partial(_documents, checker, cited_documents(result)))
    return page(form, outcome(result, documents))
