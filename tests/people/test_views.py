"""The people pages, thinly: statuses, fragments for htmx, errors next to fields, one happy path
per admin action. Rules themselves are tested in test_services.py."""

from __future__ import annotations

import pytest
from django.urls import NoReverseMatch, reverse

from ecotone.kernel.models import SecurityEvent
from ecotone.people.models import Person, RoleGrant, Team
from tests.factories import PersonFactory, UserFactory

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true"}


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def signed_in(client, person: Person):
    client.force_login(person.user)
    return client


def text(response) -> str:
    return response.content.decode()


# --- Shell and home ------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["home", "directory", "teams", "org_chart", "audit"])
def test_pages_ask_anonymous_visitors_to_sign_in(client, db, name):
    response = client.get(reverse(name))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_home_for_a_learner_shows_their_place_and_no_admin_tools(client, org):
    page = text(signed_in(client, org.people["learner"]).get(reverse("home")))
    assert "Hello, Leo Learner" in page
    assert "Mia Manager" in page  # the manager
    assert "Pia Peer" in page  # a teammate
    assert "Left this month" not in page
    assert "Organisation size by team" not in page
    assert 'href="/audit/"' not in page
    assert "My team" not in page


def test_home_for_a_manager_lists_direct_reports_and_links_my_team(client, org):
    page = text(signed_in(client, org.people["manager"]).get(reverse("home")))
    assert "Your direct reports" in page
    assert "Leo Learner" in page
    assert f'href="/org/?focus={org.people["manager"].pk}"' in page
    assert "My team" in page


def test_home_for_an_admin_shows_org_counts_and_recent_audit_events(client, org):
    SecurityEvent.objects.create(action="people.role_granted", target_label="Lena L&D")
    page = text(signed_in(client, org.people["admin"]).get(reverse("home")))
    assert "Left this month" in page
    assert "people.role_granted" in page
    assert 'href="/audit/"' in page
    assert "Organisation size by team" in page


def test_home_for_ld_and_executives_shows_org_size_by_team(client, org):
    for name in ("ld", "executive"):
        page = text(signed_in(client, org.people[name]).get(reverse("home")))
        assert "Organisation size by team" in page
        assert "Engineering" in page
        assert "Left this month" not in page


def test_navigation_adapts_to_roles(client, org):
    learner = text(signed_in(client, org.people["learner"]).get(reverse("home")))
    assert "Export org" not in learner
    assert "Import people" not in learner
    ld = text(signed_in(client, org.people["ld"]).get(reverse("home")))
    assert f'href="{reverse("org_export", args=["csv"])}">Export org (CSV)' in ld
    assert "Import people" not in ld
    admin = text(signed_in(client, org.people["admin"]).get(reverse("home")))
    assert f'href="{reverse("org_import")}"' in admin
    assert f'href="{reverse("audit")}"' in admin
    assert 'href="/admin/"' not in admin  # the Django admin is for staff accounts only


def test_home_for_a_login_without_a_person(client, db):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    page = text(client.get(reverse("home")))
    assert "This login is not linked to a person" in page
    assert "Left this month" in page
    assert 'href="/admin/"' in page


def test_base_carries_the_csrf_token_for_htmx_and_no_inline_script(client, org):
    page = text(signed_in(client, org.people["learner"]).get(reverse("home")))
    assert 'hx-headers=\'{"X-CSRFToken": "' in page
    assert "<script>" not in page
    assert 'style="' not in page
    assert 'action="/accounts/logout/"' in page


# --- Directory -----------------------------------------------------------------------------------


def test_directory_searches_by_name(client, org):
    response = signed_in(client, org.people["learner"]).get(reverse("directory"), {"q": "pia"})
    assert response.status_code == 200
    assert "Pia Peer" in text(response)
    assert "Otto Outsider" not in text(response)
    assert "1 person" in text(response)


def test_directory_live_search_returns_only_the_results_fragment(client, org):
    response = signed_in(client, org.people["learner"]).get(
        reverse("directory"), {"q": "engineer"}, headers=HTMX
    )
    page = text(response)
    assert response.status_code == 200
    assert "<html" not in page
    assert "results-summary" in page
    assert "Leo Learner" in page
    assert "Otto Outsider" not in page


def test_directory_filters_by_team_including_sub_teams(client, org):
    response = signed_in(client, org.people["learner"]).get(
        reverse("directory"), {"team": "engineering"}
    )
    page = text(response)
    assert "Mia Manager" in page
    assert "Leo Learner" in page  # in Platform, inside Engineering
    assert "Otto Outsider" not in page


