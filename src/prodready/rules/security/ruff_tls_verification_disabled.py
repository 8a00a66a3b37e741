"""SEC101: TLS certificate verification switched off (`verify=False`), ruff's S501."""

from __future__ import annotations

from prodready.domain.rule import RuleMeta
from prodready.domain.taxonomy import Confidence, Dimension, Severity
from prodready.rules.api import upstream_rule

RULE = upstream_rule(
    RuleMeta(
        id="SEC101",
        name="tls-verification-disabled",
        title="TLS certificate verification disabled",
        dimension=Dimension.SECURITY,
        severity=Severity.CRITICAL,
        confidence=Confidence.HIGH,
        what=(
            "A `requests` or `httpx` call or client passes `verify=False` "
            "(`requests.post(..., verify=False)`, `httpx.AsyncClient(verify=False)`): the "
            "server's certificate is not checked. ruff does not see aiohttp's `ssl=False` or "
            "`session.verify = False` on a `requests.Session`."
        ),
        why=(
            "Anyone on the network path (a shared Docker or cloud network, a compromised "
            "proxy, a hijacked DNS record) can present any certificate and read or rewrite the "
            "traffic: payment-provider API keys and bearer tokens are stolen, and responses "
            "can be forged, for example a payment status reported as paid. It is usually added "
            "to get past a self-signed or corporate-proxy certificate in development and then "
            "shipped to production."
        ),
        fix="""Keep verification on; trust the extra certificate authority explicitly instead:

```python
import ssl

import httpx
import truststore

# the operating system's trust store (includes a corporate CA installed there)
system_ctx = truststore.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
partner = httpx.AsyncClient(verify=system_ctx, timeout=httpx.Timeout(10.0))

# an internal service signed by your own CA
internal_ctx = ssl.create_default_context(cafile="/etc/ssl/certs/internal-ca.pem")
billing = httpx.AsyncClient(verify=internal_ctx, timeout=httpx.Timeout(10.0))
```

With `requests`: `requests.get(url, verify="/etc/ssl/certs/internal-ca.pem", timeout=10)`.""",
        migration=(
            "Find out why verification was switched off. A self-signed internal service: issue "
            "its certificate from an internal CA and pass that CA as above. A TLS-inspecting "
            "proxy on developer machines: install its CA in the machine's trust store and use "
            "`truststore`, not a code change. An outdated CA bundle in the image: update "
            "`certifi` / the base image. Then remove `verify=False` everywhere and fail the "
            "build if it comes back."
        ),
        libraries=("httpx", "requests", "truststore"),
        references=(
            "https://docs.astral.sh/ruff/rules/request-with-no-cert-validation/",
            "https://www.python-httpx.org/advanced/ssl/",
            "https://requests.readthedocs.io/en/latest/user/advanced/#ssl-cert-verification",
        ),
        upstream=("S501",),
    )
)
