"""The workload as a plain ASGI 3 application, standard library only.

Run by the lab as ``uvicorn --app-dir lab/apps asgi_app:app``. A wait
(``io_ms``) is ``await asyncio.sleep``: it yields, so one event loop overlaps
any number of waits; the CPU burn (``cpu_ms``) runs on the loop and blocks
every other request meanwhile (that is the lesson). See workload.py for the
contract.
"""

import asyncio
import os

from workload import body, burn_cpu, chance, route, sse_event, worker_id


async def lifespan(receive, send):
    while True:
        message = await receive()
        if message["type"] == "lifespan.startup":
            await send({"type": "lifespan.startup.complete"})
        elif message["type"] == "lifespan.shutdown":
            await send({"type": "lifespan.shutdown.complete"})
            return


async def app(scope, receive, send):
    if scope["type"] == "lifespan":
        await lifespan(receive, send)
        return
    if scope["type"] != "http":
        return  # websockets are not part of the workload
    method = scope["method"]
    raw = scope.get("raw_path")
    path = raw.decode("latin-1").split("?", 1)[0] if raw else scope["path"]
    r = route(method, path, scope.get("query_string", b"").decode("latin-1"))
    if r[0] == "stream":
        await stream(send, r[1], r[2])
        return
    if r[0] == "health":
        status, payload = 200, b"ok"
    elif r[0] == "error":
        status, payload = r[1], (r[2] + "\n").encode("utf-8")
    else:
        _, io_ms, cpu_ms, size, crash_pct, hang_pct = r
        if chance(crash_pct):
            os._exit(70)  # one process, no master: the whole server goes with it
        if chance(hang_pct):
            await asyncio.Event().wait()  # never answers; the other requests go on
        if io_ms > 0:
            await asyncio.sleep(io_ms / 1000.0)
        burn_cpu(cpu_ms)
        status, payload = 200, body(size)
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"text/plain"),
                (b"content-length", str(len(payload)).encode("ascii")),
                (b"x-worker", worker_id().encode("ascii")),
            ],
        }
    )
    await send({"type": "http.response.body", "body": b"" if method == "HEAD" else payload})


async def stream(send, events, interval_ms):
    """Server-sent events: each stream is a coroutine; the loop holds many at once."""
    await send({"type": "http.response.start", "status": 200, "headers": [
        (b"content-type", b"text/event-stream"), (b"cache-control", b"no-cache"), (b"x-worker", worker_id().encode("ascii"))]})
    for i in range(events):
        await asyncio.sleep(interval_ms / 1000.0)
        await send({"type": "http.response.body", "body": sse_event(i), "more_body": True})
    await send({"type": "http.response.body", "body": b""})
