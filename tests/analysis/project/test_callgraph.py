from __future__ import annotations

import ast
import textwrap

from prodready.analysis.project import calls
from prodready.analysis.project.graph import CallGraph, import_graph
from prodready.analysis.project.model import FileFacts
from prodready.analysis.semantic import SemanticModel
from prodready.analysis.source import ParsedFile, SourceText


def _facts(module: str, text: str) -> FileFacts:
    text = textwrap.dedent(text)
    tree = ast.parse(text)
    is_package = module.endswith("__init__")
    name = module.removesuffix(".__init__")
    source = SourceText(
        f"{module.replace('.', '/')}.py", name, is_package, tuple(text.splitlines())
    )
    parsed = ParsedFile(source, tree, SemanticModel.build(tree, name, is_package))
    facts = calls.extract(parsed)
    imports = tuple(sorted(set(parsed.semantic.imports.bindings.values())))
    return FileFacts(
        path=facts.path,
        module=facts.module,
        imports=imports,
        functions=facts.functions,
        classes=facts.classes,
        module_calls=facts.module_calls,
        instances=facts.instances,
    )


REPO = """
from sqlalchemy.ext.asyncio import AsyncSession


class BaseRepo:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def commit(self) -> None:
        await self.session.commit()


class UserRepo(BaseRepo):
    async def add_days(self, user_id: int, days: int) -> None:
        user = await self.session.get(User, user_id)
        await self.commit()
"""

SERVICE = """
from app.repo import UserRepo


class Billing:
    repo: UserRepo

    def __init__(self, repo: UserRepo) -> None:
        self.repo = repo

    async def grant(self, user_id: int) -> None:
        await self.repo.add_days(user_id, 30)
        audit(user_id)


def audit(user_id: int) -> None:
    print(user_id)
"""

HANDLERS = """
from aiogram import Router
from app import service
from app.service import Billing
from app.repo import UserRepo

router = Router()


@router.message()
async def on_paid(message, session) -> None:
    billing = Billing(UserRepo(session))
    await billing.grant(message.from_user.id)


async def on_other(message, billing: "Billing | None") -> None:
    await billing.grant(1)
    service.audit(2)
    await message.unknown_thing()
"""


def _graph() -> tuple[CallGraph, list[FileFacts]]:
    facts = [
        _facts("app.repo", REPO),
        _facts("app.service", SERVICE),
        _facts("app.handlers", HANDLERS),
    ]
    return CallGraph.build(facts), facts


def test_functions_and_resolved_calls() -> None:
    graph, _ = _graph()
    on_paid = graph.functions["app.handlers.on_paid"]
    assert on_paid.is_async
    assert on_paid.decorators == ("router.message",)
    assert set(on_paid.calls) == {
        "app.service.Billing",
        "app.repo.UserRepo",
        "app.service.Billing.grant",
    }
    assert graph.callees("app.handlers.on_paid") == (
        "app.service.Billing.__init__",
        "app.repo.BaseRepo.__init__",  # UserRepo inherits its constructor
        "app.service.Billing.grant",
    )


def test_self_attribute_types_and_inherited_methods() -> None:
    graph, _ = _graph()
    assert graph.callees("app.service.Billing.grant") == (
        "app.repo.UserRepo.add_days",
        "app.service.audit",
    )
    assert graph.callees("app.repo.UserRepo.add_days") == ("app.repo.BaseRepo.commit",)


def test_reachable_follows_handler_service_repository() -> None:
    graph, _ = _graph()
    reached = graph.reachable("app.handlers.on_other")
    assert set(reached) == {
        "app.handlers.on_other",
        "app.service.Billing.grant",
        "app.service.audit",
        "app.repo.UserRepo.add_days",
        "app.repo.BaseRepo.commit",
    }
    assert graph.reachable("app.handlers.on_other", depth=1) == (
        "app.handlers.on_other",
        "app.service.Billing.grant",
        "app.service.audit",
    )
    assert graph.reachable("no.such.function") == ()


def test_unresolved_method_names_link_only_when_unique() -> None:
    graph, _ = _graph()
    # `message.unknown_thing()` names no project function: no edge
    assert "unknown_thing" not in " ".join(graph.callees("app.handlers.on_other"))


def test_import_graph() -> None:
    _, facts = _graph()
    graph = import_graph(facts)
    assert graph["app.handlers"] == ("app.repo", "app.service")
    assert graph["app.service"] == ("app.repo",)
    assert graph["app.repo"] == ()


def test_methods_of_module_level_service_objects_link_to_their_class() -> None:
    service = _facts(
        "app.services.monitoring",
        """
        class MonitoringService:
            async def start_monitoring(self) -> None:
                pass


        monitoring_service = MonitoringService()
        settings: dict[str, str] = {}
        """,
    )
    main = _facts(
        "app.main",
        """
        from app.services.monitoring import monitoring_service, settings


        async def main() -> None:
            await monitoring_service.start_monitoring()
            settings.get("x")
        """,
    )
    assert (
        "app.services.monitoring.monitoring_service",
        "app.services.monitoring.MonitoringService",
    ) in service.instances
    graph = CallGraph.build([service, main])
    assert graph.callees("app.main.main") == (
        "app.services.monitoring.MonitoringService.start_monitoring",
    )
    assert dict(graph.instances) == {
        "app.services.monitoring.monitoring_service": "app.services.monitoring.MonitoringService"
    }
