# The lab in a container, for classes on macOS and Windows laptops (docs/laptops.md).
# Untested here: the machine it was written on has the docker client but no daemon;
# docs/laptops.md says what was checked instead.
#
#   docker build -t app-server-lab .
#   docker run --rm -it -p 127.0.0.1:8080:8080 app-server-lab            # the live demo
#   docker run --rm -it app-server-lab npx lab run prefork-vs-async --quick --stack python
#
# Publish the demo on the same port number (8080:8080): the demo accepts only a Host that
# names it by a loopback name and its own port (lab/live/guard.ts). Bound to 0.0.0.0 inside
# the container, it is view-only without the teacher token it prints (`docker logs`).

# Node 20 on Debian 12 "bookworm" (the Node project's official image)
FROM node:20-bookworm-slim

# The engines and Chromium from Debian bookworm: the same packages `lab doctor` names
# (package versions the lab was measured with: docs/laptops.md)
RUN apt-get update \
 && apt-get install -y --no-install-recommends \
      nginx caddy apache2 libapache2-mod-wsgi-py3 uwsgi uwsgi-plugin-python3 \
      gunicorn uvicorn python3-uvloop python3-httptools python3-gevent python3-werkzeug \
      python3-flask python3-django python3-fastapi python3-quart \
      chromium procps \
 && rm -rf /var/lib/apt/lists/*

WORKDIR /lab
RUN chown node:node /lab
USER node
COPY --chown=node:node . .
# `npm ci` also builds dist/ and web/dist/ (the `prepare` script)
RUN npm ci --no-audit --no-fund

EXPOSE 8080
CMD ["npx", "lab", "demo", "--host", "0.0.0.0", "--port", "8080"]