def test_directory_shows_people_who_left_only_when_asked(client, org):
    leaver = org.people["outsider"]
    leaver.status = Person.Status.LEFT
    leaver.save()
    viewer = signed_in(client, org.people["learner"])
    assert "Otto Outsider" not in text(viewer.get(reverse("directory")))
    with_left = text(viewer.get(reverse("directory"), {"left": "on"}))
    assert "Otto Outsider" in with_left
    assert "Left</span>" in with_left


def test_directory_empty_state(client, org):
    response = signed_in(client, org.people["learner"]).get(reverse("directory"), {"q": "zzzz"})
    assert "No one found" in text(response)


def test_directory_paginates(client, org):
    for n in range(30):
        PersonFactory(display_name=f"Zed {n:02d}")
    viewer = signed_in(client, org.people["learner"])
    first = text(viewer.get(reverse("directory")))
    assert "1\N{EN DASH}25 of 38 people" in first
    second = text(viewer.get(reverse("directory"), {"page": 2}))
    assert "26\N{EN DASH}38 of 38 people" in second
    assert "Zed 29" in second


def test_person_picker_returns_at_most_twenty_radio_options(client, org):
    for n in range(25):
        PersonFactory(display_name=f"Sam {n:02d}")
    response = signed_in(client, org.people["admin"]).get(
        reverse("person_picker"), {"name": "manager", "manager_q": "sam"}, headers=HTMX
    )
    assert response.status_code == 200
    assert text(response).count('type="radio" name="manager"') == 20
    assert "first 20 matches" in text(response)


def test_team_picker_matches_names(client, org):
    response = signed_in(client, org.people["admin"]).get(
        reverse("team_picker"), {"name": "team", "team_q": "plat"}
    )
    assert f'value="{org.teams["platform"].pk}"' in text(response)
    assert "Engineering" in text(response)  # shown as the parent


# --- Profile -------------------------------------------------------------------------------------


def test_profile_shows_chain_reports_and_roles(client, org):
    response = signed_in(client, org.people["learner"]).get(
        reverse("profile", args=[org.people["manager"].pk])
    )
    page = text(response)
    assert response.status_code == 200
    assert 'aria-label="Management chain"' in page
    assert "Cora CEO" in page  # top of the chain
    assert "Leo Learner" in page  # a direct report
    assert "Pia Peer" in page
    assert "Platform" in page  # a team led
    assert "Administration" not in page
    assert "Edit your profile" not in page


def test_profile_of_unknown_person_is_404(client, org):
    response = signed_in(client, org.people["learner"]).get(reverse("profile", args=[999999]))
    assert response.status_code == 404


def test_own_profile_has_the_edit_form_and_the_tokens_section(client, org):
    page = text(
        signed_in(client, org.people["learner"]).get(
            reverse("profile", args=[org.people["learner"].pk])
        )
    )
    assert "Edit your profile" in page
    assert 'name="time_zone"' in page
    try:
        tokens_url = reverse("api_tokens")
    except NoReverseMatch:
        return
    assert (
        f'<section class="card" id="api-tokens" aria-label="API tokens" hx-get="{tokens_url}"'
        in (page)
    )


def test_profile_of_someone_who_left_says_so(client, org):
    org.people["peer"].status = Person.Status.LEFT
    org.people["peer"].save()
    page = text(
        signed_in(client, org.people["learner"]).get(
            reverse("profile", args=[org.people["peer"].pk])
        )
    )
    assert "has left the company" in page


def test_edit_own_profile(client, org):
    learner = org.people["learner"]
    response = signed_in(client, learner).post(
        reverse("person_edit", args=[learner.pk]),
        {"display_name": "Leo L.", "location": "Nantes", "time_zone": "Europe/Paris", "bio": "Hi"},
    )
    assert response.status_code == 302
    learner.refresh_from_db()
    assert (learner.display_name, learner.location, learner.bio) == ("Leo L.", "Nantes", "Hi")


def test_edit_profile_error_is_shown_next_to_the_field(client, org):
    learner = org.people["learner"]
    response = signed_in(client, learner).post(
        reverse("person_edit", args=[learner.pk]),
        {"display_name": "   ", "location": "", "time_zone": "Europe/Paris", "bio": ""},
    )
    assert response.status_code == 422
    page = text(response)
    assert '<ul class="errorlist" id="id_display_name_error">' in page


def test_editing_someone_else_is_forbidden(client, org):
    response = signed_in(client, org.people["learner"]).get(
        reverse("person_edit", args=[org.people["peer"].pk])
    )
    assert response.status_code == 403


