"""The service's settings: one class, read from options, the environment and ``.env``.

Precedence, highest first: a command-line option (passed to ``Settings(...)``),
the environment, a ``.env`` file in the working directory, the default. All
state lives under ``home`` unless a URL points elsewhere.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import AliasChoices, Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    """billing-risk settings; environment variables are named in each field's alias."""

    model_config = SettingsConfigDict(
        env_prefix="RISK_",
        env_file=".env",
        env_file_encoding="utf-8",
        extra="ignore",
        validate_by_name=True,
    )

    home: Path = Field(
        default=Path(".risk"),
        description="The data directory: the app database, MLflow and caches live here.",
    )
    database_url: str = Field(
        default="",
        description="SQLAlchemy URL of the app database (default: SQLite under home).",
    )
    mlflow_tracking_uri: str = Field(
        default="",
        # MLflow's own variable, so a team's existing setup is picked up as is.
        validation_alias=AliasChoices("mlflow_tracking_uri", "MLFLOW_TRACKING_URI"),
        description="MLflow tracking and registry URL (default: SQLite under home).",
    )

    @model_validator(mode="after")
    def _default_locations(self) -> Settings:
        home = self.home.expanduser().resolve()
        self.home = home
        if not self.database_url:
            self.database_url = f"sqlite:///{home / 'risk.db'}"
        if not self.mlflow_tracking_uri:
            self.mlflow_tracking_uri = f"sqlite:///{home / 'mlflow.db'}"
        return self


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The settings from the environment and ``.env`` (cached; tests override it)."""
    return Settings()
