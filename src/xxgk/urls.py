from django.urls import include, path

urlpatterns = [
    path("", include("xxgk.portal.urls")),
]
