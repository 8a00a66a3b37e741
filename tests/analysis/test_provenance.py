from __future__ import annotations

import ast

from prodready.analysis.provenance import comes_from_request, reads_request_data


def _function(text: str) -> ast.FunctionDef | ast.AsyncFunctionDef:
    node = ast.parse(text).body[0]
    assert isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
    return node


def _expr(text: str) -> ast.expr:
    return ast.parse(text, mode="eval").body


def test_request_data_reads() -> None:
    assert reads_request_data(_expr('request.headers.get("X-Signature")'))
    assert reads_request_data(_expr('req.query["sig"]'))
    assert reads_request_data(_expr('headers["X-Api-Key"]'))
    assert not reads_request_data(_expr("command.args"))
    assert not reads_request_data(_expr("config.TOKEN"))


def test_locals_and_parameters_from_a_request() -> None:
    route = _function(
        "async def hook(request):\n    sig = request.headers.get('X-Sig')\n    return sig\n"
    )
    assert comes_from_request(ast.Name("sig"), route)
    header = _function("async def hook(x_token: str = Header()):\n    return x_token\n")
    assert comes_from_request(ast.Name("x_token"), header)
    service = _function("def has(token):\n    return token\n")
    assert not comes_from_request(ast.Name("token"), service)
    assert not comes_from_request(ast.Name("token"), None)


def test_values_built_only_from_configuration() -> None:
    from prodready.analysis.provenance import from_configuration

    script = _function(
        "async def create_database():\n"
        "    db_url = str(settings.DATABASE_URL)\n"
        "    parsed = urlparse(db_url.replace('+asyncpg', ''))\n"
        "    db_name = parsed.path.lstrip('/')\n"
        "    schema = os.getenv('SCHEMA', 'public')\n"
        "    table = f'{schema}.users'\n"
    )
    for name in ("db_url", "parsed", "db_name", "schema", "table"):
        assert from_configuration(ast.Name(name), script), name
    assert from_configuration(_expr("settings.db.schema"), None)
    assert from_configuration(_expr("os.environ['TABLE']"), None)


def test_parameters_and_unknown_values_are_not_configuration() -> None:
    from prodready.analysis.provenance import from_configuration

    handler = _function(
        "async def search(message, term: str):\n"
        "    text = message.text\n"
        "    mixed = f'{settings.PREFIX}{term}'\n"
        "    looped = None\n"
        "    for looped in rows: pass\n"
    )
    for name in ("term", "text", "mixed", "message", "unknown"):
        assert not from_configuration(ast.Name(name), handler), name
    assert not from_configuration(_expr("fetch_name()"), handler)