def test_admin_edits_admin_fields(client, org):
    peer = org.people["peer"]
    response = signed_in(client, org.people["admin"]).post(
        reverse("person_edit", args=[peer.pk]),
        {
            "display_name": "Pia Peer",
            "email": "pia@example.com",
            "title": "Staff Engineer",
            "employee_id": "E-42",
            "start_date": "2024-03-01",
            "location": "Lyon",
            "time_zone": "UTC",
            "bio": "",
        },
    )
    assert response.status_code == 302
    peer.refresh_from_db()
    assert (peer.title, peer.employee_id, peer.user.email) == (
        "Staff Engineer",
        "E-42",
        "pia@example.com",
    )


# --- Admin actions -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "method"),
    [
        ("change_manager", "get"),
        ("move_team", "get"),
        ("deactivate", "get"),
        ("reactivate", "post"),
        ("grant_role", "post"),
    ],
)
def test_admin_actions_are_forbidden_to_others(client, org, name, method):
    viewer = signed_in(client, org.people["manager"])
    url = reverse(name, args=[org.people["learner"].pk])
    response = getattr(viewer, method)(url, {"role": "ld"} if method == "post" else {})
    assert response.status_code == 403


def test_admin_actions_on_unknown_person_are_404(client, org):
    response = signed_in(client, org.people["admin"]).get(reverse("change_manager", args=[999999]))
    assert response.status_code == 404


def test_change_manager(client, org):
    learner, outsider = org.people["learner"], org.people["outsider"]
    response = signed_in(client, org.people["admin"]).post(
        reverse("change_manager", args=[learner.pk]), {"manager": outsider.pk}
    )
    assert response.status_code == 302
    learner.refresh_from_db()
    assert learner.manager == outsider
    assert learner.manager_path == f"/{org.people['ceo'].pk}/{outsider.pk}/"


def test_change_manager_refuses_a_cycle_next_to_the_field(client, org):
    manager, learner = org.people["manager"], org.people["learner"]
    response = signed_in(client, org.people["admin"]).post(
        reverse("change_manager", args=[manager.pk]), {"manager": learner.pk}
    )
    assert response.status_code == 422
    assert 'id="manager-errors"' in text(response)
    assert "cannot report to" in text(response)
    manager.refresh_from_db()
    assert manager.manager == org.people["ceo"]


def test_change_manager_search_without_javascript_lists_matches(client, org):
    response = signed_in(client, org.people["admin"]).post(
        reverse("change_manager", args=[org.people["learner"].pk]),
        {"manager_q": "otto", "_search": "manager"},
    )
    assert response.status_code == 200
    assert f'name="manager" value="{org.people["outsider"].pk}"' in text(response)


def test_move_team(client, org):
    learner = org.people["learner"]
    response = signed_in(client, org.people["admin"]).post(
        reverse("move_team", args=[learner.pk]), {"team": org.teams["people"].pk}
    )
    assert response.status_code == 302
    learner.refresh_from_db()
    assert learner.team == org.teams["people"]


def test_move_team_to_unknown_team_is_an_error_next_to_the_field(client, org):
    response = signed_in(client, org.people["admin"]).post(
        reverse("move_team", args=[org.people["learner"].pk]), {"team": 999999}
    )
    assert response.status_code == 422
    assert 'id="team-errors"' in text(response)


def test_deactivate_states_the_consequences_then_deactivates(client, org):
    admin, manager = signed_in(client, org.people["admin"]), org.people["manager"]
    confirm = text(admin.get(reverse("deactivate", args=[manager.pk])))
    assert "2 direct reports" in confirm
    assert "will report to Cora CEO" in confirm
    assert "Platform will have no lead" in confirm
    response = admin.post(reverse("deactivate", args=[manager.pk]), {"left_on": "2026-01-31"})
    assert response.status_code == 302
    manager.refresh_from_db()
    assert manager.status == Person.Status.LEFT
    assert Person.objects.get(pk=org.people["learner"].pk).manager == org.people["ceo"]


def test_deactivating_oneself_is_refused_above_the_form(client, org):
    admin = org.people["admin"]
    response = signed_in(client, admin).post(reverse("deactivate", args=[admin.pk]), {})
    assert response.status_code == 422
    assert "You cannot deactivate yourself." in text(response)


def test_reactivate(client, org):
    peer = org.people["peer"]
    peer.status = Person.Status.LEFT
    peer.save()
    response = signed_in(client, org.people["admin"]).post(reverse("reactivate", args=[peer.pk]))
    assert response.status_code == 302
    peer.refresh_from_db()
    assert peer.status == Person.Status.ACTIVE


