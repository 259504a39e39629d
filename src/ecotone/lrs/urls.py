from django.urls import path

from ecotone.lrs import protocol, views

app_name = "lrs"

urlpatterns = [
    path("statements", protocol.statements, name="statements"),
    path("agents", protocol.agents, name="agents"),
    path("agents/profile", protocol.agent_profile, name="agent_profile"),
    path("activities", protocol.activities, name="activities"),
    path("activities/state", protocol.state, name="state"),
    path("activities/profile", protocol.activity_profile, name="activity_profile"),
    path("about", protocol.about, name="about"),
    path("browse/", views.browse, name="browse"),
    path("browse/<uuid:statement_id>/", views.statement_detail, name="statement"),
    path("clients/", views.clients, name="clients"),
    path("clients/<int:client_id>/revoke/", views.revoke_client, name="revoke_client"),
    path("mappings/", views.mappings, name="mappings"),
    path("mappings/<int:mapping_id>/delete/", views.delete_mapping, name="delete_mapping"),
    path("people/<int:person_id>/activity/", views.person_activity, name="person_activity"),
]
