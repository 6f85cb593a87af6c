"""What `make demo` prints around the chat."""

from __future__ import annotations

from bot.core.texts.catalogue import add_strings

add_strings(
    {
        "demo.welcome": "Dùng thử trợ lý của {commune} – bạn là: {name}.",
        "demo.data": (
            "Dữ liệu mẫu và các tệp bot tạo nằm trong {path} (xóa khi thoát). Gõ /help để xem lệnh, /thoat để thoát."
        ),
        "demo.file": "📂 Tệp ở {path}",
        "demo.choices": "Khi bot hỏi kèm các lựa chọn đánh số, gõ số để chọn.",
        "demo.web": (
            "Trang số liệu chạy ở {url}: gõ /web để nhận đường dẫn đăng nhập, mở bằng trình duyệt trên máy này."
        ),
        "demo.preview": "— Tin nhắc bot sẽ gửi bạn lúc {time} ngày {day} —",
        "demo.preview_none": "(tuần tới bot không có tin nhắc nào cho bạn)",
        "demo.spoken_day": "— Ngày gõ theo cách nói (hôm qua, thứ hai tuần trước, sáng nay…) được hiểu đúng —",
        "demo.owed": "— Kỳ báo cáo vừa đến hạn (Kế hoạch bắt đầu từ 01/01 năm trước, số liệu đã nhập từ đó) —",
        "demo.try_late": (
            "Thử ghi một báo cáo nộp muộn: /nopbaocao {code} {report} {year}; trả lời nội dung báo cáo: /noidung; "
            "dự thảo báo cáo: /baocaomau {report} {year}"
        ),
    }
)
