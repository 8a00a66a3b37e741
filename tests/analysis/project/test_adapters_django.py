"""Django URLconfs, DRF routers and the Django site as a web app."""

from __future__ import annotations

from prodready.analysis.project.adapters import django
from prodready.analysis.project.model import EntryPoint, Evidence, Route

from .helpers import parse_file

URLS = """\
from django.contrib import admin
from django.urls import include, path, re_path
from django.views.decorators.http import require_GET
from rest_framework.routers import DefaultRouter

from shop import views
from shop.views import OrderView, OrderViewSet

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
]
"""


def test_urlconf_routes() -> None:
    facts = django.extract(parse_file(URLS, "site.urls"))
    E = lambda line: Evidence("site/urls.py", line)  # noqa: E731
    assert facts.routes == (
        Route(
            "django", "ANY", "/orders", "shop.views.OrderViewSet", E(10), router="site.urls.router"
        ),
        Route("django", "ANY", "/admin/", "django.contrib.admin.site.urls", E(19)),
        # include() is no route; its prefix is not joined to the included URLconf's routes
        Route("django", "ANY", "/healthz/", "shop.views.health", E(22)),
        Route("django", "ANY", "/orders/(?P<pk>[0-9]+)/", "shop.views.OrderView", E(23)),
        Route("django", "GET", "/ping", "site.urls.ping", E(24)),
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
        EntryPoint("web-app", "django", Evidence("config/settings.py", 2), "config.urls"),
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
    assert entry.details == ("login_required",)


def test_files_without_django_are_not_read() -> None:
    source = "from fastapi import FastAPI\ndef path(a, b): ...\nurlpatterns = [path('x', f)]\n"
    facts = django.extract(parse_file(source, "app.main"))
    assert facts.routes == () and facts.entry_points == ()
