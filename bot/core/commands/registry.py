"""The command registry: one declaration per command, looked up by any alias typed with or without diacritics."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date

from bot.core.commands.tokens import Tokens, compact
from bot.core.permissions import ANY_MEMBER, Role


@dataclass(frozen=True)
class ParseContext:
    """What parsing needs to know besides the text: the commune's date and its codes."""

    today: date
    departments: tuple[str, ...]
    reports: tuple[str, ...] = ()


Parser = Callable[[Tokens, ParseContext], object]


@dataclass(frozen=True)
class CommandSpec:
    """One chat command: its name as typed, aliases, parser, who may run it, and whether it writes."""

    name: str
    parse: Parser
    roles: frozenset[Role]
    writes: bool
    aliases: tuple[str, ...] = ()
    public: bool = False  # may be sent before registering (only /start)
    consolidating: bool = False  # also the focal people of the department that consolidates the plan
    takes_file: bool = False  # a file sent with it is saved for it (/nhap)

    @property
    def usage_key(self) -> str:
        """The catalogue key of its usage line."""
        return f"usage.{self.name}"

    @property
    def help_key(self) -> str:
        """The catalogue key of its one-line description."""
        return f"help.{self.name}"


@dataclass(frozen=True)
class RawCommand:
    """A message split into its command word, the declaration it names (if any), and the rest."""

    word: str
    spec: CommandSpec | None
    args: str


class Registry:
    """Every command, by name and alias; adding a command is adding one declaration to its feature module."""

    def __init__(self, specs: Iterable[CommandSpec]) -> None:
        self.specs = tuple(specs)
        self._by_key: dict[str, CommandSpec] = {}
        for spec in self.specs:
            for key in (spec.name, *spec.aliases):
                if compact(key) in self._by_key:
                    raise ValueError(f"alias {key!r} is declared twice")
                self._by_key[compact(key)] = spec

    def __iter__(self):
        return iter(self.specs)

    def for_every_member(self) -> tuple[str, ...]:
        """The commands every role may run: the menu shown to someone not known yet."""
        return tuple(s.name for s in self.specs if not s.public and s.roles == ANY_MEMBER)

    def takes_file(self, message: str) -> bool:
        """Whether a file sent with this text is for its command to read."""
        raw = self.split(message)
        return raw is not None and raw.spec is not None and raw.spec.takes_file

    def get(self, word: str) -> CommandSpec | None:
        """The command a typed word names ('Họp', 'hop', 'cuoc_hop'), if any."""
        return self._by_key.get(compact(word))

    def split(self, message: str) -> RawCommand | None:
        """Split '/Hop@BinhLuBot truc tuyen' into its command and arguments; None if not a command."""
        message = message.strip()
        if not message.startswith("/"):
            return None
        words = message[1:].split(maxsplit=1)  # a line break after the command is a space on a phone
        if not words:
            return RawCommand("", None, "")  # a lone "/"
        word, _, _bot = words[0].partition("@")
        return RawCommand(word, self.get(word), words[1].strip() if len(words) > 1 else "")
