"""ASGI entry point (``uvicorn xxgk.asgi:application``). The app is synchronous; gunicorn with
``xxgk.wsgi`` is the recommended production server (docs/production.md)."""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "xxgk.settings")
application = get_asgi_application()
