"""The fake Bot API, but a held call whose caller died meanwhile is still carried out, as Telegram carries out a
request it has received whole whether or not the sender is still there for the answer.

The plain fake drops such a call ("it never arrived"): right for a platform that stalled before reading it, but
then a process killed with a send in flight can never have sent it. Here it has, so a test can tell a message
the dead process had already handed over (sent, and never to be sent again) from one lost."""

from __future__ import annotations

import socket

from tests.fakes.bot_api_server import FakeBotApi


class TelegramLikeFake(FakeBotApi):
    """`hold` / `release` as the fake's, a released call carried out even if its caller is gone."""

    def _pass_gate(self, path: str, connection: socket.socket) -> bool:
        super()._pass_gate(path, connection)  # waits while held; whether the caller is still there does not matter
        return True
