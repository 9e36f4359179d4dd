"""The subject mended from its echo in the body (extract/_echo.py)."""

from __future__ import annotations

import extract
from core.models import PageText


def _report(subject: str, body: str) -> extract.ExtractedFields:
    text = f"""ỦY BAN NHÂN DÂN CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
HUYỆN CÁT TIÊN Độc lập - Tự do - Hạnh phúc
Số: 45/BC-UBND Cát Tiên, ngày 12 tháng 5 năm 2021
BÁO CÁO
{subject}
{body}
Nơi nhận:
- Như trên;
- Lưu: VT.
TM. ỦY BAN NHÂN DÂN
CHỦ TỊCH
Nguyễn Văn Hùng"""
    return extract.extract_fields([PageText(1, text)])


BODY = (
    "Thực hiện Kế hoạch của tỉnh, Ủy ban nhân dân huyện báo cáo kết quả tiếp công dân, "
    "giải quyết khiếu nại, tố cáo kéo dài tại huyện Cát Tiên như sau:\n"
    "1. Tình hình chung\n"
    "Số vụ khiếu nại kéo dài giảm so với cùng kỳ."
)


def test_one_echo_does_not_outvote_the_subjects_own_reading() -> None:
    got = _report("Về việc cấp giấy chứng nhận quyền sử dụng đất cho hộ gia đình", BODY_NOISY)
    assert got.fields["subject"].startswith("Về việc cấp giấy")


BODY_NOISY = "Ủy ban nhân dân huyện đề nghị cập giấy chứng nhận cho các hộ dân như sau:"


def test_a_word_misread_in_marks_takes_the_echos_reading() -> None:
    got = _report(
        "Kết quả tiếp công dân, giải quyết khiếu nại, tố cáo kéo đài tại huyện Cát Tiên", BODY
    )
    assert got.fields["subject"].endswith("tố cáo kéo dài tại huyện Cát Tiên")
    assert "body_echo" in got.provenance["subject"]["rule"]


def test_a_doubled_word_and_a_stray_letter_the_echo_skips_go() -> None:
    body = "Nghe báo cáo về thu, nộp, quản lý và sử dụng đảng phí năm 2024 của các chi bộ."
    got = _report("Thu, nộp, quản lý và và sử dụng e đảng phí năm 2024", body)
    assert got.fields["subject"] == "Thu, nộp, quản lý và sử dụng đảng phí năm 2024"


def test_a_subject_the_body_does_not_repeat_stays_as_read() -> None:
    body = "Trong năm qua, tình hình an ninh trật tự trên địa bàn cơ bản ổn định."
    got = _report(
        "Kết quả tiếp công dân, giải quyết khiếu nại, tố cáo kéo đài tại huyện Cát Tiên", body
    )
    assert got.fields["subject"].endswith("kéo đài tại huyện Cát Tiên")
    assert "echo" not in got.provenance["subject"]["rule"]


def test_other_letters_are_another_word_not_a_misreading() -> None:
    body = "Ủy ban nhân dân huyện báo cáo việc phòng, chống bệnh dịch tả heo châu Phi như sau:"
    got = _report("Phòng, chống bệnh dịch tả lợn châu Phi", body)
    assert got.fields["subject"] == "Phòng, chống bệnh dịch tả lợn châu Phi"


def test_a_subject_the_body_repeats_is_marked_echoed() -> None:
    got = _report(
        "Kết quả tiếp công dân, giải quyết khiếu nại, tố cáo kéo dài tại huyện Cát Tiên", BODY
    )
    assert got.provenance["subject"]["rule"].endswith("+echoed")
    assert "body_echo" not in got.provenance["subject"]["rule"]


def test_a_real_two_letter_word_the_body_skips_stays() -> None:
    # The body says "tổ chức đảng cơ sở"; the subject's "đảng bộ cơ sở" is another phrase.
    body = "Đoàn kiểm tra làm việc với các tổ chức đảng cơ sở về thu, nộp đảng phí năm 2014."
    got = _report("Về kiểm tra tài chính đảng tại các chi, đảng bộ cơ sở năm 2014", body)
    assert got.fields["subject"] == "Về kiểm tra tài chính đảng tại các chi, đảng bộ cơ sở năm 2014"
