from __future__ import annotations

from ecotone.authz import scope
from ecotone.authz.testing import check_matrix
from ecotone.content.models import ContentRequest, Course
from ecotone.content.services import authoring, learning, requests
from tests.content.conftest import write_course


def test_drafts_are_visible_only_to_authors_and_reviewer(org, skills):
    draft = write_course(org.people["peer"], skills, title="Draft")
    authoring.add_coauthor(
        actor=org.people["peer"].user, course=draft, person=org.people["outsider"]
    )
    authoring.request_review(
        actor=org.people["peer"].user, course=draft, reviewer=org.people["manager"]
    )
    published = write_course(org.people["peer"], skills, title="Live")
    authoring.publish_course(actor=org.people["peer"].user, course=published)
    published.refresh_from_db()
    targets = {"draft": draft, "live": published}
    check_matrix(
        """
        actor      permission              target  allowed
        peer       content.view_course     draft   yes
        outsider   content.view_course     draft   yes
        manager    content.view_course     draft   yes
        learner    content.view_course     draft   no
        ld         content.view_course     draft   no
        admin      content.view_course     draft   no
        anonymous  content.view_course     draft   no
        learner    content.view_course     live    yes
        anonymous  content.view_course     live    no
        peer       content.view_draft      draft   yes
        manager    content.view_draft      draft   yes
        learner    content.view_draft      live    no
        peer       content.edit_course     draft   yes
        outsider   content.edit_course     draft   yes
        manager    content.edit_course     draft   no
        learner    content.edit_course     live    no
        peer       content.manage_course   draft   yes
        outsider   content.manage_course   draft   no
        ld         content.manage_course   draft   no
        ld         content.manage_course   live    yes
        admin      content.manage_course   live    yes
        learner    content.manage_course   live    no
        manager    content.review_course   draft   yes
        peer       content.review_course   draft   no
        learner    content.learn           live    yes
        learner    content.learn           draft   no
        anonymous  content.learn           live    no
        """,
        actors=org.users,
        targets=targets,
    )
    visible = scope(org.users["learner"], "content.view_course", Course.objects.all())
    assert list(visible.values_list("title", flat=True)) == ["Live"]
    mine = scope(org.users["outsider"], "content.view_course", Course.objects.order_by("title"))
    assert list(mine.values_list("title", flat=True)) == ["Draft", "Live"]
    learning.enrol(actor=org.users["learner"], course=published)
    authoring.archive_course(actor=org.users["peer"], course=published)
    check_matrix(
        """
        actor      permission              target  allowed
        learner    content.view_course     live    yes
        peer       content.view_course     live    yes
        outsider   content.view_course     live    no
        learner    content.learn           live    no
        """,
        actors=org.users,
        targets=targets,
    )


def test_request_permissions(org):
    request = requests.create_request(actor=org.people["learner"].user, topic="Kotlin")
    requests.assign_request(actor=org.people["ld"].user, request=request, expert=org.people["peer"])
    check_matrix(
        """
        actor      permission                target   allowed
        learner    content.view_request      request  yes
        outsider   content.view_request      request  yes
        anonymous  content.view_request      request  no
        learner    content.view_requester    request  yes
        manager    content.view_requester    request  yes
        ceo        content.view_requester    request  yes
        ld         content.view_requester    request  yes
        admin      content.view_requester    request  yes
        peer       content.view_requester    request  no
        outsider   content.view_requester    request  no
        ld         content.manage_requests   request  yes
        admin      content.manage_requests   request  yes
        manager    content.manage_requests   request  no
        learner    content.manage_requests   request  no
        peer       content.respond_request   request  yes
        learner    content.respond_request   request  no
        ld         content.view_health       -        yes
        executive  content.view_health       -        no
        learner    content.create_course     -        yes
        anonymous  content.create_course     -        no
        """,
        actors=org.users,
        targets={"request": request},
    )
    assert ContentRequest.objects.count() == 1
