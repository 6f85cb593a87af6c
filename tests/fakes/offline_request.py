"""The Bot API faked at the request layer (after python-telegram-bot's tests/auxil/networking.py)."""

from __future__ import annotations

import itertools
import json
import time
from typing import Any

from telegram.request import BaseRequest, RequestData

BOT_USER = {"id": 42, "is_bot": True, "first_name": "Trợ lý Bình Lư", "username": "binhlu_test_bot"}


class RecordingRequest(BaseRequest):
    """Answers every Bot API call like Telegram would, records it, and never opens a socket."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, dict[str, Any]]] = []
        self.failures: dict[str, tuple[int, str]] = {}
        self._message_ids = itertools.count(5000)

    async def initialize(self) -> None:
        pass

    async def shutdown(self) -> None:
        pass

    @property
    def read_timeout(self) -> float:
        return 1.0

    def fail(self, method: str, status: int = 400, description: str = "Bad Request: test") -> None:
        """Make every later call of `method` fail."""
        self.failures[method] = (status, description)

    def sent(self, method: str = "sendMessage") -> list[dict[str, Any]]:
        """Parameters of every call of `method`, in order."""
        return [params for name, params in self.calls if name == method]

    async def do_request(self, url: str, method: str, request_data: RequestData | None = None, **_: Any):
        endpoint = url.rsplit("/", 1)[-1]
        params = request_data.parameters if request_data else {}
        self.calls.append((endpoint, params))
        if endpoint in self.failures:
            status, description = self.failures[endpoint]
            return status, json.dumps({"ok": False, "error_code": status, "description": description}).encode()
        return 200, json.dumps({"ok": True, "result": self._result(endpoint, params)}).encode()

    def _result(self, endpoint: str, params: dict[str, Any]) -> Any:
        if endpoint == "getMe":
            return BOT_USER
        if endpoint == "getWebhookInfo":  # where the last setWebhook pointed, as Telegram answers
            hooks = [params.get("url", "") for name, params in self.calls if name in {"setWebhook", "deleteWebhook"}]
            return {"url": hooks[-1] if hooks else "", "has_custom_certificate": False, "pending_update_count": 0}
        if endpoint in {"sendMessage", "editMessageText", "sendPhoto", "sendDocument"}:
            return {
                "message_id": params.get("message_id") or next(self._message_ids),
                "date": int(time.time()),
                "chat": {"id": int(params["chat_id"]), "type": "private"},
                "from": BOT_USER,
                "text": params.get("text", ""),
            }
        return True
