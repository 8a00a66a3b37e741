"""Which calls log or report an error (shared by the error-handling rules)."""

from __future__ import annotations

import ast

import pytest

from prodready.analysis.logs import is_logging_call, log_level
from prodready.analysis.names import dotted_name


def _call(code: str) -> ast.Call:
    node = ast.parse(code, mode="eval").body
    assert isinstance(node, ast.Call)
    return node


@pytest.mark.parametrize(
    ("code", "name"),
    [
        ("logger.exception('x')", None),
        ("log.error('x')", None),
        ("LOGGER.warning('x')", None),
        ("self.logger.info('x')", None),
        ("self._log.critical('x')", None),
        ("app.logger.error('x')", None),
        ("audit_log.info('x')", None),
        ("logging.getLogger(__name__).error('x')", None),
        ("structlog.get_logger().bind(user=1).error('x')", None),
        ("log.aexception('x')", None),
        ("logger.opt(exception=True).error('x')", None),
        ("logging.exception('x')", "logging.exception"),
        ("capture_exception()", "sentry_sdk.capture_exception"),
        ("traceback.print_exc()", "traceback.print_exc"),
        ("print(error)", "print"),
    ],
)
def test_logging_calls(code: str, name: str | None) -> None:
    call = _call(code)
    assert is_logging_call(call, name or dotted_name(call.func))


@pytest.mark.parametrize(
    "code",
    [
        "message.answer('x')",
        "catalog.update(x)",
        "session.rollback()",
        "errors.append(e)",
        "dialog.info('x')",
        "blog.error('x')",
        "logger.setLevel(10)",
        "client.get(x).error('x')",
    ],
)
def test_not_logging_calls(code: str) -> None:
    call = _call(code)
    assert not is_logging_call(call, dotted_name(call.func))


@pytest.mark.parametrize(
    ("code", "name", "level"),
    [
        ("log.exception('x')", None, "traceback"),
        ("log.aexception('x')", None, "traceback"),
        ("log.error('x', exc_info=True)", None, "traceback"),
        ("log.warning('x', exc_info=error)", None, "traceback"),
        ("logger.opt(exception=error).error('x')", None, "traceback"),
        ("traceback.print_exc()", "traceback.print_exc", "traceback"),
        ("log.error('x', exc_info=False)", None, "error"),
        ("log.error('x %s', error)", None, "error"),
        ("log.critical('x')", None, "error"),
        ("capture_exception(error)", "sentry_sdk.capture_exception", "error"),
        ("log.debug('x', exc_info=True)", None, "other"),
        ("log.info('x')", None, "other"),
        ("print(error)", "print", None),
        ("client.error('x')", None, None),
    ],
)
def test_log_level(code: str, name: str | None, level: str | None) -> None:
    call = _call(code)
    assert log_level(call, name or dotted_name(call.func)) == level
