from ecotone.authz.testing import check_matrix

MATRIX = """
actor      permission              target    allowed
learner    people.view_person      peer      yes
anonymous  people.view_person      peer      no
learner    people.view_private     learner   yes
learner    people.view_private     peer      no
manager    people.view_private     learner   yes
ceo        people.view_private     learner   yes
peer       people.view_private     learner   no
outsider   people.view_private     learner   no
ld         people.view_private     learner   yes
executive  people.view_private     learner   no
admin      people.view_private     learner   yes
learner    people.edit_profile     learner   yes
learner    people.edit_profile     peer      no
manager    people.edit_profile     learner   no
admin      people.edit_profile     learner   yes
learner    people.manage_people    peer      no
manager    people.manage_people    learner   no
ld         people.manage_people    learner   no
admin      people.manage_people    learner   yes
admin      people.grant_role       -         yes
ld         people.grant_role       -         no
ld         people.export_org       -         yes
executive  people.export_org       -         no
learner    people.manage_tokens    learner   yes
learner    people.manage_tokens    peer      no
learner    people.view_team        team:platform  yes
anonymous  people.view_team        team:platform  no
admin      people.manage_teams     team:platform  yes
manager    people.manage_teams     team:platform  no
"""


def test_people_permission_matrix(org):
    check_matrix(MATRIX, actors=org.users, targets=org.objects)
