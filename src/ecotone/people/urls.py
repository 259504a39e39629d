from django.urls import path

from ecotone.people import views, views_orgfile, views_tokens
from ecotone.people.views import audit, directory, org, profile, teams

urlpatterns = [
    path("", views.home, name="home"),
    path("people/", directory.directory, name="directory"),
    path("people/pick/", directory.person_picker, name="person_picker"),
    path("people/<int:pk>/", profile.profile, name="profile"),
    path("people/<int:pk>/edit/", profile.person_edit, name="person_edit"),
    path("people/<int:pk>/manager/", profile.change_manager, name="change_manager"),
    path("people/<int:pk>/team/", profile.move_team, name="move_team"),
    path("people/<int:pk>/deactivate/", profile.deactivate, name="deactivate"),
    path("people/<int:pk>/reactivate/", profile.reactivate, name="reactivate"),
    path("people/<int:pk>/roles/", profile.grant_role, name="grant_role"),
    path("people/<int:pk>/roles/<str:role>/revoke/", profile.revoke_role, name="revoke_role"),
    path("people/import/", views_orgfile.org_import, name="org_import"),
    path("people/import/preview/", views_orgfile.org_import_preview, name="org_import_preview"),
    path("people/import/commit/", views_orgfile.org_import_commit, name="org_import_commit"),
    path("people/export.<slug:file_format>", views_orgfile.org_export, name="org_export"),
    path("teams/", teams.team_list, name="teams"),
    path("teams/new/", teams.team_create, name="team_create"),
    path("teams/pick/", directory.team_picker, name="team_picker"),
    path("teams/<slug:slug>/", teams.team_detail, name="team"),
    path("teams/<slug:slug>/edit/", teams.team_edit, name="team_edit"),
    path("org/", org.org_chart, name="org_chart"),
    path("org/<int:pk>/reports/", org.org_branch, name="org_branch"),
    path("audit/", audit.audit_trail, name="audit"),
    path("me/tokens/", views_tokens.api_tokens, name="api_tokens"),
    path("me/tokens/<int:pk>/revoke/", views_tokens.api_token_revoke, name="api_token_revoke"),
]
