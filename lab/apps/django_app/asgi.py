"""ASGI entry: ``uvicorn --app-dir lab/apps django_app.asgi:application``.

Django 3.2 answers only ``http`` scopes: it raises on Uvicorn's ``lifespan``
scope, which Uvicorn (``--lifespan auto``) logs as unsupported and goes on.
"""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "django_app.settings")
application = get_asgi_application()
