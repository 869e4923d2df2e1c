"""The workload contract, shared by the lab's Python apps
(docs/workload-contract.md); a line-for-line twin of lab/servers/workload.ts.

- ``GET /work?io_ms=50&cpu_ms=0&bytes=1024``: wait ``io_ms`` milliseconds,
  then burn ``cpu_ms`` milliseconds of CPU time, then answer 200 with
  ``bytes`` bytes of body;
- ``POST /work?...``: the handler first reads the whole request body itself
  (``wsgi.input`` / ASGI ``http.request`` messages, Content-Length or
  chunked), then does what ``GET /work`` does; a slow upload holds whatever
  serves the handler (a sync worker, a thread) while the body trickles in;
- ``GET /health``: 200 ``ok`` at once;
- ``GET /static/<file>``: a file from the folder named by the environment
  variable ``LAB_STATIC_DIR`` (404 ``no such file`` without one, or for a
  name that is missing or would leave the folder);
- ``GET /stream?events=10&interval_ms=1000``: server-sent events, one every
  ``interval_ms``; ``/work`` also takes ``crash_pct`` (the worker process dies
  on that percent of requests), ``hang_pct`` (that percent never answer) and
  ``leak_kb`` (the worker keeps that many KiB for as long as it lives);
- anything else: 404 (unknown path), 405 (a method other than GET and
  HEAD, and POST on /work, on a known path), 400 (a parameter that is not
  an integer within its limit);
- every response carries ``X-Worker: <pid>``.

How to wait is the server's business (``time.sleep`` blocks a WSGI worker,
``await asyncio.sleep`` yields in an ASGI event loop; serving.py has both),
so this module only routes, burns CPU, reads static files and builds bodies.
Standard library only.
"""

import json
import math
import os
import random
import re
import threading
import time
from urllib.parse import parse_qsl, unquote

#: The bounds of the query parameters, shared with the lab and the built-in
#: servers: lab/contract/bounds.json (one object per parameter: min, max, default).
BOUNDS_FILE = os.path.join(os.path.dirname(os.path.abspath(__file__)), os.pardir, "contract", "bounds.json")
with open(BOUNDS_FILE, encoding="utf-8") as _f:
    _BOUNDS = {name: b for name, b in json.load(_f).items() if not name.startswith("$")}
#: Upper bounds of the query parameters; larger values answer 400.
LIMITS = {name: b["max"] for name, b in _BOUNDS.items()}
#: Defaults of the query parameters of /work and /stream.
DEFAULTS = {name: b["default"] for name, b in _BOUNDS.items()}

REASON = {200: "OK", 400: "Bad Request", 404: "Not Found", 405: "Method Not Allowed", 503: "Service Unavailable"}

_DECIMAL = re.compile(r"[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?", re.ASCII)
_PREFIXED = re.compile(r"0(?:[xX][0-9a-fA-F]+|[oO][0-7]+|[bB][01]+)", re.ASCII)


def js_number(raw):
    """``Number(raw)`` as JavaScript reads a string, so that the Python apps
    accept and refuse exactly what the Node servers do ("50", "5e1" and "50.0"
    are 50; "abc", "0x" and "1_000" are not numbers)."""
    s = raw.strip()
    if s == "":
        return 0.0
    if s in ("Infinity", "+Infinity"):
        return math.inf
    if s == "-Infinity":
        return -math.inf
    if _PREFIXED.fullmatch(s):
        return float(int(s, 0))
    if _DECIMAL.fullmatch(s):
        return float(s)
    return math.nan


def int_param(query, name):
    """The integer value of query parameter ``name`` (first occurrence), its
    default when absent or empty, or an error message (a ``str``)."""
    raw = query.get(name)
    if raw is None or raw == "":
        return DEFAULTS[name]
    n = js_number(raw)
    if not math.isfinite(n) or n != math.floor(n) or n < 0 or n > LIMITS[name]:
        return "%s=%s: expected an integer 0..%d" % (name, raw, LIMITS[name])
    return int(n)


def pct_param(query, name):
    """A percentage 0..100 (0 when absent), or an error message (a ``str``)."""
    raw = query.get(name)
    if raw is None or raw == "":
        return 0.0
    n = js_number(raw)
    if not math.isfinite(n) or n < 0 or n > 100:
        return "%s=%s: expected a percentage 0..100" % (name, raw)
    return n


_owed = {}
_owed_lock = threading.Lock()


def chance(pct, kind):
    """Whether the injected fault ``kind`` (``"crash"`` or ``"hang"``) happens
    on this request: on ``pct`` percent of this process's requests that ask
    for it, evenly spaced after the first, which comes between half and one
    and a half spacings in, at random, as the built-in servers do
    (lab/servers/workload.ts ``chance``, whose comment says why). ``random``
    is reseeded in a forked child (Python >= 3.7, ``os.register_at_fork``),
    so the workers of a pool draw their own."""
    if not pct > 0:
        return False
    with _owed_lock:
        due = _owed.get(kind, random.random() * 100 - 50 + pct / 2) + pct
        fires = due >= 100
        _owed[kind] = due - 100 if fires else due
    return fires


def sse_event(i):
    """One server-sent event: ``data: <i>`` and a blank line."""
    return ("data: %d\n\n" % i).encode("ascii")


def parse_query(query_string):
    """First value of each name, decoded like the WHATWG ``URLSearchParams``
    (``+`` is a space, percent escapes are UTF-8)."""
    query = {}
    for name, value in parse_qsl(query_string, keep_blank_values=True):
        query.setdefault(name, value)
    return query


