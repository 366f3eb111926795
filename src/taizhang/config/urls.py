from django.contrib import admin
from django.urls import include, path
from django.views.i18n import set_language

from taizhang.api.api import api
from taizhang.ops.health import healthz

# Uploaded files are not served from MEDIA_URL: each goes through a view that checks the person may see it.
urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("i18n/setlang/", set_language, name="set_language"),
    path("admin/", admin.site.urls),
    path("supervision/", include("taizhang.supervision.urls")),
    path("api/v1/", api.urls),
    path("open311/v2/", include("taizhang.api.open311.urls")),
    path("reports/", include("taizhang.reports.urls")),
    path("excel/", include("taizhang.excel.urls")),
    path("search/", include("taizhang.search.urls")),
    path("dispatch/", include("taizhang.dispatch.urls")),
    path("", include("taizhang.web.urls")),
    path("", include("taizhang.intake.urls")),
    path("", include("taizhang.ledger.urls")),
    path("", include("taizhang.privacy.urls")),
    path("", include("taizhang.campaigns.urls")),
]
