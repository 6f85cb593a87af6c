"""/lienket: binding a group chat to a department."""

from __future__ import annotations

from bot.core.texts.catalogue import add_strings

add_strings(
    {
        "usage.lienket": "/lienket <mã phòng> (gõ trong nhóm của phòng)",
        "help.lienket": "/lienket – liên kết nhóm chat với phòng",
        "link.private_chat": "Hãy gõ lệnh này trong nhóm chat của phòng.",
        "link.done": "Đã liên kết nhóm này với {department}. Nhắc việc của phòng sẽ gửi vào đây.",
        "link.not_your_department": "Bạn chỉ liên kết nhóm với phòng của mình.",
        "link.taken": (
            "Nhóm này đang liên kết với {department}; chỉ đầu mối phòng đó hoặc lãnh đạo, quản trị mới đổi được."
        ),
    }
)
