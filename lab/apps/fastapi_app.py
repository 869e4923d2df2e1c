"""The workload as a FastAPI application (ASGI, on Starlette).

Run by the lab as ``uvicorn --app-dir lab/apps fastapi_app:app``.

Routes: the contract's (``/work``, ``/health``, ``/static/<name>``,
``/stream``), and ``/work-sync``: the same ``/work`` as a plain ``def``
endpoint. ``app_def`` is the same app with ``/work`` itself the ``def``
endpoint (``uvicorn fastapi_app:app_def``), so a scenario can drive the
thread-pool path with the contract's ``/work`` requests. The two ``/work`` endpoints are the lesson (FastAPI 0.92 on
Starlette 0.26 and AnyIO 3.6, as Debian 12 ships them):

- ``/work`` is ``async def``: it runs on the event loop; a wait is
  ``await asyncio.sleep`` and yields, the CPU burn blocks the loop;
- ``/work-sync`` is ``def``: FastAPI runs it with Starlette's
  ``run_in_threadpool``, that is ``anyio.to_thread.run_sync``, whose default
  limiter has 40 tokens (AnyIO docs, "Working with threads": "the default
  limiter ... a maximum of 40 threads"). A wait is ``time.sleep`` and holds
  its thread, so at most 40 requests are in progress at once: with
  ``io_ms=50`` a process tops out near 40 / 0.05 s = 800 req/s. Its body
  (``POST``) is read from the thread through ``anyio.from_thread.run``.

Query parameters are read by the contract's parser (workload.py), not by
FastAPI's validation, so a bad value answers the contract's 400 message
rather than FastAPI's 422. The interactive docs (``/docs``, ``/redoc``,
``/openapi.json``) are off: those paths answer 404 as in every other app;
so is Starlette's redirect of ``/work/`` to ``/work`` (307), which no other
app makes.
"""

import anyio.from_thread
from fastapi import FastAPI, Request
from fastapi.responses import Response, StreamingResponse
from starlette.exceptions import HTTPException

from serving import SSE_HEADERS, asgi_raw_path, drain_async, events_async, static_answer, work, work_async
from workload import not_allowed, refusal, stream_params, work_params, worker_id

GET = ["GET", "HEAD"]


def answer(payload, status=200, content_type="text/plain"):
    """A response with exactly this content type (``media_type=`` would add a charset); Starlette adds Content-Length."""
    return Response(payload, status, headers={"content-type": content_type, "x-worker": worker_id()})


def message(status, text):
    return answer((text + "\n").encode("utf-8"), status)


def query(request):
    return request.scope.get("query_string", b"").decode("latin-1")


async def health():
    return answer(b"ok")


async def work_on_loop(request: Request):
    params = work_params(query(request))
    if isinstance(params, str):
        return message(400, params)
    if request.method == "POST":
        await drain_async(request.stream())
    return answer(await work_async(*params))


def work_in_thread(request: Request):
    params = work_params(query(request))
    if isinstance(params, str):
        return message(400, params)
    if request.method == "POST":
        anyio.from_thread.run(drain_async, request.stream())  # this thread is held while the body arrives
    return answer(work(*params))


async def stream(request: Request):
    params = stream_params(query(request))
    if isinstance(params, str):
        return message(400, params)
    return StreamingResponse(events_async(*params), headers=dict(SSE_HEADERS + [("X-Worker", worker_id())]))


async def static(request: Request):
    status, payload, content_type = static_answer(asgi_raw_path(request.scope))
    return answer(payload, status, content_type)


async def refused(request: Request, error: HTTPException):
    """Starlette's router raises 404 (no route) and 405 (a route without this method)."""
    if error.status_code == 405:
        return message(*not_allowed(request.method))
    return message(*refusal(request.method, asgi_raw_path(request.scope)))


def build(work_endpoint):
    """The app with ``work_endpoint`` answering ``/work``."""
    built = FastAPI(docs_url=None, redoc_url=None, openapi_url=None)
    built.router.redirect_slashes = False  # FastAPI 0.92 takes no such argument; its router (Starlette's) has the switch
    built.add_api_route("/health", health, methods=GET)
    built.add_api_route("/work", work_endpoint, methods=GET + ["POST"])
    built.add_api_route("/work-sync", work_in_thread, methods=GET + ["POST"])
    built.add_api_route("/stream", stream, methods=GET)
    built.add_api_route("/static/{_name:path}", static, methods=GET)
    built.add_exception_handler(HTTPException, refused)
    return built


app = build(work_on_loop)
app_def = build(work_in_thread)
