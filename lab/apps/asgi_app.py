"""The workload as a plain ASGI 3 application, standard library only.

Run by the lab as ``uvicorn --app-dir lab/apps asgi_app:app``. A wait
(``io_ms``) is ``await asyncio.sleep``: it yields, so one event loop overlaps
any number of waits; the CPU burn (``cpu_ms``) runs on the loop and blocks
every other request meanwhile (that is the lesson). A ``POST /work`` body is
read by the app from its ``http.request`` messages; waiting for them yields.
See workload.py for the contract, serving.py for the waits and faults.

``/ws?room=N`` is a WebSocket broadcast room (ASGI "WebSocket" scope, asgiref
spec 2.3; Uvicorn speaks it with python3-websockets or python3-wsproto):
every text message is relayed to every open socket of the room, the
sender's included. A socket costs the loop a coroutine waiting in
``receive``, not a worker.
"""

from urllib.parse import parse_qs

from serving import SSE_HEADERS, asgi_raw_path, drain_async, events_async, static_answer, text_headers, work_async
from workload import route, worker_id


async def lifespan(receive, send):
    while True:
        message = await receive()
        if message["type"] == "lifespan.startup":
            await send({"type": "lifespan.startup.complete"})
        elif message["type"] == "lifespan.shutdown":
            await send({"type": "lifespan.shutdown.complete"})
            return


async def body_chunks(receive):
    """The request body's chunks, from ``http.request`` messages until ``more_body`` is false."""
    while True:
        message = await receive()
        if message["type"] != "http.request":
            return  # http.disconnect: the client went away
        yield message.get("body", b"")
        if not message.get("more_body", False):
            return


def encode(headers):
    return [(name.lower().encode("latin-1"), value.encode("latin-1")) for name, value in headers]


ROOMS = {}


async def websocket(scope, receive, send):
    """A broadcast room: accept, then relay each message to the room until the client disconnects."""
    message = await receive()  # websocket.connect
    if message["type"] != "websocket.connect":
        return
    if scope["path"] != "/ws":
        await send({"type": "websocket.close", "code": 1008})  # before accept: the server answers 403
        return
    room = parse_qs(scope.get("query_string", b"").decode("latin-1")).get("room", ["0"])[0]
    members = ROOMS.setdefault(room, set())
    await send({"type": "websocket.accept"})
    members.add(send)
    try:
        while True:
            message = await receive()
            if message["type"] == "websocket.disconnect":
                return
            out = {"type": "websocket.send", "text": message["text"]} if message.get("text") is not None else {"type": "websocket.send", "bytes": message.get("bytes", b"")}
            for member in list(members):
                try:
                    await member(out)
                except Exception:  # that member went away; its own receive sees the disconnect
                    members.discard(member)
    finally:
        members.discard(send)


async def app(scope, receive, send):
    if scope["type"] == "lifespan":
        await lifespan(receive, send)
        return
    if scope["type"] == "websocket":
        await websocket(scope, receive, send)
        return
    if scope["type"] != "http":
        return
    method = scope["method"]
    r = route(method, asgi_raw_path(scope), scope.get("query_string", b"").decode("latin-1"))
    content_type = "text/plain"
    if r[0] == "stream":
        await send({"type": "http.response.start", "status": 200, "headers": encode(SSE_HEADERS + [("X-Worker", worker_id())])})
        async for event in events_async(r[1], r[2]):
            await send({"type": "http.response.body", "body": event, "more_body": True})
        await send({"type": "http.response.body", "body": b""})
        return
    if r[0] == "health":
        status, payload = 200, b"ok"
    elif r[0] == "error":
        status, payload = r[1], (r[2] + "\n").encode("utf-8")
    elif r[0] == "static":
        status, payload, content_type = static_answer(r[1])
    else:
        if method == "POST":
            await drain_async(body_chunks(receive))
        status, payload = 200, await work_async(*r[1:])
    await send({"type": "http.response.start", "status": status, "headers": encode(text_headers(len(payload), content_type))})
    await send({"type": "http.response.body", "body": b"" if method == "HEAD" else payload})
