"""The chat apps' configuration: Telegram and Zalo, their tokens (from the environment first) and servers."""

from __future__ import annotations

import os
import re
from typing import Literal

from pydantic import Field, SecretStr, field_validator, model_validator

from bot.config.sections import Section

TOKEN_ENV = "TELEGRAM_BOT_TOKEN"
ZALO_TOKEN_ENV = "ZALO_BOT_TOKEN"


SECRET = re.compile(r"[A-Za-z0-9_-]{8,256}")
PATH = re.compile(r"/[A-Za-z0-9._~/-]*")  # a plain path: no query, no space, nothing to escape


class WebhookConfig(Section):
    """Where a platform posts updates when its channel's mode is "webhook"; each channel's table sets the path."""

    listen: str = "127.0.0.1"  # behind the reverse proxy that terminates HTTPS
    port: int = Field(default=8081, ge=1, le=65535)
    path: str
    public_url: str | None = None  # https://… the URL registered with the platform (the proxy's)
    secret: SecretStr | None = None  # 8–256 characters; the platform sends it in a header with every call

    @field_validator("path")
    @classmethod
    def _plain_path(cls, value: str) -> str:
        if not PATH.fullmatch(value):
            raise ValueError("đường dẫn bắt đầu bằng /, chỉ gồm chữ cái không dấu, chữ số và . _ ~ / -")
        return value

    @field_validator("public_url")
    @classmethod
    def _https(cls, value: str | None) -> str | None:
        if value is not None and not value.startswith("https://"):
            raise ValueError("địa chỉ webhook phải bắt đầu bằng https://")
        return value

    @field_validator("secret")
    @classmethod
    def _secret_shape(cls, value: SecretStr | None) -> SecretStr | None:
        # An HTTP header carries it: ASCII letters, digits, "_" and "-" only (no Vietnamese letters, no spaces).
        if value is not None and not SECRET.fullmatch(value.get_secret_value()):
            raise ValueError("mã bí mật phải dài 8–256 ký tự, chỉ gồm chữ cái không dấu, chữ số, _ và -")
        return value

    def required_by(self, section: str, mode: str) -> None:
        """In webhook mode the platform needs the public URL and the secret: say which section lacks them."""
        if mode == "webhook" and (self.public_url is None or self.secret is None):
            raise ValueError(f'{section}.mode = "webhook" cần {section}.webhook.public_url và {section}.webhook.secret')

    @property
    def secret_value(self) -> str:
        """The secret itself (empty when none is set: then every call is refused); never log it."""
        return self.secret.get_secret_value() if self.secret is not None else ""


class TelegramWebhookConfig(WebhookConfig):
    """`[telegram.webhook]`: Telegram sends the secret in X-Telegram-Bot-Api-Secret-Token."""

    path: str = "/telegram"


class ZaloWebhookConfig(WebhookConfig):
    """`[zalo.webhook]`: Zalo sends the secret in X-Bot-Api-Secret-Token."""

    path: str = "/zalo"


class TelegramConfig(Section):
    """`[telegram]`: the bot token (or TELEGRAM_BOT_TOKEN), the Bot API server, polling or webhook, pacing."""

    token: SecretStr | None = None
    base_url: str = "https://api.telegram.org/bot"
    base_file_url: str | None = None
    mode: Literal["polling", "webhook"] = "polling"
    poll_timeout: int = Field(default=30, ge=0, le=60)
    webhook: TelegramWebhookConfig = TelegramWebhookConfig()
    # Telegram's limit for a bot's messages in a second, for the whole deployment; more only with paid broadcasts.
    messages_per_second: int = Field(default=30, ge=1, le=1000)

    @model_validator(mode="after")
    def _webhook_complete(self) -> TelegramConfig:
        self.webhook.required_by("telegram", self.mode)
        return self


class ZaloConfig(Section):
    """`[zalo]`: the Zalo Bot Platform's token (or ZALO_BOT_TOKEN), its server, polling or webhook, pacing."""

    token: SecretStr | None = None
    base_url: str = "https://bot-api.zaloplatforms.com/bot"
    mode: Literal["polling", "webhook"] = "polling"
    poll_timeout: int = Field(default=30, ge=1, le=60)
    webhook: ZaloWebhookConfig = ZaloWebhookConfig()
    messages_per_second: int = Field(default=5, ge=1, le=30)  # Zalo publishes no limit: stay well under any

    @model_validator(mode="after")
    def _webhook_complete(self) -> ZaloConfig:
        self.webhook.required_by("zalo", self.mode)
        return self


def secret_value(variable: str, configured: SecretStr | None) -> str | None:
    """A secret from the environment (which wins), else from the file."""
    return os.environ.get(variable, "").strip() or (configured.get_secret_value() if configured else None)
