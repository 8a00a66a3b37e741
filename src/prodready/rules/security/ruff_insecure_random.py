"""SEC104: `random` used where the value may need to be unguessable, ruff's S311."""

from __future__ import annotations

from prodready.domain.rule import RuleMeta
from prodready.domain.taxonomy import Confidence, Dimension, Severity
from prodready.rules.api import upstream_rule

RULE = upstream_rule(
    RuleMeta(
        id="SEC104",
        name="insecure-random",
        title="Predictable random numbers from the random module",
        dimension=Dimension.SECURITY,
        severity=Severity.MINOR,
        confidence=Confidence.LOW,
        what=(
            "A function of the `random` module (`random()`, `randint`, `randrange`, `choice`, "
            "`choices`, `uniform`, `randbytes`, ...) or `random.Random(...)` is called. ruff "
            "reports every call whatever the value is for (it leaves `shuffle`, `sample` and "
            "`getrandbits` alone): it matters only when the value must be unguessable, hence "
            "low confidence."
        ),
        why=(
            "`random` is a Mersenne Twister: from 624 consecutive 32-bit outputs anyone can "
            "rebuild its state and predict every later value. When the value protects "
            "something (a session or API token, a login or e-mail code, an invite or referral "
            "code, a promo or gift code, an invoice payload or order reference matched against "
            "payments, a captcha answer) a user who collects some values, for example by "
            "requesting many promo codes, can compute the next ones and redeem other users' "
            "codes. For choosing a random greeting or sticker, shuffling quiz answers or "
            "jittering a retry delay it does not matter: suppress those with a reason."
        ),
        fix="""Use the `secrets` module (the OS's cryptographic generator) for anything a user
must not guess:

```python
import secrets

PROMO_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def new_invite_token() -> str:
    return secrets.token_urlsafe(16)


def new_promo_code() -> str:
    return "".join(secrets.choice(PROMO_ALPHABET) for _ in range(10))


def new_login_code() -> str:
    return f"{secrets.randbelow(1_000_000):06d}"
```""",
        migration=(
            "For each finding ask whether anyone gains by predicting the value. If yes, switch "
            "to `secrets` (`token_urlsafe`, `token_hex`, `choice`, `randbelow`) or `uuid.uuid4()` "
            "for identifiers, and expire or rate-limit codes a user can try to guess. If not "
            "(greetings, quiz order, retry jitter), keep `random` and suppress the finding with "
            "the reason."
        ),
        references=(
            "https://docs.astral.sh/ruff/rules/suspicious-non-cryptographic-random-usage/",
            "https://docs.python.org/3/library/secrets.html",
            "https://docs.python.org/3/library/random.html",
        ),
        upstream=("S311",),
    )
)
