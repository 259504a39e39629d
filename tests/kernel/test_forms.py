from django import forms

from ecotone.kernel.errors import DomainError
from ecotone.kernel.forms import add_domain_error


class NameForm(forms.Form):
    name = forms.CharField()


def test_a_domain_error_lands_next_to_its_field_or_above_the_form():
    form = NameForm({"name": "x"})
    assert form.is_valid()
    add_domain_error(form, DomainError("taken", "This name is taken.", field="name"))
    add_domain_error(form, DomainError("closed", "Sign-ups are closed.", field="not_a_field"))
    assert form.errors == {
        "name": ["This name is taken."],
        "__all__": ["Sign-ups are closed."],
    }
