"""Checks a student's app before the lab starts a server for it
(lab/commands/my-app.ts): imports ``module``, finds ``attr``, and tells WSGI
from ASGI by the callable's signature, the way the specs define them:

- WSGI (PEP 3333): a plain callable taking ``(environ, start_response)``;
- ASGI 3.0 (asgiref's spec, "Application"): a coroutine function taking
  ``(scope, receive, send)``; an ``async def __call__`` counts.

Usage: ``python3 my_app_probe.py FOLDER MODULE ATTR [SYSPATH]``. Prints one
line ``LAB-PROBE {json}`` last: ``{"interface": "wsgi" | "asgi", ...}``, or
``{"problem": KIND, "message": ...}`` with KIND one of ``module-missing``,
``import-error``, ``attribute-missing``, ``not-callable``, ``not-an-app``.
"""

import importlib
import inspect
import json
import os
import sys
import traceback


def say(**fields):
    sys.stdout.write("\nLAB-PROBE " + json.dumps(fields) + "\n")
    sys.exit(0)


def tail(err):
    """``ValueError: boom (at app.py:3)``: the exception and the last frame of its traceback."""
    frames = traceback.extract_tb(err.__traceback__)
    where = ""
    if frames:
        last = frames[-1]
        where = " (at %s:%d)" % (os.path.relpath(last.filename), last.lineno)
    text = traceback.format_exception_only(type(err), err)[-1].strip()
    return text + where


def positional(fn):
    """How many positional arguments ``fn`` takes (None: any number, it has ``*args``)."""
    try:
        sig = inspect.signature(fn)
    except (TypeError, ValueError):
        return None
    n = 0
    for p in sig.parameters.values():
        if p.kind == p.VAR_POSITIONAL:
            return None
        if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD):
            n += 1
    return n


def interface(obj):
    if inspect.isclass(obj):
        return None, "a class (ASGI 2's two-step form, which the lab does not run)"
    call = obj if inspect.isroutine(obj) else getattr(type(obj), "__call__", None)
    is_async = inspect.iscoroutinefunction(call)
    n = positional(obj)
    if is_async and n in (3, None):
        return "asgi", None
    if not is_async and n in (2, None):
        return "wsgi", None
    return None, "%s taking %s positional arguments" % ("an async callable" if is_async else "a callable", "any" if n is None else n)


def main():
    folder, module, attr = sys.argv[1:4]
    sys.path.insert(0, folder)
    for extra in filter(None, (sys.argv[4] if len(sys.argv) > 4 else "").split(os.pathsep)):
        if extra not in sys.path:
            sys.path.append(extra)
    os.chdir(folder)
    try:
        target = importlib.import_module(module)
    except ModuleNotFoundError as err:
        if err.name and (module == err.name or module.startswith(err.name + ".")):
            say(problem="module-missing", message="no module %s in %s" % (module, folder))
        say(problem="import-error", message=tail(err))
    except BaseException as err:  # SyntaxError, SystemExit, anything the module raises
        say(problem="import-error", message=tail(err))
    for part in attr.split("."):
        if not hasattr(target, part):
            names = sorted(n for n in dir(target) if not n.startswith("_") and callable(getattr(target, n, None)))[:8]
            say(problem="attribute-missing", message="%s has no attribute %s" % (module, part), callables=names)
        target = getattr(target, part)
    if not callable(target):
        say(problem="not-callable", message="%s is a %s, not callable" % (attr, type(target).__name__))
    kind, what = interface(target)
    if kind is None:
        say(problem="not-an-app", message="%s is %s" % (attr, what))
    say(interface=kind, python="%d.%d.%d" % sys.version_info[:3])


main()
