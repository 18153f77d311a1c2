"""A Django "hello" app for ``benchmarks/web.py``: the ceiling a page of ours can reach.

Served by the same gunicorn command as ``xxgk.wsgi``. It takes the project's settings (same
environment, same database, same middleware) and swaps the URLconf for one view that
returns a fixed string, so the difference to a real page is the page's own work. With
``XXGK_HELLO_BARE=1`` the middleware is dropped as well: bare Django.
"""

from __future__ import annotations

import os

from django.conf import settings
from django.core.wsgi import get_wsgi_application
from django.http import HttpRequest, HttpResponse
from django.urls import path

import xxgk.settings as project


def hello(request: HttpRequest) -> HttpResponse:
    return HttpResponse("hello", content_type="text/plain; charset=utf-8")


urlpatterns = [path("", hello)]

_overrides: dict[str, object] = {"ROOT_URLCONF": __name__}
if os.environ.get("XXGK_HELLO_BARE") == "1":
    _overrides["MIDDLEWARE"] = []

_values = {name: getattr(project, name) for name in dir(project) if name.isupper()}
_values.update(_overrides)
settings.configure(**_values)
application = get_wsgi_application()
