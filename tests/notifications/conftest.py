from __future__ import annotations

import pytest

IMMEDIATE_TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def immediate_tasks(settings):
    """Run enqueued tasks at once, so a test sees the e-mail right after the commit."""
    settings.TASKS = IMMEDIATE_TASKS


@pytest.fixture
def site(settings):
    settings.SITE_URL = "https://learn.example.com"
    settings.DEFAULT_FROM_EMAIL = "Ecotone <ecotone@example.com>"
    return settings.SITE_URL


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    """Factories set passwords; a cheap hasher keeps these tests quick."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
