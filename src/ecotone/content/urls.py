from django.urls import path

from ecotone.content.views import authoring, learning, requests

app_name = "content"

urlpatterns = [
    path("", learning.catalogue, name="list"),
    path("mine/", learning.my_learning, name="mine"),
    path("attention/", authoring.attention, name="attention"),
    path("courses/new/", authoring.create, name="create"),
    path("courses/<int:pk>/", learning.course_detail, name="course"),
    path("courses/<int:pk>/enrol/", learning.enrol, name="enrol"),
    path("courses/<int:pk>/switch/", learning.switch_version, name="switch"),
    path("courses/<int:pk>/rate/", learning.rate, name="rate"),
    path("courses/<int:pk>/certificate/", learning.certificate, name="certificate"),
    path("courses/<int:pk>/versions/", learning.versions, name="versions"),
    path("courses/<int:pk>/lessons/<uuid:key>/", learning.lesson, name="lesson"),
    path("courses/<int:pk>/lessons/<uuid:key>/done/", learning.complete_lesson, name="done"),
    path("courses/<int:pk>/lessons/<uuid:key>/quiz/", learning.submit_quiz, name="quiz"),
    path("courses/<int:pk>/lessons/<uuid:key>/react/", learning.react, name="react"),
    path("courses/<int:pk>/lessons/<uuid:key>/ask/", learning.ask, name="ask"),
    path("questions/<int:pk>/answer/", learning.answer, name="answer"),
    path("courses/<int:pk>/edit/", authoring.edit, name="edit"),
    path("courses/<int:pk>/cover/", authoring.cover, name="cover"),
    path("courses/<int:pk>/authors/", authoring.authors, name="authors"),
    path("courses/<int:pk>/review/", authoring.review, name="review"),
    path("courses/<int:pk>/publish/", authoring.publish, name="publish"),
    path("courses/<int:pk>/archive/", authoring.archive, name="archive"),
    path("courses/<int:pk>/reviewed/", authoring.mark_reviewed, name="reviewed"),
    path("courses/<int:pk>/lessons/new/", authoring.lesson_new, name="lesson_new"),
    path("lessons/<int:pk>/", authoring.lesson_edit, name="lesson_edit"),
    path("lessons/<int:pk>/change/", authoring.lesson_change, name="lesson_change"),
    path("quiz-questions/<int:pk>/delete/", authoring.question_delete, name="question_delete"),
    path("requests/", requests.request_list, name="requests"),
    path("requests/new/", requests.request_new, name="request_new"),
    path("requests/<int:pk>/", requests.request_detail, name="request"),
    path("requests/<int:pk>/act/", requests.request_action, name="request_action"),
    path("backlog/", requests.backlog, name="backlog"),
    path("health/", requests.library_health, name="health"),
]
