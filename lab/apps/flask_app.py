"""The workload as a Flask application (a WSGI app with a framework's
per-request work: routing, request and response objects, hooks).

Run by the lab as ``gunicorn --chdir lab/apps flask_app:application``.
Answers exactly like wsgi_app.py (same routes, statuses, bodies and
``X-Worker`` header); the difference shows as CPU time per request.
"""

import time

from flask import Flask, Response, request

from workload import body, burn_cpu, int_param, parse_query, worker_id

app = Flask(__name__, static_folder=None)
application = app


def text(message, status):
    return Response(message, status=status, content_type="text/plain")


def raw_path():
    uri = request.environ.get("RAW_URI") or request.environ.get("REQUEST_URI")
    return uri.split("?", 1)[0] if uri else request.path


@app.route("/health", methods=["GET"])
def health():
    return text(b"ok", 200)


@app.route("/work", methods=["GET"])
def work():
    query = parse_query(request.query_string.decode("latin-1"))
    values = [int_param(query, name) for name in ("io_ms", "cpu_ms", "bytes")]
    for v in values:
        if isinstance(v, str):
            return text((v + "\n").encode("utf-8"), 400)
    io_ms, cpu_ms, size = values
    if io_ms > 0:
        time.sleep(io_ms / 1000.0)
    burn_cpu(cpu_ms)
    return text(body(size), 200)


@app.errorhandler(404)
def not_found(_error):
    return text(("no route %s\n" % raw_path()).encode("utf-8"), 404)


@app.errorhandler(405)
def not_allowed(_error):
    return text(("%s not allowed\n" % request.method).encode("utf-8"), 405)


@app.after_request
def add_worker(response):
    response.headers["X-Worker"] = worker_id()
    return response
