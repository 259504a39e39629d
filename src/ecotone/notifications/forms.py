from __future__ import annotations

from django import forms

from ecotone.notifications.models import EmailMode

MODE_HELP = {
    EmailMode.IMMEDIATE: "An e-mail for each notification, as soon as it happens.",
    EmailMode.DAILY_DIGEST: (
        "One e-mail a day listing what you have not read yet. Nothing is sent on quiet days."
    ),
    EmailMode.OFF: "No e-mail. Notifications still wait for you in your inbox.",
}


class PreferencesForm(forms.Form):
    email_mode = forms.ChoiceField(
        label="E-mail me about notifications",
        choices=EmailMode.choices,
        widget=forms.RadioSelect,
    )
