"""Runtime configuration, read from environment variables (prefix SUBBOT_) or .env."""

from __future__ import annotations

from functools import lru_cache

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", env_prefix="SUBBOT_", extra="ignore")

    # Telegram
    bot_token: str = "7012345678:AAHbgGZ5JOfgpqET-sNL9Cpj6mqLyqvd0Gz"
    use_webhook: bool = True
    webhook_base_url: str = "https://subbot.example.com"
    webhook_secret: str = Field(default="", max_length=256)

    # Product
    subscription_price_stars: int = 250
    subscription_days: int = 30
    reminder_days_before: int = 3

    # Admin HTTP API: no default, must come from the environment
    admin_api_token: SecretStr

    # Database
    database_url: str = "postgresql+asyncpg://localhost:5432/subbot"
    db_echo: bool = False
    db_pool_size: int = 10

    # External services
    rates_primary_url: str = "https://api.fx-rates.example.net/v2"
    rates_fallback_url: str = "https://fx-backup.example.org/api"
    analytics_base_url: str = "https://events.analytics.example.io"

    # Background jobs (seconds)
    expiry_check_interval: float = 300.0
    rates_refresh_interval: float = 900.0


@lru_cache
def get_settings() -> Settings:
    return Settings()  # type: ignore[call-arg]
