"""The workload as a Django project: settings in code, no database, no
migrations, no middleware, no installed apps (docs/workload-contract.md).

Entry points (run with ``--chdir``/``--app-dir lab/apps``):

- WSGI: ``gunicorn --chdir lab/apps django_app.wsgi:application``
- ASGI: ``uvicorn --app-dir lab/apps django_app.asgi:application``

Routes: the contract's (``/work``, ``/health``, ``/static/<name>``,
``/stream``), answered by plain ``def`` views, plus ``/work-async``: the same
``/work`` as an ``async def`` view. What each kind of view costs depends on
the server, and that is the lesson (Django 3.2 with asgiref 3.6, as Debian
12 ships them; django/core/handlers/base.py and asgi.py):

- under WSGI (Gunicorn) a ``def`` view runs in the worker, as in any WSGI
  app; an ``async def`` view is run by ``async_to_sync``, which starts an
  event loop in a helper thread for that one request and blocks the worker
  until it ends, so an async view gains nothing there;
- under ASGI (Uvicorn) an ``async def`` view runs on the event loop; a
  ``def`` view is wrapped in ``sync_to_async(thread_sensitive=True)``.
  Django 3.2 sets no ``ThreadSensitiveContext``, so every such call goes to
  asgiref's one ``single_thread_executor``: sync views run ONE AT A TIME in a
  single thread, and ``io_ms=50`` caps a whole Uvicorn process at about
  20 req/s. Django also sends ``request_started`` and closes every response
  through that thread, async views' included, so a hung sync view stops
  every request of the process;
- under ASGI, Django 3.2 reads the whole request body into a temporary file
  before any view runs (``ASGIHandler.read_body``), and iterates a streaming
  response's iterator on the event loop itself (``send_response``), so
  ``/stream``'s ``time.sleep`` between events blocks the loop for the
  stream's whole life (asynchronous iterators arrived in Django 4.2).
"""
