from django.urls import path

from xxgk.workspace import views

app_name = "workspace"
urlpatterns = [
    path("", views.home, name="home"),
    path("account/", views.account, name="account"),
    path("account/totp/", views.account_totp, name="account_totp"),
    path("account/tokens/", views.token_create, name="token_create"),
    path("account/tokens/<int:token_id>/revoke/", views.token_revoke, name="token_revoke"),
    path("agencies/<int:agency_id>/", views.agency_detail, name="agency"),
    path("agencies/<int:agency_id>/edit/", views.agency_edit, name="agency_edit"),
    path("agencies/<int:agency_id>/new/", views.agency_new, name="agency_new"),
    path("agencies/<int:agency_id>/staff/", views.staff_list, name="staff"),
    path("agencies/<int:agency_id>/staff/new/", views.staff_new, name="staff_new"),
    path("agencies/<int:agency_id>/staff/<int:user_id>/", views.staff_detail, name="staff_detail"),
    path(
        "agencies/<int:agency_id>/staff/<int:user_id>/reset-password/",
        views.staff_reset_password,
        name="staff_reset_password",
    ),
    path(
        "agencies/<int:agency_id>/staff/<int:user_id>/unlock/",
        views.staff_unlock,
        name="staff_unlock",
    ),
    path(
        "agencies/<int:agency_id>/staff/<int:user_id>/active/",
        views.staff_active,
        name="staff_active",
    ),
    path("agencies/<int:agency_id>/audit/", views.audit_log, name="audit"),
]
