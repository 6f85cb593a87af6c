"""The command registry: every chat command declared once, in its feature, with the word typed, its grammar, its
use case, who may run it and whether it writes; looked up by any alias typed with or without diacritics.

The registry is pure: it holds each use case as an opaque callable and never calls one (the pipeline does).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable, Mapping
from dataclasses import dataclass, field

from bot.core.grammar import Ask, Missing, NeedInput, ParseContext, ParseError, Tokens, YearGuess, compact
from bot.core.permissions import ANY_MEMBER, Role

# What parsing a command can come to besides the command itself: asked, prompted, refused, or a year to confirm.
ParseOutcome = ParseError | Missing | NeedInput | YearGuess


Parser = Callable[[Tokens, ParseContext], object]
UseCase = Callable[..., Awaitable[object]]


@dataclass(frozen=True)
class Command:
    """One chat command: the word typed and its aliases, its grammar, its use case, who may run it, whether it
    writes (and so is answered once per message, from the record on a redelivery)."""

    name: str
    parse: Parser
    handle: UseCase
    roles: frozenset[Role]
    writes: bool
    aliases: tuple[str, ...] = ()
    public: bool = False  # may be sent before registering (only /start)
    consolidating: bool = False  # also the focal people of the department that consolidates the plan
    takes_file: bool = False  # a file sent with it is saved for it (/nhap)
    private: bool = False  # answered in a private chat only: what it shows is not for everyone in a group

    @property
    def usage_key(self) -> str:
        """The catalogue key of its usage line."""
        return f"usage.{self.name}"

    @property
    def summary_key(self) -> str:
        """The catalogue key of what it does, in a few words ('ghi một cuộc họp')."""
        return f"summary.{self.name}"

    def read(self, args: str, context: ParseContext) -> object | ParseOutcome:
        """The typed command its arguments make, or why there is none yet (a value, never raised)."""
        try:
            return self.parse(Tokens.of(args), context)
        except (ParseError, Missing, NeedInput, YearGuess) as outcome:
            return outcome


@dataclass(frozen=True)
class Feature:
    """What a feature adds: its commands (in /help order), the questions it can ask with options, and the use
    cases that take a free-text answer to a question it asked (by topic: `(ctx, awaited, text) -> outcome`)."""

    name: str
    order: int
    commands: tuple[Command, ...] = ()
    asks: Mapping[Ask, UseCase] = field(default_factory=dict)
    answers: Mapping[str, UseCase] = field(default_factory=dict)


@dataclass(frozen=True)
class RawCommand:
    """A message split into its command word, the command it names (if any), and the rest."""

    word: str
    command: Command | None
    args: str


class Registry:
    """Every feature's commands, by name and alias, in the features' order."""

    def __init__(self, features: Iterable[Feature]) -> None:
        self.features = tuple(sorted(features, key=lambda f: (f.order, f.name)))
        self.commands = tuple(c for f in self.features for c in f.commands)
        self.asks: dict[Ask, UseCase] = {}
        self.answers: dict[str, UseCase] = {}
        self._by_key: dict[str, Command] = {}
        for feature in self.features:
            for ask, provider in feature.asks.items():
                if ask in self.asks:
                    raise ValueError(f"question {ask!r} is declared twice")
                self.asks[ask] = provider
            for topic, taker in feature.answers.items():
                if topic in self.answers:
                    raise ValueError(f"answer topic {topic!r} is declared twice")
                self.answers[topic] = taker
        for command in self.commands:
            for key in (command.name, *command.aliases):
                if compact(key) in self._by_key:
                    raise ValueError(f"alias {key!r} is declared twice")
                self._by_key[compact(key)] = command

    def __iter__(self):
        return iter(self.commands)

    def get(self, word: str) -> Command | None:
        """The command a typed word names ('Họp', 'hop', 'cuoc_hop'), if any."""
        return self._by_key.get(compact(word))

    def for_every_member(self) -> tuple[str, ...]:
        """The commands every role of a commune may run: the menu shown to someone not known yet."""
        return tuple(c.name for c in self.commands if not c.public and c.roles >= ANY_MEMBER)

    def takes_file(self, message: str) -> bool:
        """Whether a file sent with this text is for its command to read."""
        raw = self.split(message)
        return raw is not None and raw.command is not None and raw.command.takes_file

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
