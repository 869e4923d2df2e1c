"""The workload as a plain WSGI application (PEP 3333), standard library only.

Run by the lab as ``gunicorn --chdir lab/apps wsgi_app:application``. A wait
(``io_ms``) is ``time.sleep``: it blocks the worker (or, under ``gthread``,
the thread), exactly like a synchronous database call. See workload.py for
the contract.
"""

import os
import time
from urllib.parse import quote

from workload import REASON, body, burn_cpu, chance, route, sse_event, worker_id


def raw_path(environ):
    """The path as the client sent it: Gunicorn's ``RAW_URI`` (or
    ``REQUEST_URI``) without the query; else ``PATH_INFO`` re-escaped."""
    uri = environ.get("RAW_URI") or environ.get("REQUEST_URI")
    if uri:
        return uri.split("?", 1)[0]
    path = environ.get("SCRIPT_NAME", "") + environ.get("PATH_INFO", "")
    return quote(path.encode("latin-1"), safe="/:@!$&'()*+,;=-._~")


def application(environ, start_response):
    method = environ.get("REQUEST_METHOD", "GET")
    r = route(method, raw_path(environ), environ.get("QUERY_STRING", ""))
    if r[0] == "stream":
        start_response("200 OK", [("Content-Type", "text/event-stream"), ("Cache-Control", "no-cache"), ("X-Worker", worker_id())])
        return stream(r[1], r[2])
    if r[0] == "health":
        status, payload = 200, b"ok"
    elif r[0] == "error":
        status, payload = r[1], (r[2] + "\n").encode("utf-8")
    else:
        _, io_ms, cpu_ms, size, crash_pct, hang_pct = r
        if chance(crash_pct):
            os._exit(70)  # the worker dies mid-request; the arbiter boots another
        if chance(hang_pct):
            while True:  # hangs until the arbiter kills the worker after --timeout
                time.sleep(3600)
        if io_ms > 0:
            time.sleep(io_ms / 1000.0)
        burn_cpu(cpu_ms)
        status, payload = 200, body(size)
    start_response(
        "%d %s" % (status, REASON[status]),
        [
            ("Content-Type", "text/plain"),
            ("Content-Length", str(len(payload))),
            ("X-Worker", worker_id()),
        ],
    )
    return [] if method == "HEAD" else [payload]


def stream(events, interval_ms):
    """Server-sent events from a generator: the worker (or thread) is held for the stream's whole life."""
    for i in range(events):
        time.sleep(interval_ms / 1000.0)
        yield sse_event(i)
