"""JSON adapters for one's own notifications and e-mail preferences.

Each endpoint calls the same selector or service as the HTML views. A notification of someone
else is a 404, as if it did not exist.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from django.http import HttpRequest
from ninja import Field, Path, Query, Router, Schema

from ecotone.kernel.pagination import MAX_PAGE_SIZE
from ecotone.kernel.problems import ERRORS
from ecotone.notifications import selectors, services
from ecotone.notifications.models import Notification, NotificationPreference

router = Router(tags=["notifications"])

MAX_ID = 2**63 - 1
NotificationId = Annotated[int, Path(ge=1, le=MAX_ID, description="The notification's id.")]
EmailModeName = Literal["immediate", "daily_digest", "off"]


class NotificationOut(Schema):
    id: int
    kind: str = Field(description='A dotted name such as "people.role_granted".')
    title: str
    body: str
    url: str = Field(description="Where to look: a path on this site or an http(s) address.")
    actor_id: int | None = Field(description="The user whose action caused it, if any.")
    created_at: dt.datetime
    read_at: dt.datetime | None


class NotificationPage(Schema):
    items: list[NotificationOut]
    count: int = Field(description="How many notifications match, on all pages.")
    page: int
    pages: int


class NotificationFilters(Schema):
    unread: bool = Field(False, description="Only unread notifications.")
    page: int = Field(1, ge=1, le=1_000_000)
    size: int = Field(25, ge=1, le=MAX_PAGE_SIZE)


class UnreadCount(Schema):
    unread: int


class MarkedRead(Schema):
    marked: int = Field(description="How many notifications changed from unread to read.")


class PreferencesOut(Schema):
    email_mode: EmailModeName = Field(
        description="immediate: one e-mail per notification; daily_digest: one e-mail a day "
        "listing the unread ones; off: no e-mail."
    )
    kind_overrides: dict[str, EmailModeName] = Field(
        description="E-mail modes per notification kind, overriding email_mode."
    )


class PreferencesIn(Schema):
    email_mode: EmailModeName
    kind_overrides: dict[str, EmailModeName] | None = Field(
        None, description="When sent, replaces the per-kind overrides entirely."
    )


def _out(notification: Notification) -> NotificationOut:
    return NotificationOut.model_validate(notification, from_attributes=True)


def _preferences_out(preference: NotificationPreference) -> PreferencesOut:
    return PreferencesOut(
        email_mode=preference.email_mode,  # type: ignore[arg-type]
        kind_overrides=dict(preference.kind_overrides),  # type: ignore[arg-type]
    )


@router.get(
    "/notifications",
    response={200: NotificationPage, **ERRORS},
    summary="List my notifications",
)
def list_notifications(
    request: HttpRequest, filters: Query[NotificationFilters]
) -> NotificationPage:
    """The caller's notifications, newest first, a page at a time. Two queries."""
    page = selectors.inbox_page(
        viewer=request.user, unread_only=filters.unread, page=filters.page, size=filters.size
    )
    return NotificationPage(
        items=[_out(n) for n in page.items], count=page.total, page=page.number, pages=page.pages
    )


@router.get(
    "/notifications/unread-count",
    response={200: UnreadCount, **ERRORS},
    summary="Count my unread notifications",
)
def unread_count(request: HttpRequest) -> UnreadCount:
    return UnreadCount(unread=selectors.unread_count(viewer=request.user))


@router.post(
    "/notifications/read-all",
    response={200: MarkedRead, **ERRORS},
    summary="Mark all my notifications read",
)
def mark_all_read(request: HttpRequest) -> MarkedRead:
    return MarkedRead(marked=services.mark_all_read(actor=request.user))


@router.post(
    "/notifications/{notification_id}/read",
    response={200: NotificationOut, **ERRORS},
    summary="Mark one of my notifications read",
)
def mark_read(request: HttpRequest, notification_id: NotificationId) -> NotificationOut:
    notification = selectors.notification_for(viewer=request.user, notification_id=notification_id)
    return _out(services.mark_read(actor=request.user, notification=notification))


@router.get(
    "/notifications/preferences",
    response={200: PreferencesOut, **ERRORS},
    summary="My e-mail preferences",
)
def get_preferences(request: HttpRequest) -> PreferencesOut:
    return _preferences_out(selectors.preferences_for(viewer=request.user))


@router.put(
    "/notifications/preferences",
    response={200: PreferencesOut, **ERRORS},
    summary="Change my e-mail preferences",
)
def update_preferences(request: HttpRequest, payload: PreferencesIn) -> PreferencesOut:
    return _preferences_out(
        services.update_preferences(
            actor=request.user,
            email_mode=payload.email_mode,
            kind_overrides=payload.kind_overrides,
        )
    )
