from django.http import HttpRequest, HttpResponse
from django.test import RequestFactory

from ecotone.kernel.errors import Forbidden, NotFound
from ecotone.kernel.middleware import DomainErrorMiddleware


def _run(exception: Exception) -> HttpResponse | None:
    request: HttpRequest = RequestFactory().get("/somewhere/")
    middleware = DomainErrorMiddleware(lambda r: HttpResponse())
    return middleware.process_exception(request, exception)


def test_not_found_becomes_the_404_page(db):
    response = _run(NotFound("No such course."))
    assert response is not None
    assert response.status_code == 404


def test_forbidden_becomes_the_403_page(db):
    response = _run(Forbidden())
    assert response is not None
    assert response.status_code == 403


def test_other_errors_are_left_alone(db):
    assert _run(ValueError("boom")) is None


def test_nul_characters_are_refused_at_the_api_door(org, client):
    client.force_login(org.users["admin"])
    body = '{"display_name": "Bad\\u0000Name"}'
    person = org.people["learner"]
    response = client.patch(f"/api/v1/people/{person.pk}", body, content_type="application/json")
    assert response.status_code == 422
    assert response["Content-Type"] == "application/problem+json"
    assert client.get("/api/v1/people?q=a%00b").status_code == 422
    person.refresh_from_db()
    assert person.display_name == "Leo Learner"


def test_text_without_nul_passes_through(org, client):
    client.force_login(org.users["admin"])
    assert client.get("/api/v1/people?q=leo").status_code == 200
