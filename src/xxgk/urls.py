from django.urls import include, path

from xxgk.api.views import api

urlpatterns = [
    path("accounts/", include("xxgk.accounts.urls")),
    path("workspace/", include("xxgk.workspace.urls")),
    path(
        "workspace/agencies/<int:agency_id>/applications/",
        include("xxgk.applications.urls"),
    ),
    path("workspace/agencies/<int:agency_id>/letters/", include("xxgk.letters.urls")),
    path("workspace/agencies/<int:agency_id>/ledger/", include("xxgk.ledger.urls")),
    path("org/<slug:slug>/apply/", include("xxgk.applications.public_urls")),
    path("api/", api.urls),
    path("", include("xxgk.portal.urls")),
]

handler403 = "xxgk.workspace.views.permission_denied"
