"""Staff URLs, mounted at ``workspace/agencies/<agency_id>/applications/`` (namespace
``applications``)."""

from django.urls import path

from xxgk.applications import views, workflow_views

app_name = "applications"
urlpatterns = [
    path("", views.case_list, name="list"),
    path("due/", views.due, name="due"),
    path("new/", views.register, name="register"),
    path("settings/", workflow_views.settings_page, name="settings"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/applicant/", views.personal_data, name="personal_data"),
    path("<int:pk>/applicant/register/", views.update_register, name="update_register"),
    path("<int:pk>/confirm/", views.confirm, name="confirm"),
    path("<int:pk>/assign/", views.assign, name="assign"),
    path("<int:pk>/attachments/", views.attachments, name="attachments"),
    path("<int:pk>/query-code/", views.query_code, name="query_code"),
    path("<int:pk>/attachments/<int:attachment_id>/", views.attachment, name="attachment"),
    path("<int:pk>/do/<slug:action>/", workflow_views.act, name="act"),
    path("<int:pk>/timeline/", workflow_views.timeline, name="timeline"),
    path("<int:pk>/letters/", workflow_views.draft_letter, name="draft_letter"),
    path(
        "<int:pk>/letters/<int:letter_id>.<str:fmt>",
        workflow_views.letter_file,
        name="letter_file",
    ),
]
