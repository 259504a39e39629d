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
