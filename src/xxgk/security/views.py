"""Error pages the security layer owns."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """The page for a refused form (CSRF check failed), in plain Chinese (CSRF_FAILURE_VIEW).

    Django's default page is English-and-technical and suggests setting DEBUG=True; the usual
    causes for staff are an expired page or cookies turned off, so say that. ``reason`` is
    Django's technical reason; it is not shown (and never contains form data).
    """
    return render(request, "403_csrf.html", status=403)
