"""Settings of the workload project: the least Django runs with.

``MIDDLEWARE = []`` keeps the measured cost to Django's own request path
(URL resolver, request and response objects, signals); a real project's
default middleware (security, sessions, CSRF, auth, messages) needs a
database or adds its own per-request work. ``DATABASES = {}``: no database,
so nothing to migrate.
"""

SECRET_KEY = "lab-only-not-secret"  # required by Django; nothing here is signed
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "[::1]"]
ROOT_URLCONF = "django_app.urls"
INSTALLED_APPS = []
MIDDLEWARE = []
DATABASES = {}
USE_TZ = True
WSGI_APPLICATION = "django_app.wsgi.application"
