"""The workload as a plain WSGI application (PEP 3333), standard library only.

Run by the lab as ``gunicorn --chdir lab/apps wsgi_app:application``. A wait
(``io_ms``) is ``time.sleep``: it blocks the worker (or, under ``gthread``,
the thread), exactly like a synchronous database call. A ``POST /work`` body
is read from ``wsgi.input`` by the app itself, as PEP 3333 has it (Gunicorn
calls the app once the headers are in, and decodes a chunked body for it).
See workload.py for the contract, serving.py for the waits and faults.
"""

import time

from serving import SSE_HEADERS, c_sleep, drain, events, static_answer, text_headers, work, wsgi_raw_path
from workload import REASON, route, worker_id


def application(environ, start_response, sleep=time.sleep):
    method = environ.get("REQUEST_METHOD", "GET")
    r = route(method, wsgi_raw_path(environ), environ.get("QUERY_STRING", ""))
    content_type = "text/plain"
    if r[0] == "stream":
        start_response("200 OK", SSE_HEADERS + [("X-Worker", worker_id())])
        return events(r[1], r[2])
    if r[0] == "health":
        status, payload = 200, b"ok"
    elif r[0] == "error":
        status, payload = r[1], (r[2] + "\n").encode("utf-8")
    elif r[0] == "static":
        status, payload, content_type = static_answer(r[1])
    else:
        if method == "POST":
            drain(environ["wsgi.input"].read)  # the worker is held while the body arrives
        status, payload = 200, work(*r[1:], sleep=sleep)
    start_response("%d %s" % (status, REASON[status]), text_headers(len(payload), content_type))
    return [] if method == "HEAD" else [payload]


def c_sleep_application(environ, start_response):
    """The same app with its waits (``io_ms``) in C (``serving.c_sleep``):
    under a sync or gthread worker they block the worker or the thread as
    ``time.sleep`` does; under gevent they block every greenlet of the process."""
    return application(environ, start_response, sleep=c_sleep)
