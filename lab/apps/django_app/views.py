"""The workload's views (see the package docstring for how each kind runs).

Every response is built here with an explicit ``Content-Length`` (Django 3.2
sets none without ``CommonMiddleware``, and HEAD must carry one) and
``X-Worker``.
"""

import asyncio

from django.http import HttpResponse, StreamingHttpResponse

from serving import SSE_HEADERS, asgi_raw_path, drain, events, static_answer, work as do_work, work_async as do_work_async, wsgi_raw_path
from workload import not_allowed, refusal, stream_params, work_params, worker_id


def answer(payload, status=200, content_type="text/plain"):
    response = HttpResponse(payload, status=status, content_type=content_type)
    response["Content-Length"] = str(len(payload))
    response["X-Worker"] = worker_id()
    return response


def message(status, text):
    return answer((text + "\n").encode("utf-8"), status)


def raw_path(request):
    """The path as sent: the ASGI scope's ``raw_path``, or Gunicorn's ``RAW_URI`` (``request.META`` is the WSGI environ)."""
    scope = getattr(request, "scope", None)
    return asgi_raw_path(scope) if scope is not None else wsgi_raw_path(request.META)


def allow(*methods):
    """Answers 405 to any other method before the view runs; keeps an
    ``async def`` view a coroutine function, so Django still runs it as one."""

    def refuse(request):
        return None if request.method in methods else message(*not_allowed(request.method))

    def decorate(view):
        if asyncio.iscoroutinefunction(view):

            async def checked_async(request):
                return refuse(request) or await view(request)

            return checked_async

        def checked(request):
            return refuse(request) or view(request)

        return checked

    return decorate


def read_body(request):
    """Reads the request body to its end and returns its length in bytes.

    ``request.read`` stops at ``CONTENT_LENGTH``; a chunked body has none, and
    Django 3.2 then reads nothing (``LimitedStream`` with limit 0). Gunicorn
    decodes chunked bodies and says so with ``wsgi.input_terminated``
    (PEP 3333 leaves it to the server), so such a body is read from
    ``wsgi.input`` itself. Under ASGI the body is already in a temporary file.
    """
    meta = request.META
    if "wsgi.input" in meta and not meta.get("CONTENT_LENGTH") and meta.get("wsgi.input_terminated"):
        return drain(meta["wsgi.input"].read)
    return drain(request.read)


@allow("GET", "HEAD")
def health(request):
    return answer(b"ok")


@allow("GET", "HEAD", "POST")
def work(request):
    """``/work`` as a sync view: ``time.sleep`` holds the worker, or, under ASGI, Django's one sync thread."""
    params = work_params(request.META.get("QUERY_STRING", ""))
    if isinstance(params, str):
        return message(400, params)
    if request.method == "POST":
        read_body(request)
    return answer(do_work(*params))


@allow("GET", "HEAD", "POST")
async def work_async(request):
    """``/work`` as an async view: ``await asyncio.sleep`` yields the loop (under ASGI)."""
    params = work_params(request.META.get("QUERY_STRING", ""))
    if isinstance(params, str):
        return message(400, params)
    if request.method == "POST":
        read_body(request)  # under ASGI already buffered by Django: this read does not block
    return answer(await do_work_async(*params))


@allow("GET", "HEAD")
def stream(request):
    params = stream_params(request.META.get("QUERY_STRING", ""))
    if isinstance(params, str):
        return message(400, params)
    response = StreamingHttpResponse(events(*params))
    for name, value in SSE_HEADERS + [("X-Worker", worker_id())]:
        response[name] = value
    return response


@allow("GET", "HEAD")
def static(request):
    status, payload, content_type = static_answer(raw_path(request))
    return answer(payload, status, content_type)


def refused(request):
    return message(*refusal(request.method, raw_path(request)))
