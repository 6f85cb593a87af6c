"""Who writes, kept in memory: a chat account as `people.identify` finds it, good while the identity version stands.

Every change to people, chat accounts, memberships, departments or communes bumps that version (database triggers,
so the CLI and other replicas count too), and each message reads it in a statement its handling runs anyway: an
account is looked up again only after something about identities changed, anywhere.
"""

from __future__ import annotations

from collections import OrderedDict

from sqlalchemy.ext.asyncio import AsyncSession

from storage import people

MAX_ACCOUNTS = 20_000  # a province's people several times over; the least recently seen go first


class Identities:
    """Accounts (and strangers, as None) by (channel, external id), as of one identity version."""

    def __init__(self, size: int = MAX_ACCOUNTS) -> None:
        self.size = size
        self.version: int | None = None
        self._accounts: OrderedDict[tuple[str, str], people.Account | None] = OrderedDict()

    async def identify(
        self, session: AsyncSession, channel: str, external_id: str, version: int | None = None
    ) -> people.Account | None:
        """The account writing, from memory when nothing changed since it was read; `version` is the identity
        version this transaction read already (read here if not)."""
        if version is None:
            version = await people.identity_version(session)
        if self.version is None or version > self.version:
            self._accounts.clear()
            self.version = version
        key = (channel, external_id)
        if version == self.version and key in self._accounts:
            self._accounts.move_to_end(key)
            return self._accounts[key]
        account = await people.identify(session, channel, external_id)
        if version == self.version:  # a transaction that read an older version keeps nothing
            self._accounts[key] = account
            if len(self._accounts) > self.size:
                self._accounts.popitem(last=False)
        return account
