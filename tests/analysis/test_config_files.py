from __future__ import annotations

from prodready.analysis.config_files import (
    ConfigFile,
    Entry,
    entries,
    is_config_name,
    is_config_path,
)


def test_config_names_and_paths() -> None:
    for name in (".env", ".env.prod", "prod.env", "config.yaml", "settings.json", "secrets.toml"):
        assert is_config_name(name), name
    for name in ("docker-compose.yml", "compose.prod.yaml", "alembic.ini", "config.ini"):
        assert is_config_name(name), name
    for name in ("pyproject.toml", "README.md", "main.py", "data.json", "environment.py"):
        assert not is_config_name(name), name
    assert is_config_path("deploy/.env")
    assert not is_config_path("node_modules/pkg/config.json")
    assert not is_config_path(".vscode/settings.json")


def test_templates_and_test_setups_are_examples() -> None:
    for path in (".env.example", "config.sample.yaml", "config_dist/config.yml"):
        assert ConfigFile(path, "").example, path
    assert ConfigFile("docker-compose.test.yml", "").example
    assert not ConfigFile(".env", "").example
    assert not ConfigFile("deploy/config.yaml", "").example


def test_env_yaml_ini_and_json_entries() -> None:
    env = ConfigFile(".env", "# c\nexport A=1\nB = 'two' # note\n\nC=\n")
    assert list(entries(env)) == [Entry("A", "1", 2), Entry("B", "two", 3), Entry("C", "", 5)]
    yaml = ConfigFile(
        "config.yaml",
        'bot:\n  token: "abc"\n  nested:\n    key: value # c\nenv:\n  - SECRET=x1\n',
    )
    assert list(entries(yaml)) == [
        Entry("token", "abc", 2),
        Entry("key", "value", 4),
        Entry("SECRET", "x1", 6),
    ]
    ini = ConfigFile("alembic.ini", "[alembic]\nsqlalchemy.url = driver://u:p@h/db\n")
    assert list(entries(ini)) == [Entry("sqlalchemy.url", "driver://u:p@h/db", 2)]
    json_file = ConfigFile("settings.json", '{\n  "a": {"b": "c"},\n  "d": "e"\n}\n')
    assert sorted(entries(json_file), key=lambda e: e.line) == [
        Entry("b", "c", 2),
        Entry("d", "e", 3),
    ]
    assert list(entries(ConfigFile("settings.json", "{broken"))) == []
