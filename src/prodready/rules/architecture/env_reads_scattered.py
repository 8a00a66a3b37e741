"""ARC006: configuration read from the environment all over the code base."""

from __future__ import annotations

from collections.abc import Iterator

from prodready.analysis.project.layers import big_enough
from prodready.analysis.project.profile import first_import
from prodready.domain.finding import Finding
from prodready.domain.rule import RuleMeta
from prodready.domain.taxonomy import Confidence, Dimension, Severity
from prodready.rules.api import ProjectContext, project_rule

META = RuleMeta(
    id="ARC006",
    name="env-read-across-modules",
    title="Environment variables read across many modules",
    dimension=Dimension.ARCHITECTURE,
    severity=Severity.MINOR,
    confidence=Confidence.HIGH,
    what=(
        "`os.getenv(...)`, `os.environ[...]` / `.get(...)` or python-decouple `config(...)` "
        "are read in 4 or more modules besides the configuration modules (config / settings "
        "/ constants) and scripts (scripts/, tools/, migrations/), instead of once, in one "
        "validated settings object. "
        "Projects under 15 modules are not reviewed."
    ),
    why=(
        "Each read is parsed on its own: a typo in a variable name silently gives `None` or a "
        "default in one module only, `int(os.getenv('LIMIT'))` fails at the first request "
        "instead of at start-up, booleans are compared as strings ('false' is truthy), and "
        "nobody can list what the service needs to run. Secrets end up read (and sometimes "
        "logged) in random places."
    ),
    fix="""Declare every setting once with types and validation, read at start-up:

```python
from pydantic import PostgresDsn, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", env_prefix="APP_")

    bot_token: SecretStr
    database_url: PostgresDsn
    admin_ids: list[int] = []
    payments_enabled: bool = False


settings = Settings()  # fails fast, naming every missing or invalid variable
```""",
    migration=(
        "Add the variables the listed modules read to one `BaseSettings` class, build it in "
        "the entry point and pass it (or the values) to the code that needs them; replace "
        "the reads module by module; document the variables with a `.env.example` generated "
        "from the class."
    ),
    libraries=("pydantic-settings", "pydantic"),
    references=(
        "https://docs.pydantic.dev/latest/concepts/pydantic_settings/",
        "https://12factor.net/config",
    ),
)
_CONFIG_WORDS = ("config", "settings", "conf", "constants", "env", "environment", "const")
_SCRIPTS = frozenset({"scripts", "tools", "bin", "migrations", "alembic"})
_MIN_MODULES = 4
_SHOWN = 5


def _is_config(path: str) -> bool:
    """A configuration module, or a script / migration environment (run by hand)."""
    parts = path.removesuffix(".py").split("/")
    if _SCRIPTS & set(parts[:-1]):
        return True
    return any(word in part.lower() for part in parts[-2:] for word in _CONFIG_WORDS)


@project_rule(META)
def check(ctx: ProjectContext) -> Iterator[Finding]:
    facts = ctx.project.facts
    if not big_enough(facts):
        return
    reading = [f for f in facts if f.env_reads and not _is_config(f.path)]
    if len(reading) < _MIN_MODULES:
        return
    reading.sort(key=lambda f: (-len(f.env_reads), f.path))
    listed = ", ".join(f"{f.path} ({len(f.env_reads)})" for f in reading[:_SHOWN])
    more = f", +{len(reading) - _SHOWN} more" if len(reading) > _SHOWN else ""
    total = sum(len(f.env_reads) for f in reading)
    has_settings = first_import(ctx.project, ("pydantic_settings",)) is not None
    note = " although a pydantic-settings class exists" if has_settings else ""
    yield ctx.finding_at(
        reading[0].env_reads[0],
        f"{total} environment reads in {len(reading)} modules{note}: {listed}{more}",
    )
