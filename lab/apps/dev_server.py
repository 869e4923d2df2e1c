"""Runs a WSGI app on a development server, as the lab's `wsgiref` and
`werkzeug` engines start it (lab/engines/dev-servers.ts):

    python3 dev_server.py wsgiref  PORT module:callable
    python3 dev_server.py werkzeug PORT module:callable threaded|single

- ``wsgiref``: the standard library's ``wsgiref.simple_server.make_server``
  (Python 3.11): one process, one thread, one request at a time; its
  ``socketserver.TCPServer`` listens with ``request_queue_size = 5``; it
  answers HTTP/1.0 and closes every connection.
- ``werkzeug``: ``werkzeug.serving.run_simple`` (Werkzeug 2.2), which is what
  ``flask run`` calls. ``threaded`` is Flask's default (``flask run
  --with-threads``, and ``Flask.run`` sets ``threaded=True``): a new thread per
  connection, no limit on their number; ``single`` is ``threaded=False``:
  one request at a time. No reloader, no debugger (the lab measures the server,
  not its development aids).

Both log one line per request to stderr, as they do by default. Standard
library only, except Werkzeug itself.
"""

import importlib
import sys


def load(entry):
    """The callable named by ``module:attribute``."""
    module, _, attr = entry.partition(":")
    return getattr(importlib.import_module(module), attr or "application")


def main(argv):
    kind, port, entry = argv[1], int(argv[2]), argv[3]
    app = load(entry)
    if kind == "wsgiref":
        from wsgiref.simple_server import make_server

        with make_server("127.0.0.1", port, app) as server:
            print("wsgiref serving on 127.0.0.1:%d" % port, file=sys.stderr, flush=True)
            server.serve_forever()
    elif kind == "werkzeug":
        from werkzeug.serving import run_simple

        threaded = len(argv) < 5 or argv[4] == "threaded"
        run_simple("127.0.0.1", port, app, threaded=threaded)
    else:
        sys.exit("dev_server.py: unknown server %r (wsgiref or werkzeug)" % kind)


if __name__ == "__main__":
    main(sys.argv)
