"""The workload as a Quart application (Flask's API on ASGI).

Run by the lab as ``uvicorn --app-dir lab/apps quart_app:app``. Every view is
``async def`` on the event loop: a wait is ``await asyncio.sleep`` and
yields, the CPU burn blocks the loop; ``POST /work`` reads ``request.body``
chunk by chunk as it arrives; ``/stream`` is an async generator.

Quart 0.18 limits what the contract leaves open, and the app lifts those
limits so it answers as the other apps do (Quart docs, "Configuration"):
``BODY_TIMEOUT`` (60 s to receive a body: a slow upload would get 408),
``MAX_CONTENT_LENGTH`` (16 MiB: a larger body would get 413) and
``RESPONSE_TIMEOUT`` (60 s to send a response: a long ``/stream`` would be
cut) are all ``None`` here. ``static_folder=None`` turns Quart's own static
view off; ``/static/<name>`` is the contract's (``$LAB_STATIC_DIR``).
"""

from quart import Quart, Response, request

from serving import SSE_HEADERS, asgi_raw_path, drain_async, events_async, static_answer, work_async
from workload import refusal, stream_params, work_params, worker_id

app = Quart(__name__, static_folder=None)
app.config.update(BODY_TIMEOUT=None, MAX_CONTENT_LENGTH=None, RESPONSE_TIMEOUT=None)


def text(payload, status=200, content_type="text/plain"):
    """A response with exactly this content type (``mimetype=`` would add a charset)."""
    return Response(payload, status=status, content_type=content_type)


def bad(message):
    return text((message + "\n").encode("utf-8"), 400)


def query():
    return request.scope.get("query_string", b"").decode("latin-1")


@app.route("/health", methods=["GET"])
async def health():
    return text(b"ok")


@app.route("/work", methods=["GET", "POST"])
async def work():
    params = work_params(query())
    if isinstance(params, str):
        return bad(params)
    if request.method == "POST":
        await drain_async(request.body)
    return text(await work_async(*params))


@app.route("/stream", methods=["GET"])
async def stream():
    params = stream_params(query())
    if isinstance(params, str):
        return bad(params)
    return Response(events_async(*params), headers=dict(SSE_HEADERS))


@app.route("/static/<path:_name>", methods=["GET"])
async def static(_name):
    status, payload, content_type = static_answer(asgi_raw_path(request.scope))
    return text(payload, status, content_type)


@app.errorhandler(404)
@app.errorhandler(405)
async def refused(_error):
    status, message = refusal(request.method, asgi_raw_path(request.scope))
    return text((message + "\n").encode("utf-8"), status)


@app.after_request
async def add_worker(response):
    response.headers["X-Worker"] = worker_id()
    return response