def work_params(query_string):
    """``(io_ms, cpu_ms, bytes, crash_pct, hang_pct, leak_kb)`` of a /work query, or an error message (a ``str``)."""
    query = parse_query(query_string)
    values = [int_param(query, name) for name in ("io_ms", "cpu_ms", "bytes")]
    values += [pct_param(query, name) for name in ("crash_pct", "hang_pct")]
    values.append(int_param(query, "leak_kb"))
    return next((v for v in values if isinstance(v, str)), tuple(values))


def stream_params(query_string):
    """``(events, interval_ms)`` of a /stream query, or an error message (a ``str``)."""
    query = parse_query(query_string)
    values = [int_param(query, name) for name in ("events", "interval_ms")]
    return next((v for v in values if isinstance(v, str)), tuple(values))


def route(method, path, query_string):
    """Routes a request.

    :param path: the path as sent (percent escapes intact), without the query
    :returns: ``("work", io_ms, cpu_ms, bytes, crash_pct, hang_pct, leak_kb)`` (for
        ``POST`` the caller reads the body first), ``("stream", events,
        interval_ms)``, ``("static", path)``, ``("health",)`` or
        ``("error", status, message)``
    """
    if path.startswith("/static/"):
        if method not in ("GET", "HEAD"):
            return ("error",) + not_allowed(method)
        return ("static", path)
    if path not in ("/work", "/health", "/stream"):
        return ("error", 404, "no route " + path)
    if method not in (("GET", "HEAD", "POST") if path == "/work" else ("GET", "HEAD")):
        return ("error",) + not_allowed(method)
    if path == "/health":
        return ("health",)
    values = stream_params(query_string) if path == "/stream" else work_params(query_string)
    if isinstance(values, str):
        return ("error", 400, values)
    return ("stream" if path == "/stream" else "work",) + values


def not_allowed(method):
    """``(405, message)`` for a method a known path does not take."""
    return 405, method + " not allowed"


def refusal(method, path):
    """``(status, message)`` for a request a framework's own router turned
    away (its 404 or 405 handler), decided by :func:`route` so that every app
    answers the same status and message; a ``/static/`` path the router could
    not match is a missing file."""
    r = route(method, path, "")
    if r[0] == "error":
        return r[1], r[2]
    if r[0] == "static":
        return 404, NO_SUCH_FILE
    return 404, "no route " + path


_sink = 0.0


def burn_cpu(ms):
    """Burns ``ms`` milliseconds of this thread's CPU time
    (``time.thread_time()``), not wall time: with more busy workers than cores
    a wall-clock loop is preempted and counts its waiting as work
    (docs/measurement.md, "CPU time, not wall time"). In a threaded worker the other threads wait for the GIL
    meanwhile, which is the lesson of the threads-hybrid scenario."""
    global _sink
    if ms <= 0:
        return
    goal = time.thread_time() + ms / 1000.0
    x = 0.0
    while time.thread_time() < goal:
        for i in range(1, 200):
            x += math.sqrt(i)
    _sink = x


_bodies = {}


def body(size):
    """A body of ``size`` bytes (``x`` repeated, newline-terminated when it has
    room); cached per size."""
    b = _bodies.get(size)
    if b is None:
        b = b"x" * (size - 1) + b"\n" if size > 0 else b""
        if len(_bodies) > 32:
            _bodies.clear()
        _bodies[size] = b
    return b


def worker_id():
    """The ``X-Worker`` value: this process's pid (read per request, so it is
    right in every forked worker even when the app was imported before the
    fork)."""
    return str(os.getpid())


#: The message of a 404 under /static/.
NO_SUCH_FILE = "no such file"

#: Content types by file extension (lab/servers/proxy-logic.ts CONTENT_TYPES;
#: anything else is ``application/octet-stream``, nginx's ``default_type``).
CONTENT_TYPES = {
    "html": "text/html", "css": "text/css", "js": "application/javascript", "json": "application/json",
    "txt": "text/plain", "svg": "image/svg+xml", "png": "image/png", "jpg": "image/jpeg",
    "jpeg": "image/jpeg", "gif": "image/gif", "woff2": "font/woff2",
}

_files = {}


def static_file(path):
    """The file ``GET /static/<name>`` asks for, from ``$LAB_STATIC_DIR``.

    The name is percent-decoded (UTF-8); an empty name, NUL, a backslash, or a
    ``.``/``..``/empty segment is refused, as lab/servers/proxy-logic.ts
    ``staticFile`` does. Read synchronously (a WSGI worker blocks on its
    disk reads) and kept in memory while its mtime and size are unchanged, as
    the page cache would keep it.

    :param path: the path as sent (percent escapes intact), without the query
    :returns: ``(body, content_type)``, or ``None`` (404)
    """
    folder = os.environ.get("LAB_STATIC_DIR")
    if not folder or not path.startswith("/static/"):
        return None
    try:
        name = unquote(path[len("/static/"):], errors="strict")
    except UnicodeDecodeError:
        return None
    parts = name.split("/")
    if name == "" or "\0" in name or "\\" in name or any(p in ("", ".", "..") for p in parts):
        return None
    file = os.path.join(folder, *parts)
    try:
        st = os.stat(file)
        if not os.path.isfile(file):
            return None
        cached = _files.get(file)
        if cached is None or cached[0] != (st.st_mtime_ns, st.st_size):
            with open(file, "rb") as f:
                cached = ((st.st_mtime_ns, st.st_size), f.read())
            if len(_files) >= 64:
                _files.pop(next(iter(_files)))
            _files[file] = cached
    except OSError:
        return None
    ext = file.rsplit(".", 1)[1].lower() if "." in os.path.basename(file) else ""
    return cached[1], CONTENT_TYPES.get(ext, "application/octet-stream")
