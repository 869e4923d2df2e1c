"""The student's own app (``lab run my-app --app FILE.py:ATTR``), loaded for
the lab's server engines.

Gunicorn runs ``my_app:application`` and Uvicorn ``my_app:app`` from lab/apps;
this module imports the student's module from the folder the lab found it in
and hands its callable over unchanged, except for one route: ``GET /health``
answers ``200 ok`` here, because the lab waits for it before it measures
(lab/engines/common.ts, ``launch``). A student's own ``/health`` is shadowed,
which is why ``--path /health`` is refused.

Read from the environment (set by lab/commands/my-app.ts):

- ``LAB_APP_DIR``: the folder put first on ``sys.path`` (and made the working
  directory, as ``gunicorn --chdir`` would);
- ``LAB_APP_MODULE`` and ``LAB_APP_ATTR``: ``module`` and ``attr`` of
  ``module:attr`` (``attr`` may be dotted);
- ``LAB_APP_SYSPATH``: with ``--python PATH``, that interpreter's
  ``site-packages`` folders (``os.pathsep``-separated), appended to ``sys.path``
  so the app's packages come from its virtualenv while the server stays Debian's.
"""

import importlib
import os
import sys

HEALTH = b"ok"


def _load():
    folder = os.environ["LAB_APP_DIR"]
    sys.path.insert(0, folder)
    for extra in filter(None, os.environ.get("LAB_APP_SYSPATH", "").split(os.pathsep)):
        if extra not in sys.path:
            sys.path.append(extra)
    os.chdir(folder)
    target = importlib.import_module(os.environ["LAB_APP_MODULE"])
    for part in os.environ["LAB_APP_ATTR"].split("."):
        target = getattr(target, part)
    return target


_student = _load()


def application(environ, start_response):
    """WSGI (PEP 3333): the student's app, but ``GET /health`` answered here."""
    if environ.get("PATH_INFO") == "/health" and environ.get("REQUEST_METHOD") == "GET":
        start_response("200 OK", [("Content-Type", "text/plain"), ("Content-Length", str(len(HEALTH)))])
        return [HEALTH]
    return _student(environ, start_response)


async def app(scope, receive, send):
    """ASGI 3.0: the student's app (lifespan and WebSocket scopes included), but ``GET /health`` answered here."""
    if scope["type"] == "http" and scope["path"] == "/health" and scope["method"] == "GET":
        headers = [(b"content-type", b"text/plain"), (b"content-length", str(len(HEALTH)).encode())]
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        await send({"type": "http.response.body", "body": HEALTH})
        return
    await _student(scope, receive, send)
