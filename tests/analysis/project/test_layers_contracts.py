"""Guessed layers, import cycles and import-linter contracts, on hand-built file facts."""

from __future__ import annotations

from prodready.analysis.project.contracts import broken_imports, contract_of
from prodready.analysis.project.layers import (
    import_cycles,
    import_edges,
    is_composition_root,
    layer_edges,
    module_layers,
    owning_module,
)
from prodready.analysis.project.model import (
    Evidence,
    FileFacts,
    Handler,
    ModuleImport,
    Table,
)


def _facts(module: str, *imports: str, path: str | None = None, **extra: object) -> FileFacts:
    path = path or module.replace(".", "/") + ".py"
    found = tuple(ModuleImport(target, n) for n, target in enumerate(imports, 1))
    return FileFacts(path=path, module=module, module_imports=found, **extra)  # type: ignore[arg-type]


def test_layers_from_facts_names_and_configuration() -> None:
    handler = Handler("aiogram3", "message", "bot.misc.start", Evidence("bot/misc.py", 3))
    facts = [
        _facts("bot.misc", handlers=(handler,)),
        _facts("bot.models.user", tables=(Table("users", "model", Evidence("x.py", 1)),)),
        _facts("bot.tgbot.services.render"),
        _facts("bot.services.billing"),
        _facts("bot.domain.order"),
        _facts("bot.api.rates", imports=("httpx.AsyncClient",)),
        _facts("bot.api.routes"),
        _facts("bot.core.views.game"),
        _facts("bot.main"),
        _facts("bot.di.container"),
        _facts("bot.custom.thing"),
    ]
    layers = module_layers(facts, (("bot.custom", "domain"),))
    assert layers == {
        "bot.misc": "transport",
        "bot.models.user": "infrastructure",
        "bot.tgbot.services.render": "transport",
        "bot.services.billing": "application",
        "bot.domain.order": "domain",
        "bot.api.rates": "infrastructure",
        "bot.api.routes": "transport",
        "bot.custom.thing": "domain",
    }
    assert is_composition_root("app.main_factory") and is_composition_root("app.ioc.providers")


def test_owning_module_is_the_longest_project_module_an_import_names() -> None:
    # engine/modules names `app/services/billing.py` as the imports spell it (`app.…` even
    # when `app/` has no __init__.py): tests/engine/test_modules.py
    modules = {"app.services", "app.services.billing"}
    assert owning_module("app.services.billing.charge", modules) == "app.services.billing"
    assert owning_module("app.services.other", modules) == "app.services"
    assert owning_module("aiogram.types.Message", modules) is None


def test_cycles_with_the_imports_that_close_them() -> None:
    facts = [
        _facts("app.a", "app.b.thing"),
        _facts("app.b", "app.c.x"),
        _facts("app.c", "app.a.y"),
        _facts("app.d"),
        _facts("app.pkg", "app.pkg.sub.x"),
        _facts("app.pkg.sub", "app.pkg.name"),
        _facts("app.lazy", "app.d"),
    ]
    lazy = FileFacts("app/d.py", "app.d", module_imports=(ModuleImport("app.lazy", 9, True),))
    facts[3] = lazy
    edges = import_edges(facts)
    assert import_cycles(edges) == [["app.a", "app.b", "app.c", "app.a"]]
    assert edges["app.c"]["app.a"] == ("app/c.py", 1)
    assert ["app.d", "app.lazy", "app.d"] in import_cycles(import_edges(facts, deferred=True))


def test_contracts_read_and_checked() -> None:
    where = Evidence("pyproject.toml")
    layers = contract_of(
        {
            "type": "layers",
            "name": "Layers",
            "layers": ["app.handlers", "app.services | app.jobs", "app.domain"],
        },
        "1",
        where,
    )
    forbidden = contract_of(
        {
            "type": "forbidden",
            "source_modules": "app.domain",
            "forbidden_modules": "sqlalchemy\naiogram",
            "ignore_imports": "app.domain.legacy -> sqlalchemy",
        },
        "2",
        where,
    )
    assert contract_of({"type": "acyclic"}, "3", where) is None
    assert layers is not None and forbidden is not None
    assert forbidden.name == "2" and forbidden.forbidden == ("sqlalchemy", "aiogram")
    facts = [
        _facts("app.services.pay", "app.handlers.start.router", "app.domain.order"),
        _facts("app.domain.order", "sqlalchemy.orm.Mapped"),
        _facts("app.domain.legacy", "sqlalchemy.Column"),
        _facts("app.handlers.start", "app.services.pay"),
    ]
    assert [(b.importer, b.imported, str(b.evidence)) for b in broken_imports(layers, facts)] == [
        ("app.services.pay", "app.handlers.start.router", "app/services/pay.py:1")
    ]
    assert [b.importer for b in broken_imports(forbidden, facts)] == ["app.domain.order"]


def test_independence_of_the_modules_a_wildcard_stands_for() -> None:
    where = Evidence(".importlinter")
    wildcard = contract_of({"type": "independence", "modules": "app.services.*"}, "services", where)
    named = contract_of({"type": "independence", "modules": ["app.bot", "app.api"]}, "apps", where)
    assert wildcard is not None and named is not None
    facts = [
        _facts("app.services.billing", "app.services.audit.record", "app.services.billing.dto"),
        _facts("app.services.audit.store", "app.services.audit.models", "app.domain.user"),
        _facts("app.bot.handlers", "app.api.routes", "app.bot.keyboards"),
    ]
    assert [(b.importer, b.imported) for b in broken_imports(wildcard, facts)] == [
        ("app.services.billing", "app.services.audit.record")
    ]
    assert [(b.importer, b.imported) for b in broken_imports(named, facts)] == [
        ("app.bot.handlers", "app.api.routes")
    ]


def test_imports_between_layers_are_counted_per_direction() -> None:
    facts = [
        _facts("app.handlers.start", "app.services.billing", "app.services.users"),
        _facts("app.handlers.admin", "app.services.billing"),
        _facts("app.services.billing", "app.handlers.start", "app.services.users"),
        _facts("app.services.users"),
        _facts("app.main", "app.handlers.start"),  # a composition root has no layer
    ]
    assert layer_edges(facts) == {
        ("transport", "application"): 3,
        ("application", "transport"): 1,
    }
