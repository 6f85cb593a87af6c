"""The deployment's configuration sections: one pydantic model per TOML table; an error names the key."""

from __future__ import annotations

from urllib.parse import urlsplit

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator


class Section(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class DatabaseConfig(Section):
    """`[database]`: an SQLAlchemy async URL; an SQLite file under data/ by default, PostgreSQL in production."""

    url: str = "sqlite+aiosqlite:///data/lelolamviec.db"

    @field_validator("url")
    @classmethod
    def _async_driver(cls, value: str) -> str:
        if not value.startswith(("sqlite+aiosqlite://", "postgresql+asyncpg://")):
            raise ValueError("cần URL dạng sqlite+aiosqlite:///đường/dẫn.db hoặc postgresql+asyncpg://người@máy/csdl")
        return value


MAX_INVITE_HOURS = 24 * 30


class InvitesConfig(Section):
    """`[invites]`: how long an invite lives and how wrong codes are slowed down."""

    ttl_hours: int = Field(default=72, ge=1, le=MAX_INVITE_HOURS)
    max_failures: int = Field(default=5, ge=1)
    failure_window_minutes: int = Field(default=15, ge=1, le=60)
    max_failures_per_hour: int = Field(default=100, ge=1)  # wrong codes from everyone together


class RemindersConfig(Section):
    """`[reminders]` of the deployment: whether the bot reminds by itself, how often it looks, how far back a
    missed reminder is still sent. (When reminders go out is each commune's: see `CommuneRemindersConfig`.)"""

    enabled: bool = True
    catch_up_hours: int = Field(default=24, ge=1, le=24 * 7)
    sweep_seconds: int = Field(default=60, ge=5, le=3600)


class ExportsConfig(Section):
    """`[exports]`: pictures with /chitieu, where files are kept, and where (if anywhere) they are served."""

    charts: bool = True
    files_dir: str = "data/files"
    public_url: str | None = None  # a base URL the deployment serves files_dir at, for apps that cannot take files


class ProvinceConfig(Section):
    """`[province]`: one deployment for a whole province; each commune in its own file."""

    name: str = Field(min_length=1)
    communes: list[str] = Field(min_length=1)  # globs or paths, relative to the province file


class WebConfig(Section):
    """`[web]`: the pages the bot serves to whoever signs in with a `/web` link, on the process's HTTP server
    (the webhooks' when `listen` and `port` are theirs), behind the commune's HTTPS proxy at `public_url`."""

    enabled: bool = False
    listen: str = "127.0.0.1"  # behind the reverse proxy that terminates HTTPS
    port: int = Field(default=8081, ge=1, le=65535)
    public_url: str | None = None  # https://… where the proxy serves the pages (with a path, if it strips one)

    @field_validator("public_url")
    @classmethod
    def _plain_url(cls, value: str | None) -> str | None:
        if value is None:
            return None
        parts = urlsplit(value)
        if parts.scheme not in ("http", "https") or not parts.netloc or parts.query or parts.fragment:
            raise ValueError("địa chỉ trang web dạng https://máy[/đường-dẫn], không có ? hay #")
        return value.rstrip("/")

    @model_validator(mode="after")
    def _reachable(self) -> WebConfig:
        if self.enabled and self.public_url is None:
            raise ValueError("web.enabled = true cần web.public_url (địa chỉ người dùng mở trang)")
        return self

    @property
    def secure(self) -> bool:
        """Whether the pages are reached over HTTPS (then the session cookie is sent over HTTPS only)."""
        return self.public_url is not None and self.public_url.startswith("https://")

    @property
    def root(self) -> str:
        """The path the proxy serves the bot's root at ('' or '/solieu'): every link and the cookie start there."""
        return urlsplit(self.public_url).path if self.public_url else ""
