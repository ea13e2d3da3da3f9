# Production image: gunicorn + whitenoise; the same image runs the Celery worker and beat.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 \
    STATICFILES_BACKEND=whitenoise.storage.CompressedManifestStaticFilesStorage

# gettext for the catalogues; pango for WeasyPrint PDFs; fonts for French accents in PDFs.
RUN apt-get update \
 && apt-get install -y --no-install-recommends gettext libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core \
 && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt
COPY . .
RUN DJANGO_DEBUG=1 python manage.py compile_translations \
 && DJANGO_DEBUG=1 python manage.py collectstatic --noinput

RUN useradd --system --uid 1000 dnapes && mkdir -p /app/private_media /app/audit \
 && chown dnapes /app/private_media /app/audit
USER dnapes
EXPOSE 8000
CMD ["gunicorn", "config.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--timeout", "60"]
