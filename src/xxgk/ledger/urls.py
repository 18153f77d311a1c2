"""Staff URLs, mounted at ``workspace/agencies/<agency_id>/ledger/`` (namespace ``ledger``)."""

from django.urls import path

from xxgk.ledger import views

app_name = "ledger"
urlpatterns = [
    path("", views.home, name="home"),
    path("export.xlsx", views.export, name="export"),
    path("import/", views.import_view, name="import"),
]
