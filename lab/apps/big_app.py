"""The standard-library WSGI app (wsgi_app.py) that first imports a large
module (big_module.py), for scenarios/preload: where the import happens
(in each worker, or once in Gunicorn's master with ``--preload``) decides
whether the workers share its memory. Standard library only.
"""

import big_module  # noqa: F401  (the import is the point: 32 MiB of data)
from wsgi_app import application  # noqa: F401