def test_grant_and_revoke_a_role(client, org):
    admin, peer = signed_in(client, org.people["admin"]), org.people["peer"]
    assert admin.post(reverse("grant_role", args=[peer.pk]), {"role": "ld"}).status_code == 302
    assert RoleGrant.objects.filter(person=peer, role="ld").exists()
    page = text(admin.get(reverse("profile", args=[peer.pk])))
    assert 'aria-label="Revoke L&amp;D facilitator"' in page
    assert admin.post(reverse("revoke_role", args=[peer.pk, "ld"])).status_code == 302
    assert not RoleGrant.objects.filter(person=peer, role="ld").exists()


def test_revoke_unknown_role_is_404(client, org):
    response = signed_in(client, org.people["admin"]).post(
        reverse("revoke_role", args=[org.people["peer"].pk, "wizard"])
    )
    assert response.status_code == 404


# --- Teams ---------------------------------------------------------------------------------------


def test_team_list_and_page(client, org):
    viewer = signed_in(client, org.people["learner"])
    assert "Platform" in text(viewer.get(reverse("teams")))
    page = text(viewer.get(reverse("team", args=["engineering"])))
    assert 'aria-label="Team hierarchy"' in page
    assert "Acme" in page  # ancestor
    assert "Platform" in page  # sub-team
    assert "Mia Manager" in page  # member
    assert "Edit team" not in page


def test_unknown_team_is_404(client, org):
    response = signed_in(client, org.people["learner"]).get(reverse("team", args=["nope"]))
    assert response.status_code == 404


def test_team_create_is_forbidden_to_non_admins(client, org):
    response = signed_in(client, org.people["ld"]).get(reverse("team_create"))
    assert response.status_code == 403


def test_create_team(client, org):
    response = signed_in(client, org.people["admin"]).post(
        reverse("team_create"),
        {
            "name": "Data",
            "description": "Numbers",
            "parent": org.teams["engineering"].pk,
            "lead": org.people["peer"].pk,
        },
    )
    team = Team.objects.get(name="Data")
    assert response.status_code == 302
    assert response["Location"] == reverse("team", args=[team.slug])
    assert team.path == f"{org.teams['engineering'].path}{team.pk}/"
    assert team.lead == org.people["peer"]


def test_create_team_without_a_name_shows_the_error_next_to_it(client, org):
    response = signed_in(client, org.people["admin"]).post(reverse("team_create"), {"name": ""})
    assert response.status_code == 422
    assert 'id="id_name_error"' in text(response)


def test_edit_team_refuses_a_cycle(client, org):
    response = signed_in(client, org.people["admin"]).post(
        reverse("team_edit", args=["engineering"]),
        {"name": "Engineering", "parent": org.teams["platform"].pk},
    )
    assert response.status_code == 422
    assert 'id="parent-errors"' in text(response)
    assert "is inside Engineering" in text(response)


def test_edit_team(client, org):
    response = signed_in(client, org.people["admin"]).post(
        reverse("team_edit", args=["platform"]),
        {"name": "Platform", "description": "Runs the platform", "parent": org.teams["company"].pk},
    )
    assert response.status_code == 302
    platform = Team.objects.get(slug="platform")
    assert platform.parent == org.teams["company"]
    assert platform.lead is None
    assert platform.description == "Runs the platform"


# --- Org chart -----------------------------------------------------------------------------------


def test_org_chart_opens_the_single_top_person(client, org):
    page = text(signed_in(client, org.people["learner"]).get(reverse("org_chart")))
    assert "Cora CEO" in page
    assert f'aria-controls="reports-{org.people["ceo"].pk}"' in page
    assert "Mia Manager" in page  # the CEO's branch is open


def test_org_chart_branch_fragment(client, org):
    response = signed_in(client, org.people["learner"]).get(
        reverse("org_branch", args=[org.people["manager"].pk]), headers=HTMX
    )
    page = text(response)
    assert response.status_code == 200
    assert "<html" not in page
    assert "Leo Learner" in page
    assert "Pia Peer" in page
    assert "Otto Outsider" not in page


def test_org_chart_branch_of_unknown_person_is_404(client, org):
    response = signed_in(client, org.people["learner"]).get(reverse("org_branch", args=[999999]))
    assert response.status_code == 404


def test_org_chart_focus_opens_the_path_to_a_person(client, org):
    learner = org.people["learner"]
    page = text(
        signed_in(client, org.people["outsider"]).get(reverse("org_chart"), {"focus": learner.pk})
    )
    assert 'class="org-node is-focused"' in page
    assert f'aria-controls="reports-{org.people["manager"].pk}"' in page
    assert 'aria-expanded="true"' in page


