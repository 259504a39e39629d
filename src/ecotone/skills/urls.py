from django.urls import path

from ecotone.skills import views

app_name = "skills"

urlpatterns = [
    path("", views.skill_list, name="list"),
    path("me/", views.my_skills, name="mine"),
    path("me/interests/", views.set_interest, name="interest"),
    path("team/", views.team_matrix, name="team"),
    path("reviews/", views.review_queue, name="reviews"),
    path("reviews/<int:pk>/", views.resolve, name="resolve"),
    path("org/", views.org_heatmap, name="org"),
    path("manage/", views.manage, name="manage"),
    path("roles/", views.role_profiles, name="roles"),
    path("roles/<slug:slug>/requirements/", views.set_requirement, name="requirement"),
    path("manage/import/", views.import_framework, name="import"),
    path("manage/export.<str:format>", views.export_framework, name="export"),
    path("<slug:slug>/", views.skill_detail, name="detail"),
    path("<slug:slug>/change/", views.change_skill, name="change"),
]
