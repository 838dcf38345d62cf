# Production image: web (gunicorn), worker and beat share it.
FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1
RUN apt-get update && apt-get install -y --no-install-recommends gcc gettext libvoikko1 voikko-fi && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt
COPY . .
RUN DJANGO_SECRET_KEY=build DATABASE_URL=postgres://build@localhost/build python manage.py collectstatic --no-input \
 && python manage.py compilemessages --ignore=.venv || true
RUN useradd --system tarmoa && chown -R tarmoa /app
USER tarmoa
EXPOSE 8000
CMD ["gunicorn", "tarmoa.wsgi:application", "--bind", "0.0.0.0:8000"]