def test_org_chart_focus_search_links_to_the_chart(client, org):
    response = signed_in(client, org.people["learner"]).get(
        reverse("person_picker"), {"mode": "org", "q": "pia"}
    )
    assert f'href="/org/?focus={org.people["peer"].pk}"' in text(response)


# --- Audit ---------------------------------------------------------------------------------------


def test_audit_trail_is_for_admins(client, org):
    SecurityEvent.objects.create(action="people.role_granted", target_label="Lena L&D")
    assert signed_in(client, org.people["ld"]).get(reverse("audit")).status_code == 403
    response = signed_in(client, org.people["admin"]).get(reverse("audit"), {"action": "people."})
    assert response.status_code == 200
    assert "people.role_granted" in text(response)


# --- Django admin --------------------------------------------------------------------------------


def test_django_admin_change_of_manager_goes_through_services(client, org):
    superuser = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(superuser)
    manager, outsider = org.people["manager"], org.people["outsider"]
    data = {
        "user": manager.user_id,
        "employee_id": "",
        "display_name": manager.display_name,
        "title": manager.title,
        "team": manager.team_id,
        "manager": outsider.pk,
        "location": manager.location,
        "time_zone": manager.time_zone,
        "start_date": "",
        "status": "active",
        "left_on": "",
        "bio": "",
        "role_grants-TOTAL_FORMS": "0",
        "role_grants-INITIAL_FORMS": "0",
        "role_grants-MIN_NUM_FORMS": "0",
        "role_grants-MAX_NUM_FORMS": "1000",
    }
    response = client.post(reverse("admin:people_person_change", args=[manager.pk]), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    learner = Person.objects.get(pk=org.people["learner"].pk)
    ceo = org.people["ceo"]
    assert learner.manager_path == f"/{ceo.pk}/{outsider.pk}/{manager.pk}/"
    assert SecurityEvent.objects.filter(action="people.manager_changed").count() == 1


def test_django_admin_refuses_a_reporting_cycle(client, org):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    manager, learner = org.people["manager"], org.people["learner"]
    response = client.post(
        reverse("admin:people_person_change", args=[manager.pk]),
        {
            "user": manager.user_id,
            "display_name": manager.display_name,
            "manager": learner.pk,
            "time_zone": "UTC",
            "status": "active",
            "role_grants-TOTAL_FORMS": "0",
            "role_grants-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 200
    assert "cannot report to" in response.content.decode()


def test_django_admin_move_of_a_team_re_roots_its_sub_teams(client, org):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    engineering, people_team = org.teams["engineering"], org.teams["people"]
    response = client.post(
        reverse("admin:people_team_change", args=[engineering.pk]),
        {
            "name": "Engineering",
            "slug": "engineering",
            "description": "",
            "parent": people_team.pk,
            "lead": "",
        },
    )
    assert response.status_code == 302
    platform = Team.objects.get(pk=org.teams["platform"].pk)
    assert platform.path == f"{people_team.path}{engineering.pk}/{platform.pk}/"
    assert platform.depth == 3


def test_django_admin_refuses_a_team_cycle(client, org):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    engineering = org.teams["engineering"]
    response = client.post(
        reverse("admin:people_team_change", args=[engineering.pk]),
        {"name": "Engineering", "slug": "engineering", "parent": org.teams["platform"].pk},
    )
    assert response.status_code == 200
    assert "Platform is inside Engineering." in response.content.decode()


# --- Sign-in -------------------------------------------------------------------------------------


def test_login_page_renders_with_the_design(client, db):
    response = client.get(reverse("account_login"))
    assert response.status_code == 200
    assert 'class="entrance-card"' in text(response)


def test_signup_is_closed(client, db):
    response = client.get(reverse("account_signup"))
    assert "Accounts are created for you" in text(response)


def test_login_locks_after_the_failure_limit(client, org, settings):
    settings.ACCOUNT_RATE_LIMITS = False  # allauth's own limit would answer first
    email = org.people["learner"].user.email
    statuses = [
        client.post(reverse("account_login"), {"login": email, "password": "wrong"}).status_code
        for _ in range(settings.AXES_FAILURE_LIMIT)
    ]
    assert statuses == [200] * (settings.AXES_FAILURE_LIMIT - 1) + [429]
    response = client.post(
        reverse("account_login"), {"login": email, "password": "correct horse battery"}
    )
    assert response.status_code == 429
    assert "Too many failed sign-ins" in text(response)
    assert "_auth_user_id" not in client.session


def test_login_with_the_right_password_signs_in(client, org):
    email = org.people["learner"].user.email
    response = client.post(
        reverse("account_login"), {"login": email, "password": "correct horse battery"}
    )
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(org.people["learner"].user.pk)
