from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.views.static import serve

from ecotone.config.api import api

admin.site.site_header = "Ecotone administration"
admin.site.site_title = "Ecotone admin"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("accounts/", include("allauth.urls")),
    path("notifications/", include("ecotone.notifications.urls")),
    path("skills/", include("ecotone.skills.urls")),
    path("goals/", include("ecotone.goals.urls")),
    path("learn/", include("ecotone.content.urls")),
    path("xapi/", include("ecotone.lrs.urls")),
    path("search/", include("ecotone.kernel.search.urls")),
    path("", include("ecotone.people.urls")),
    path("media/<path:path>", serve, {"document_root": settings.MEDIA_ROOT}),
]
