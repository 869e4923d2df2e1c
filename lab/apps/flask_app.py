"""The workload as a Flask application (a WSGI app with a framework's
per-request work: URL map, request and response objects, hooks).

Run by the lab as ``gunicorn --chdir lab/apps flask_app:application``.
Answers exactly like wsgi_app.py (same routes, statuses, bodies and
``X-Worker`` header); the difference shows as CPU time per request.

- Flask's router decides 404 and 405; the handlers answer with the messages
  ``workload.refusal`` gives, so they match every other app.
- ``static_folder=None``: Flask's own static view is off, ``/static/<name>``
  is the contract's (``$LAB_STATIC_DIR``).
- ``POST /work`` reads ``request.stream`` in chunks (Werkzeug 2.2 hands the
  raw ``wsgi.input`` through when the server sets ``wsgi.input_terminated``,
  as Gunicorn does, so chunked bodies are read too).
- ``/stream`` is a generator response: the worker is held for its life.
"""

from flask import Flask, Response, request

from serving import SSE_HEADERS, drain, events, static_answer, wsgi_raw_path
from serving import work as do_work
from workload import refusal, stream_params, work_params, worker_id

app = Flask(__name__, static_folder=None)
application = app


def text(message, status=200, content_type="text/plain"):
    """A response with exactly this content type (``mimetype=`` would add a charset)."""
    return Response(message, status=status, content_type=content_type)


def bad(message):
    return text((message + "\n").encode("utf-8"), 400)


@app.route("/health", methods=["GET"])
def health():
    return text(b"ok")


@app.route("/work", methods=["GET", "POST"])
def work():
    params = work_params(request.query_string.decode("latin-1"))
    if isinstance(params, str):
        return bad(params)
    if request.method == "POST":
        drain(request.stream.read)
    return text(do_work(*params))


@app.route("/stream", methods=["GET"])
def stream():
    params = stream_params(request.query_string.decode("latin-1"))
    if isinstance(params, str):
        return bad(params)
    return Response(events(*params), headers=SSE_HEADERS)


@app.route("/static/<path:_name>", methods=["GET"])
def static(_name):
    status, payload, content_type = static_answer(wsgi_raw_path(request.environ))
    return text(payload, status, content_type)


@app.errorhandler(404)
@app.errorhandler(405)
def refused(_error):
    status, message = refusal(request.method, wsgi_raw_path(request.environ))
    return text((message + "\n").encode("utf-8"), status)


@app.after_request
def add_worker(response):
    response.headers["X-Worker"] = worker_id()
    return response
