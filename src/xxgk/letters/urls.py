"""Staff URLs, mounted at ``workspace/agencies/<agency_id>/letters/`` (namespace ``letters``)."""

from django.urls import path

from xxgk.letters import views

app_name = "letters"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("settings/", views.settings_edit, name="settings"),
    path("counter/", views.counter_edit, name="counter"),
    path("templates/<slug:kind>/<str:variant>/", views.template_edit, name="template"),
    path("templates/<slug:kind>/<str:variant>/reset/", views.template_reset, name="template_reset"),
    path("<int:letter_id>/", views.letter_edit, name="letter"),
    path("<int:letter_id>.<str:fmt>", views.letter_file, name="file"),
]
