"""What one imported file may hold, and how a file over a limit is refused: naming the limit, in Vietnamese."""

from __future__ import annotations

from dataclasses import dataclass

from bot.core.texts.catalogue import text

MIB = 1 << 20


@dataclass(frozen=True)
class Limits:
    """Checked before anything is expanded: a file over any of them is refused whole, the limit named."""

    file_bytes: int = 10 * MIB  # the file as sent
    rows: int = 5_000  # rows holding something, after the header: one import is one transaction, kept short
    columns: int = 64  # the last column holding something (BL)
    cells: int = 200_000  # cells holding something, and an .xlsx's shared strings
    cell_chars: int = 32_767  # one cell, as in Excel
    parts: int = 100  # members of an .xlsx's zip (a workbook has about ten)
    part_bytes: int = 16 * MIB  # one member, unpacked
    unpacked_bytes: int = 32 * MIB  # all members, unpacked
    ratio: int = 100  # unpacked over packed, for a member over 1 MiB (real sheets pack ten to thirty times)


LIMITS = Limits()


class UnreadableFile(Exception):
    """The file as a whole cannot be read; the message says why, in Vietnamese."""

    def __init__(self, key: str, **values: object) -> None:
        super().__init__(text(key, **values))


def size_text(size: int) -> str:
    """A size the Vietnamese way: '950 KB', '10 MB', '12,5 MB'."""
    unit, name = (MIB, "MB") if size >= MIB else (1024, "KB")
    return f"{size / unit:.1f}".removesuffix(".0").replace(".", ",") + " " + name


def check_size(size: int | None, limits: Limits = LIMITS) -> None:
    """Refuse a file over the size an import may be, by its size alone (None: not known yet)."""
    if size is not None and size > limits.file_bytes:
        raise UnreadableFile("import.file_too_big", size=size_text(size), limit=size_text(limits.file_bytes))
