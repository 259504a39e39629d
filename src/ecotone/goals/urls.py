from django.urls import path

from ecotone.goals import views

app_name = "goals"

urlpatterns = [
    path("", views.my_goals, name="mine"),
    path("new/", views.create_goal, name="create"),
    path("team/", views.team_goals, name="team_goals"),
    path("<int:pk>/", views.goal_detail, name="detail"),
    path("<int:pk>/edit/", views.edit_goal, name="edit"),
    path("<int:pk>/action/", views.goal_action, name="action"),
    path("<int:pk>/check-in/", views.goal_check_in, name="check_in"),
    path("<int:pk>/comment/", views.goal_comment, name="comment"),
    path("okrs/", views.okr_tree, name="tree"),
    path("okrs/new/", views.create_objective, name="objective_create"),
    path("objectives/<int:pk>/", views.objective_detail, name="objective"),
    path("objectives/<int:pk>/change/", views.change_objective, name="objective_change"),
    path("key-results/<int:pk>/", views.key_result_row, name="key_result"),
    path("key-results/<int:pk>/check-in/", views.key_result_check_in, name="kr_check_in"),
    path("readiness/", views.org_readiness, name="readiness"),
    path("cycles/", views.cycles, name="cycles"),
]
