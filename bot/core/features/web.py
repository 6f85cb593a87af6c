"""/web: a one-time link to the web pages for the person who asks, and `/web dangxuat` to end their sessions;
the grammar, the chat's texts and views, and what the pages say when no page can be shown."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.core.grammar import ParseContext, ParseError, Tokens, compact, echo
from bot.core.texts.catalogue import add_strings, render, text

SIGN_OUT_WORDS = frozenset({"dangxuat", "thoat", "logout"})


@dataclass(frozen=True)
class OpenWeb:
    pass


@dataclass(frozen=True)
class SignOut:
    pass


def parse_web(tokens: Tokens, ctx: ParseContext) -> OpenWeb | SignOut:
    if not tokens.raw:
        return OpenWeb()
    word = tokens.take()[0]
    if compact(word) not in SIGN_OUT_WORDS:
        raise ParseError("parse.web_word", value=echo(word))
    tokens.no_more()
    return SignOut()


@dataclass(frozen=True)
class WebLink:
    """A sign-in link, shown once; sent without a link preview (a preview fetch must not be its first use)."""

    url: str
    expires_at: datetime  # in the commune's time
    minutes: int
    secret = True  # sent without a link preview and not kept once sent (see Reply.secret)


@dataclass(frozen=True)
class SignedOut:
    sessions: int


add_strings(
    {
        "usage.web": "/web (đường dẫn đăng nhập trang số liệu) · /web dangxuat (đăng xuất mọi nơi)",
        "summary.web": "xem số liệu trên trang web",
        "parse.web_word": "Không rõ “{value}”: gõ /web để nhận đường dẫn, /web dangxuat để đăng xuất.",
        "web.link": (
            "🔗 Trang số liệu của bạn: {url}\n"
            "Đường dẫn dùng một lần, hết hạn lúc {time} ({minutes} phút). Không chuyển tiếp cho người khác."
        ),
        "web.private_only": "Vì an toàn, hãy gửi /web trong tin nhắn riêng với bot, không gửi trong nhóm.",
        "web.disabled": "Trang web chưa được bật ([web] trong tệp cấu hình): hãy nhờ quản trị viên.",
        "web.signed_out": "Đã đăng xuất {count} phiên trên trang web.",
        "web.signed_out_none": "Không có phiên nào đang mở trên trang web.",
    }
)


@render.register
def _link(view: WebLink) -> str:
    return text("web.link", url=view.url, time=f"{view.expires_at:%H:%M}", minutes=view.minutes)


@render.register
def _signed_out(view: SignedOut) -> str:
    if not view.sessions:
        return text("web.signed_out_none")
    return text("web.signed_out", count=view.sessions)
