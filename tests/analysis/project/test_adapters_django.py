"""Django URLconfs, DRF routers and the Django site as a web app."""

from __future__ import annotations

from prodready.analysis.project.adapters import django
from prodready.analysis.project.model import EntryPoint, Evidence, Route

from .helpers import parse_file

URLS = """\
from django.contrib import admin
from django.contrib.auth.decorators import login_required
from django.urls import include, path, re_path
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET
from rest_framework.routers import DefaultRouter

from shop import views
from shop.views import OrderView, OrderViewSet
from shop.api import api

router = DefaultRouter()
router.register("orders", OrderViewSet, basename="order")


@require_GET
def ping(request):
    return None


urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/", include(router.urls)),
    re_path(r"^shop/", include("shop.urls")),
    path("healthz/", views.health),
    re_path(r"^orders/(?P<pk>[0-9]+)/$", OrderView.as_view()),
    path("ping", ping),
    path("webhook/", csrf_exempt(views.WebhookView.as_view())),
    path("panel/", login_required(views.panel)),
    path("ninja/", api.urls),
]
"""


def test_urlconf_routes() -> None:
    facts = django.extract(parse_file(URLS, "site.urls"))
    E = lambda line: Evidence("site/urls.py", line)  # noqa: E731
    assert facts.routes == (
        Route(
            "django", "ANY", "/orders", "shop.views.OrderViewSet", E(13), router="site.urls.router"
        ),
        Route("django", "ANY", "/admin/", "django.contrib.admin.site.urls", E(22)),
        # include() is no route; its prefix is not joined to the included URLconf's routes
        Route("django", "ANY", "/healthz/", "shop.views.health", E(25)),
        Route("django", "ANY", "/orders/(?P<pk>[0-9]+)/", "shop.views.OrderView", E(26)),
        Route("django", "GET", "/ping", "site.urls.ping", E(27)),
        # decorators called on a view are its dependencies; `api.urls` (django-ninja) is none
        Route(
            "django",
            "ANY",
            "/webhook/",
            "shop.views.WebhookView",
            E(28),
            dependencies=("django.views.decorators.csrf.csrf_exempt",),
        ),
        Route(
            "django",
            "ANY",
            "/panel/",
            "shop.views.panel",
            E(29),
            dependencies=("django.contrib.auth.decorators.login_required",),
        ),
    )
    assert facts.entry_points == ()


def test_api_view_and_require_http_methods_give_one_method() -> None:
    source = """\
    from django.urls import path
    from django.views.decorators.http import require_http_methods
    from rest_framework.decorators import api_view

    @api_view(["POST"])
    def create(request):
        return None

    @api_view()
    def listing(request):
        return None

    @require_http_methods(["GET", "POST"])
    def both(request):
        return None

    urlpatterns = [path("c/", create), path("l/", listing), path("b/", both)]
    """
    routes = django.extract(parse_file(source, "app.urls")).routes
    assert [(r.method, r.path) for r in routes] == [("POST", "/c/"), ("GET", "/l/"), ("ANY", "/b/")]


def test_settings_and_wsgi_are_web_apps() -> None:
    settings = 'INSTALLED_APPS = ["django.contrib.admin"]\nROOT_URLCONF = "config.urls"\n'
    facts = django.extract(parse_file(settings, "config.settings"))
    assert facts.entry_points == (
        EntryPoint(
            "web-app",
            "django",
            Evidence("config/settings.py", 2),
            "config.urls",
            ("uses:django.contrib.admin",),
        ),
    )
    wsgi = (
        "from django.core.wsgi import get_wsgi_application\napplication = get_wsgi_application()\n"
    )
    facts = django.extract(parse_file(wsgi, "config.wsgi"))
    assert facts.entry_points == (
        EntryPoint("web-app", "django", Evidence("config/wsgi.py", 2), "application"),
    )


def test_login_required_middleware_is_a_detail_of_the_settings() -> None:
    settings = """\
    ROOT_URLCONF = "config.urls"
    MIDDLEWARE = [
        "django.contrib.auth.middleware.AuthenticationMiddleware",
        "django.contrib.auth.middleware.LoginRequiredMiddleware",
    ]
    """
    (entry,) = django.extract(parse_file(settings, "config.settings")).entry_points
    assert entry.details[0] == "login_required"


def test_files_without_django_are_not_read() -> None:
    source = "from fastapi import FastAPI\ndef path(a, b): ...\nurlpatterns = [path('x', f)]\n"
    facts = django.extract(parse_file(source, "app.main"))
    assert facts.routes == () and facts.entry_points == ()


def test_modules_named_by_settings_count_as_used() -> None:
    settings = """\
    INSTALLED_APPS = ["django.contrib.admin", "django_prometheus", "shop"]
    ROOT_URLCONF = "config.urls"
    LOGGING = {
        "version": 1,
        "formatters": {"json": {"()": "pythonjsonlogger.json.JsonFormatter"}},
        "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "json"}},
    }
    """
    (entry,) = django.extract(parse_file(settings, "config.settings")).entry_points
    assert entry.details == (
        "uses:django.contrib.admin",
        "uses:django_prometheus",
        "uses:shop",
        "uses:pythonjsonlogger.json.JsonFormatter",
        "uses:logging.StreamHandler",
    )
