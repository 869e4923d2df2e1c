"""The Flask app (flask_app.py) behind Werkzeug's ``ProxyFix``, saying what
it was told about its client, for scenarios/proxy-headers: response headers
``X-Seen-Client`` (Flask's ``request.remote_addr``, the WSGI ``REMOTE_ADDR``)
and ``X-Seen-Scheme`` (``request.scheme``, ``wsgi.url_scheme``), as
whoami_app.py answers them for the standard-library apps.

``ProxyFix(app.wsgi_app, x_for=1, x_proto=1)`` is Flask's own advice for an
app behind one proxy (Flask 2.2 docs, "Tell Flask it is Behind a Proxy",
https://flask.palletsprojects.com/en/2.2.x/deploying/proxy_fix/). Werkzeug
2.2 (werkzeug/middleware/proxy_fix.py): ``x_for=1`` sets ``REMOTE_ADDR`` to
the *last* address of ``X-Forwarded-For`` (the one the one trusted proxy
appended), ``x_proto=1`` sets the scheme from ``X-Forwarded-Proto``; it
trusts the headers from anyone, so it must only run behind that proxy.
"""

from flask import request
from werkzeug.middleware.proxy_fix import ProxyFix

from flask_app import app


@app.after_request
def seen(response):
    response.headers["X-Seen-Client"] = request.remote_addr or "-"
    response.headers["X-Seen-Scheme"] = request.scheme
    return response


app.wsgi_app = ProxyFix(app.wsgi_app, x_for=1, x_proto=1)
application = app
