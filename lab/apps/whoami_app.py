"""The standard-library apps (wsgi_app.py, asgi_app.py) with two more
response headers: what the app was told about its client, for
scenarios/proxy-headers.

- ``X-Seen-Client``: the client address the server handed the app
  (WSGI ``REMOTE_ADDR``, PEP 3333; ASGI ``scope["client"][0]``, the ASGI
  HTTP connection scope), ``-`` when it gave none;
- ``X-Seen-Scheme``: the scheme (WSGI ``wsgi.url_scheme``; ASGI
  ``scope["scheme"]``).

A server that believes ``X-Forwarded-For``/``X-Forwarded-Proto`` changes
these before the app runs (Gunicorn 20.1 only the scheme, from peers in
``forwarded_allow_ips``: gunicorn/http/message.py; Uvicorn 0.17 both, with
``--proxy-headers``, from peers in ``--forwarded-allow-ips``:
uvicorn/middleware/proxy_headers.py). Standard library only.
"""

from asgi_app import app as asgi_inner
from wsgi_app import application as wsgi_inner


def application(environ, start_response):
    seen = [("X-Seen-Client", environ.get("REMOTE_ADDR") or "-"), ("X-Seen-Scheme", environ.get("wsgi.url_scheme", "-"))]

    def start(status, headers, exc_info=None):
        return start_response(status, headers + seen, exc_info)

    return wsgi_inner(environ, start)


async def app(scope, receive, send):
    if scope["type"] != "http":
        return await asgi_inner(scope, receive, send)
    client = scope.get("client")
    seen = [(b"x-seen-client", (client[0] if client and client[0] else "-").encode("latin-1")), (b"x-seen-scheme", scope.get("scheme", "-").encode("latin-1"))]

    async def send_seen(message):
        if message["type"] == "http.response.start":
            message = dict(message, headers=list(message.get("headers", [])) + seen)
        await send(message)

    await asgi_inner(scope, receive, send_seen)
