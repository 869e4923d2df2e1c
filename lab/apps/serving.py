"""How the apps serve a routed request, in the two styles the lesson compares.

Blocking (WSGI apps, and framework views that run in a thread): a wait is
``time.sleep``, which holds the worker process or the thread for its whole
length. Yielding (ASGI apps, ``async def`` views): a wait is
``await asyncio.sleep``, which hands the event loop to other requests. The
CPU burn blocks in both (``workload.burn_cpu``); on an event loop it blocks
every other request meanwhile.

Fault injection (``crash_pct``, ``hang_pct``) is the same everywhere:
``os._exit(70)`` ends the process that runs the handler at once, without
answering or cleaning up (Gunicorn's arbiter starts another worker; a
Uvicorn process has no master and is gone), and a hang never answers
(a sleeping thread or worker until a ``--timeout`` kills it; an awaited
event that never fires on a loop, which goes on serving the others).

Standard library only; see workload.py for the contract.
"""

import asyncio
import os
import time
from urllib.parse import quote

from workload import NO_SUCH_FILE, body, burn_cpu, chance, sse_event, static_file, worker_id

#: Exit status of a worker killed by ``crash_pct`` (EX_SOFTWARE).
CRASH_STATUS = 70

#: Headers of a ``/stream`` response, besides ``X-Worker``.
SSE_HEADERS = [("Content-Type", "text/event-stream"), ("Cache-Control", "no-cache")]

#: Bytes read from a request body at a time.
CHUNK = 64 * 1024

#: What ``leak_kb`` leaked: kept until the process exits (scenarios/worker-recycling).
_leaked = []


def leak(kb):
    """Keeps ``kb`` KiB for as long as this process lives, filled with ones
    so that every page is touched and counts in RSS (lab/servers/prefork.ts
    does the same)."""
    if kb > 0:
        _leaked.append(b"\x01" * (kb * 1024))


def c_sleep(seconds):
    """Sleeps in C: libc's ``nanosleep`` through ctypes (which releases the
    GIL, so other threads run). A monkey patch replaces Python functions such
    as ``time.sleep``; it cannot see this call, so under gevent it holds the
    whole process, every greenlet with it (gevent 22.10, "Monkey patching")."""
    import ctypes

    class Timespec(ctypes.Structure):
        _fields_ = [("tv_sec", ctypes.c_long), ("tv_nsec", ctypes.c_long)]

    whole = int(seconds)
    ctypes.CDLL(None, use_errno=True).nanosleep(ctypes.byref(Timespec(whole, int((seconds - whole) * 1e9))), None)


def work(io_ms, cpu_ms, size, crash_pct, hang_pct, leak_kb=0, sleep=time.sleep):
    """Does ``/work`` the blocking way and returns the body to send; ``sleep``
    waits (``time.sleep``, or ``c_sleep`` for a wait a monkey patch cannot see).
    Never returns on a crash (the process exits) or a hang (sleeps forever)."""
    if chance(crash_pct, "crash"):
        os._exit(CRASH_STATUS)
    if chance(hang_pct, "hang"):
        while True:
            time.sleep(3600)
    leak(leak_kb)
    if io_ms > 0:
        sleep(io_ms / 1000.0)
    burn_cpu(cpu_ms)
    return body(size)


async def work_async(io_ms, cpu_ms, size, crash_pct, hang_pct, leak_kb=0):
    """Does ``/work`` the yielding way and returns the body to send.
    Never returns on a crash (the process exits) or a hang (awaits forever)."""
    if chance(crash_pct, "crash"):
        os._exit(CRASH_STATUS)
    if chance(hang_pct, "hang"):
        await asyncio.Event().wait()
    leak(leak_kb)
    if io_ms > 0:
        await asyncio.sleep(io_ms / 1000.0)
    burn_cpu(cpu_ms)
    return body(size)


def events(count, interval_ms):
    """Server-sent events from a generator: whatever iterates it (a sync
    worker, a thread) is held for the stream's whole life."""
    for i in range(count):
        time.sleep(interval_ms / 1000.0)
        yield sse_event(i)


async def events_async(count, interval_ms):
    """Server-sent events from an async generator: each stream is a coroutine
    waiting on a timer; one loop holds many at once."""
    for i in range(count):
        await asyncio.sleep(interval_ms / 1000.0)
        yield sse_event(i)


def drain(read):
    """Reads a request body to its end with ``read(CHUNK)`` (a file-like's
    ``read``: ``wsgi.input``, a framework's request stream) and returns its
    length in bytes; blocks while the client is still sending."""
    total = 0
    while True:
        chunk = read(CHUNK)
        if not chunk:
            return total
        total += len(chunk)


async def drain_async(chunks):
    """Reads a request body to its end from an async iterator of ``bytes``
    chunks and returns its length in bytes; yields while the client is still
    sending."""
    total = 0
    async for chunk in chunks:
        total += len(chunk)
    return total


def wsgi_raw_path(environ):
    """The path as the client sent it (percent escapes intact): Gunicorn's
    ``RAW_URI`` (or ``REQUEST_URI``) without the query; else ``PATH_INFO``
    re-escaped."""
    uri = environ.get("RAW_URI") or environ.get("REQUEST_URI")
    if uri:
        return uri.split("?", 1)[0]
    path = environ.get("SCRIPT_NAME", "") + environ.get("PATH_INFO", "")
    return quote(path.encode("latin-1"), safe="/:@!$&'()*+,;=-._~")


def asgi_raw_path(scope):
    """The path as the client sent it: the ASGI scope's ``raw_path`` without
    the query (Uvicorn sends it), else ``path``."""
    raw = scope.get("raw_path")
    return raw.decode("latin-1").split("?", 1)[0] if raw else scope["path"]


def text_headers(length, content_type="text/plain"):
    """The headers of a plain answer: its type, its length, ``X-Worker``."""
    return [("Content-Type", content_type), ("Content-Length", str(length)), ("X-Worker", worker_id())]


def static_answer(path):
    """``(status, body, content_type)`` for ``GET /static/<name>``: 200 and
    the file from ``$LAB_STATIC_DIR``, or 404 ``no such file``."""
    found = static_file(path)
    if found:
        return 200, found[0], found[1]
    return 404, (NO_SUCH_FILE + "\n").encode("ascii"), "text/plain"
