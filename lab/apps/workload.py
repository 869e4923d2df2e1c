"""The workload contract, shared by the lab's Python apps (design.md, "The
workload contract"); a line-for-line twin of lab/servers/workload.ts.

- ``GET /work?io_ms=50&cpu_ms=0&bytes=1024``: wait ``io_ms`` milliseconds,
  then burn ``cpu_ms`` milliseconds of CPU time, then answer 200 with
  ``bytes`` bytes of body;
- ``GET /health``: 200 ``ok`` at once;
- ``GET /stream?events=10&interval_ms=1000``: server-sent events, one every
  ``interval_ms``; ``/work`` also takes ``crash_pct`` (the worker process dies
  on that percent of requests) and ``hang_pct`` (that percent never answer);
- anything else: 404 (unknown path), 405 (method other than GET/HEAD on a
  known path), 400 (a parameter that is not an integer within its limit);
- every response carries ``X-Worker: <pid>``.

How to wait is the server's business (``time.sleep`` blocks a WSGI worker,
``await asyncio.sleep`` yields in an ASGI event loop), so this module only
routes, burns CPU and builds bodies. Standard library only.
"""

import json
import math
import os
import random
import re
import time
from urllib.parse import parse_qsl

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


def chance(pct):
    """Whether an injected fault happens this time (``pct`` percent of the time)."""
    return pct > 0 and random.random() * 100 < pct


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


def route(method, path, query_string):
    """Routes a request.

    :param path: the path as sent (percent escapes intact), without the query
    :returns: ``("work", io_ms, cpu_ms, bytes, crash_pct, hang_pct)``,
        ``("stream", events, interval_ms)``, ``("health",)`` or
        ``("error", status, message)``
    """
    if path not in ("/work", "/health", "/stream"):
        return ("error", 404, "no route " + path)
    if method not in ("GET", "HEAD"):
        return ("error", 405, method + " not allowed")
    if path == "/health":
        return ("health",)
    query = parse_query(query_string)
    if path == "/stream":
        values = [int_param(query, name) for name in ("events", "interval_ms")]
    else:
        values = [int_param(query, name) for name in ("io_ms", "cpu_ms", "bytes")]
        values += [pct_param(query, name) for name in ("crash_pct", "hang_pct")]
    for v in values:
        if isinstance(v, str):
            return ("error", 400, v)
    return ("stream" if path == "/stream" else "work",) + tuple(values)


_sink = 0.0


def burn_cpu(ms):
    """Burns ``ms`` milliseconds of this thread's CPU time
    (``time.thread_time()``), not wall time: with more busy workers than cores
    a wall-clock loop is preempted and counts its waiting as work
    (design.md). In a threaded worker the other threads wait for the GIL
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
