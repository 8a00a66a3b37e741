"""Which calls leave the process, and where they go."""

from __future__ import annotations

import ast

import pytest

from prodready.rules.outbound import external_call_library, request_url, url_host


@pytest.mark.parametrize(
    ("name", "library"),
    [
        ("httpx.AsyncClient.get", "httpx"),
        ("aiohttp.ClientSession.post", "aiohttp"),
        ("requests.post", "requests"),
        ("requests.Session.request", "requests"),
        ("stripe.Customer.create", "stripe"),
        ("openai.AsyncOpenAI.chat.completions.create", "openai"),
        ("httpx.AsyncClient.aclose", None),
        ("aiohttp.ClientSession.close", None),
        ("yookassa.Configuration.configure", None),
        ("openai.AsyncOpenAI", None),
        ("app.client.get", None),
        ("*.get", None),
    ],
)
def test_external_call_library(name: str, library: str | None) -> None:
    assert external_call_library(name) == library


@pytest.mark.parametrize(
    ("code", "host"),
    [
        ("'https://api.crypt.bot/api/createInvoice'", "api.crypt.bot"),
        ("f'https://api.telegram.org/bot{token}/sendMessage'", "api.telegram.org"),
        ("'https://pay.example.com' + path", "pay.example.com"),
        ("f'{BASE}/invoices'", None),
        ("'http://localhost:8000/x'", None),
        ("\"[@id='sc']\"", None),
        ("url", None),
    ],
)
def test_url_host(code: str, host: str | None) -> None:
    assert url_host(ast.parse(code, mode="eval").body) == host


@pytest.mark.parametrize(
    ("code", "url"),
    [
        ("client.get('u')", "'u'"),
        ("client.request('GET', 'u')", "'u'"),
        ("httpx.stream('GET', 'u')", "'u'"),
        ("session.post(json={}, url=u)", "u"),
        ("session.get()", None),
    ],
)
def test_request_url(code: str, url: str | None) -> None:
    call = ast.parse(code, mode="eval").body
    assert isinstance(call, ast.Call)
    found = request_url(call)
    assert (ast.unparse(found) if found is not None else None) == url
