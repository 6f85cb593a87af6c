"""/huy: cancelling an entry (the record is kept), or a leader withdrawing a task; its grammar and texts."""

from __future__ import annotations

from dataclasses import dataclass

from bot.core.features.entries import EntryView, describe_entry
from bot.core.grammar import ParseContext, Tokens, is_task_ref, positive_int, task_ref
from bot.core.texts.catalogue import add_strings, render, text


@dataclass(frozen=True)
class Cancel:
    entry_id: int | None


@dataclass(frozen=True)
class CancelTask:
    """`/huy V3`: a leader withdraws a task."""

    task_id: int


def parse_cancel(tokens: Tokens, ctx: ParseContext) -> Cancel | CancelTask:
    if not tokens.raw:
        return Cancel(None)
    token = tokens.take()[0]
    tokens.no_more()
    if is_task_ref(token):
        return CancelTask(task_ref(token))
    return Cancel(positive_int(token, "parse.bad_entry_id"))


@dataclass(frozen=True)
class EntryCancelled:
    entry: EntryView


add_strings(
    {
        "usage.huy": "/huy [số mục | số việc]\nVí dụ: /huy (mục vừa ghi), /huy 12, /huy V3 (lãnh đạo hủy việc)",
        "summary.huy": "hủy mục vừa ghi",
        "cancel.done": "Đã hủy #{id} ({what}). Bản ghi vẫn được lưu để đối chiếu.",
        "cancel.nothing": "Bạn chưa ghi mục nào để hủy.",
        "cancel.last_already": "Mục vừa ghi #{id} ({what}) đã được hủy. Muốn hủy mục khác, gõ /huy <số mục>.",
        "confirm.cancel": "Hủy #{id}: {what}?",
        "option.cancel_entry": "Hủy #{id}",
        "cancel.not_found": "Không có mục #{id}.",
        "cancel.already": "Mục #{id} đã được hủy trước đó.",
        "cancel.not_yours": "Bạn chỉ hủy được mục do mình ghi.",
    }
)


@render.register
def _cancelled(view: EntryCancelled) -> str:
    return text("cancel.done", id=view.entry.id, what=describe_entry(view.entry))
