from __future__ import annotations

from ecotone.authz.testing import check_matrix
from ecotone.skills.models import Interest, ValidationRequest


def test_person_level_permissions(org, framework):
    check_matrix(
        """
        actor      permission              target     allowed
        learner    skills.view_levels      learner    yes
        peer       skills.view_levels      learner    yes
        outsider   skills.view_levels      learner    yes
        anonymous  skills.view_levels      learner    no
        learner    skills.view_private     learner    yes
        manager    skills.view_private     learner    yes
        ceo        skills.view_private     learner    yes
        ld         skills.view_private     learner    yes
        admin      skills.view_private     learner    yes
        peer       skills.view_private     learner    no
        executive  skills.view_private     learner    no
        outsider   skills.view_private     learner    no
        learner    skills.view_private     manager    no
        learner    skills.rate_self        learner    yes
        manager    skills.rate_self        learner    no
        admin      skills.rate_self        learner    no
        manager    skills.assess           learner    yes
        ceo        skills.assess           learner    yes
        learner    skills.assess           learner    no
        peer       skills.assess           learner    no
        ld         skills.assess           learner    no
        admin      skills.assess           learner    no
        peer       skills.endorse          learner    yes
        outsider   skills.endorse          learner    yes
        learner    skills.endorse          learner    no
        ld         skills.record_evidence  learner    yes
        admin      skills.record_evidence  learner    yes
        manager    skills.record_evidence  learner    no
        learner    skills.record_evidence  learner    no
        manager    skills.assign_role      learner    yes
        ld         skills.assign_role      learner    yes
        learner    skills.assign_role      learner    no
        peer       skills.assign_role      learner    no
        """,
        actors=org.users,
        targets=org.objects,
    )


def test_framework_and_gap_permissions(org, framework):
    check_matrix(
        """
        actor      permission               target               allowed
        learner    skills.view_framework    -                    yes
        anonymous  skills.view_framework    -                    no
        ld         skills.manage_framework  -                    yes
        admin      skills.manage_framework  -                    yes
        executive  skills.manage_framework  -                    no
        manager    skills.manage_framework  -                    no
        ld         skills.view_org_gaps     -                    yes
        executive  skills.view_org_gaps     -                    yes
        admin      skills.view_org_gaps     -                    yes
        manager    skills.view_org_gaps     -                    no
        learner    skills.view_org_gaps     -                    no
        manager    skills.view_team_gaps    team:platform        yes
        manager    skills.view_team_gaps    team:engineering     no
        learner    skills.view_team_gaps    team:platform        no
        executive  skills.view_team_gaps    team:engineering     yes
        ld         skills.view_team_gaps    team:people          yes
        outsider   skills.view_team_gaps    team:people          no
        """,
        actors=org.users,
        targets=org.objects,
    )


def test_interest_and_request_permissions(org, framework):
    learner, peer, manager = org.people["learner"], org.people["peer"], org.people["manager"]
    python = framework.skills["python"]
    shown = Interest.objects.create(person=learner, skill=python, kind="learn")
    hidden = Interest.objects.create(person=learner, skill=python, kind="teach", hidden=True)
    validation = ValidationRequest.objects.create(
        person=learner, skill=python, level=3, kind="validation", reviewer=manager
    )
    endorsement = ValidationRequest.objects.create(
        person=learner, skill=python, level=3, kind="endorsement", reviewer=peer
    )
    check_matrix(
        """
        actor      permission               target       allowed
        learner    skills.view_interest     shown        yes
        manager    skills.view_interest     shown        yes
        ceo        skills.view_interest     shown        yes
        ld         skills.view_interest     shown        yes
        admin      skills.view_interest     shown        yes
        peer       skills.view_interest     shown        no
        executive  skills.view_interest     shown        no
        learner    skills.view_interest     hidden       yes
        manager    skills.view_interest     hidden       no
        ld         skills.view_interest     hidden       no
        learner    skills.view_request      validation   yes
        manager    skills.view_request      validation   yes
        peer       skills.view_request      validation   no
        ceo        skills.view_request      validation   no
        manager    skills.resolve_request   validation   yes
        learner    skills.resolve_request   validation   no
        peer       skills.resolve_request   endorsement  yes
        manager    skills.resolve_request   endorsement  no
        learner    skills.resolve_request   endorsement  no
        """,
        actors=org.users,
        targets={
            "shown": shown,
            "hidden": hidden,
            "validation": validation,
            "endorsement": endorsement,
        },
    )
