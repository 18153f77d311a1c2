"""Public URLs under an agency's portal page, mounted at ``org/<slug>/apply/`` (namespace
``apply``)."""

from django.urls import path

from xxgk.applications import public_views

app_name = "apply"
urlpatterns = [
    path("", public_views.apply, name="form"),
    path("status/", public_views.status, name="status"),
]
