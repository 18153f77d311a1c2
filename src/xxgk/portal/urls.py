from django.urls import path

from xxgk.portal import views

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("org/<slug:slug>/", views.agency, name="agency"),
    path("org/<slug:slug>/guide/", views.guide, name="guide"),
    path("org/<slug:slug>/catalogue/", views.catalogue, name="catalogue"),
]
