"""The chat apps' configuration: Telegram and Zalo, their tokens (from the environment first) and servers."""

from __future__ import annotations

import os
import re
from typing import Literal

from pydantic import Field, SecretStr, field_validator, model_validator

from bot.config.sections import Section

TOKEN_ENV = "TELEGRAM_BOT_TOKEN"
ZALO_TOKEN_ENV = "ZALO_BOT_TOKEN"


class TelegramConfig(Section):
    """`[telegram]`: the bot token (or TELEGRAM_BOT_TOKEN) and the Bot API server."""

    token: SecretStr | None = None
    base_url: str = "https://api.telegram.org/bot"
    base_file_url: str | None = None
    poll_timeout: int = Field(default=30, ge=0, le=60)


SECRET = re.compile(r"[A-Za-z0-9_-]{8,256}")


class ZaloWebhookConfig(Section):
    """`[zalo.webhook]`: where Zalo posts updates when `zalo.mode = "webhook"`."""

    listen: str = "127.0.0.1"  # behind the reverse proxy that terminates HTTPS
    port: int = Field(default=8081, ge=1, le=65535)
    path: str = "/zalo"
    public_url: str | None = None  # https://… the URL registered with Zalo (the proxy's)
    secret: SecretStr | None = None  # 8–256 characters; Zalo sends it in X-Bot-Api-Secret-Token

    @field_validator("public_url")
    @classmethod
    def _https(cls, value: str | None) -> str | None:
        if value is not None and not value.startswith("https://"):
            raise ValueError("Zalo chỉ gửi tới địa chỉ https://")
        return value

    @field_validator("secret")
    @classmethod
    def _secret_shape(cls, value: SecretStr | None) -> SecretStr | None:
        # An HTTP header carries it: ASCII letters, digits, "_" and "-" only (no Vietnamese letters, no spaces).
        if value is not None and not SECRET.fullmatch(value.get_secret_value()):
            raise ValueError("mã bí mật phải dài 8–256 ký tự, chỉ gồm chữ cái không dấu, chữ số, _ và -")
        return value


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
        if self.mode == "webhook" and (self.webhook.public_url is None or self.webhook.secret is None):
            raise ValueError('zalo.mode = "webhook" cần zalo.webhook.public_url và zalo.webhook.secret')
        return self


def secret_value(variable: str, configured: SecretStr | None) -> str | None:
    """A secret from the environment (which wins), else from the file."""
    return os.environ.get(variable, "").strip() or (configured.get_secret_value() if configured else None)
