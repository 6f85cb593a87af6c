"""Command line: run, demo, invite, members, revoke, remind, db (upgrade, copy, rebuild-summary). Arguments only;
bot.cli works."""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path

from bot import cli
from bot.config import ConfigError, load_config
from bot.core.permissions import Role
from bot.logs import setup_logging

VIETNAMESE_ROLES = ("daumoi", "lanhdao", "quantri")  # the chat's /moi words, read by the CLI too
REPO_EXAMPLE = Path(__file__).resolve().parent.parent / "config.example.toml"
PROVINCE_EXAMPLE = REPO_EXAMPLE.parent / "examples" / "province" / "province.toml"


def parser() -> argparse.ArgumentParser:
    """The CLI's arguments."""
    root = argparse.ArgumentParser(prog="python -m bot", description="Trợ lý chấn chỉnh lề lối làm việc của UBND xã")
    sub = root.add_subparsers(dest="command", required=True)

    def command(name: str, func, help_text: str, config_required: bool = True) -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=help_text)
        p.add_argument("--config", required=config_required)
        p.set_defaults(func=func)
        return p

    run = command("run", cli.cmd_run, "chạy bot đến khi nhận SIGINT/SIGTERM")
    run.add_argument(
        "--port",
        type=int,
        choices=range(1, 65536),
        metavar="CỔNG",
        help="mọi địa chỉ HTTP của bản chạy này (webhook, trang web, /healthz, /metrics) trên một cổng này",
    )
    demo = command("demo", cli.cmd_demo, "dùng thử trong cửa sổ dòng lệnh, không cần Telegram", config_required=False)
    demo.add_argument("--as", dest="as_role", choices=[r.value for r in Role], default=Role.LEADER.value)
    invite = command("invite", cli.cmd_invite, "tạo mã mời dùng một lần")
    who = invite.add_mutually_exclusive_group(required=True)
    who.add_argument(
        "--role",
        choices=[*(r.value for r in Role), *VIETNAMESE_ROLES],
        help="daumoi (đầu mối), lanhdao (lãnh đạo), quantri (quản trị), hoặc province",
    )
    who.add_argument(
        "--member", type=int, metavar="MÃ_THÀNH_VIÊN", help="liên kết thêm Telegram/Zalo cho thành viên này"
    )
    invite.add_argument("--department", help="mã phòng (bắt buộc với đầu mối)")
    invite.add_argument("--hours", type=int, default=None, help="số giờ hiệu lực (mặc định theo cấu hình)")
    members = command("members", cli.cmd_members, "liệt kê thành viên đang hoạt động")
    remind = command(
        "remind", cli.cmd_remind, "tính và gửi các tin nhắc đến hạn một lần, như thể đang ở thời điểm --at"
    )
    remind.add_argument("--at", required=True, help="thời điểm ISO 8601, ví dụ 2026-11-27T08:00 (giờ của xã)")
    remind.add_argument("--dry-run", action="store_true", help="chỉ liệt kê, không ghi và không gửi")
    revoke = command("revoke", cli.cmd_revoke, "thu hồi mọi quyền của một thành viên")
    revoke.add_argument("person_id", type=int)
    for scoped in (members, revoke):
        scoped.add_argument("--province", action="store_true", help="cán bộ cấp tỉnh (không thuộc xã nào)")
    export = command("export", cli.cmd_export, "ghi bảng tính Excel số liệu và danh sách của một năm hoặc một kỳ")
    export.add_argument("--year", type=int, required=True)
    export.add_argument("--period", help="mã kỳ báo cáo, ví dụ 6thang hoặc nam (không ghi: cả năm)")
    export.add_argument("--out", required=True, help="tệp .xlsx sẽ ghi")
    draft = command("draft", cli.cmd_draft, "ghi dự thảo báo cáo 6 tháng hoặc năm (.docx)")
    draft.add_argument("--report", required=True, help="mã kỳ báo cáo, ví dụ 6thang hoặc nam")
    draft.add_argument("--year", type=int, required=True)
    draft.add_argument("--out", required=True, help="tệp .docx sẽ ghi")
    imported = command("import", cli.cmd_import, "nhập cuộc họp, văn bản, hồ sơ từ tệp .xlsx hoặc .csv")
    imported.add_argument("file")
    for scoped in (invite, members, revoke, export, draft, imported):
        scoped.add_argument("--commune", metavar="MÃ_XÃ", help="mã xã (bắt buộc khi cấu hình có nhiều xã)")
    db = sub.add_parser("db", help="quản lý cơ sở dữ liệu")
    db_sub = db.add_subparsers(dest="db_command", required=True)
    upgrade = db_sub.add_parser("upgrade", help="áp dụng các migration còn thiếu")
    upgrade.add_argument("--config", required=True)
    upgrade.set_defaults(func=cli.cmd_db)
    copy = db_sub.add_parser(
        "copy", help="chép số liệu một xã từ cơ sở dữ liệu khác (tệp SQLite) vào cơ sở dữ liệu đã cấu hình"
    )
    copy.add_argument("--config", required=True)
    copy.add_argument(
        "--from", dest="from_url", required=True, metavar="URL", help="vd. sqlite+aiosqlite:///data/binhlu.db"
    )
    copy.add_argument("--commune", metavar="MÃ_XÃ", help="mã xã cần chép (mặc định: xã duy nhất trong nguồn)")
    copy.set_defaults(func=cli.cmd_db_copy)
    rebuild = db_sub.add_parser(
        "rebuild-summary", help="tính lại bảng tổng hợp số liệu theo ngày (dùng cho /chitieu) từ các mục đã ghi"
    )
    rebuild.add_argument("--config", required=True)
    rebuild.set_defaults(func=cli.cmd_db_rebuild_summary)
    return root


def main(argv: list[str] | None = None) -> int:
    """Entry point: validate the config first; a bad config stops everything with the key named."""
    args = parser().parse_args(argv)
    if args.command == "demo" and args.config is None:  # the province officer tries it on the province's example
        args.config = str(PROVINCE_EXAMPLE if args.as_role == Role.PROVINCE.value else REPO_EXAMPLE)
    if args.command != "run":
        setup_logging(logging.WARNING)
    try:
        config = load_config(args.config)
    except ConfigError as err:
        print(err, file=sys.stderr)
        return 2
    return args.func(args, config)


if __name__ == "__main__":
    sys.exit(main())
