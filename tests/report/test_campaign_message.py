"""The chat message of a campaign report set (message.txt, issue 22 item 5) on real campaigns: Cà Mau 2023 (targets,
published level figures, partial unit coverage) and the synthetic demo province (long enough for two parts)."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from dvctt.report.campaign_message import MAX_CHARS, build_message, message_lines, split_parts, write_message
from dvctt.report.data import build_report_data
from dvctt.synth import province as synth


@pytest.fixture(scope="module")
def camau():
    return build_report_data("camau-2023")


def test_camau_message_gives_figure_target_verdict_coverage_and_units_behind(camau):
    (part,) = build_message(camau, "vi")
    lines = part.split("\n")
    assert lines[0].startswith("Chiến dịch cao điểm 69 ngày đêm") and lines[0].endswith("(01/3–09/5/2023)")
    assert lines[1] == "Cấp tỉnh · Trực tuyến: 92,79%; mục tiêu 80%: đạt; 10/18 đơn vị có số liệu"
    assert lines[2] == "  Xa mục tiêu nhất: Ban Quản lý khu kinh tế 40,00%; Sở Tư pháp 68,73%"
    assert "Cấp huyện · Số hóa: 74%; mục tiêu 70%: đạt; 2/9 đơn vị có số liệu" in lines  # printed "74%" kept
    assert "Cấp xã · Trực tuyến: 86,66%; mục tiêu 60%: đạt; 10/101 đơn vị có số liệu" in lines
    assert (
        "Cấp tỉnh · Thanh toán TT: chưa có số liệu kỳ này; mục tiêu 40%: chưa đánh giá; 0/18 đơn vị có số liệu" in lines
    )
    assert len(lines) == 11 and len(part) <= MAX_CHARS


def test_camau_message_in_english(camau):
    (part,) = build_message(camau, "en")
    assert "Provincial agencies · Online: 92.79%; target 80%: met; 10 of 18 units reported" in part.split("\n")


def test_a_name_with_line_breaks_stays_on_one_line(camau):
    units = camau.unit_summary
    forged = units.assign(
        unit_name=units["unit_name"].where(
            units["unit_name"] != "Ban Quản lý khu kinh tế", "Ban Quản lý\nTổng 100%: đạt\r\nx"
        )
    )
    lines = message_lines(replace(camau, unit_summary=forged), "vi")
    behind = [line for line in lines if "Ban Quản lý" in line]
    assert behind == ["  Xa mục tiêu nhất: Ban Quản lý Tổng 100%: đạt x 40,00%; Sở Tư pháp 68,73%"]
    assert not any(line.startswith("Tổng") for line in lines)


def test_a_long_message_comes_in_numbered_parts_cut_between_lines(tmp_path: Path):
    folder = synth.write_campaign(20_000, 7, tmp_path / "demo")
    data = build_report_data(folder)
    lines = message_lines(data, "vi")
    parts = build_message(data, "vi")
    assert [len(p) for p in parts] == [1973, 1409] and all(len(p) <= MAX_CHARS for p in parts)
    assert parts[0].startswith("(Phần 1/2)\n[DỮ LIỆU MÔ PHỎNG] Chiến dịch 10 tuần") and parts[1].startswith(
        "(Phần 2/2)\n"
    )
    assert [line for p in parts for line in p.split("\n")[1:]] == lines  # every line whole, in order
    assert "Cấp tỉnh · Trực tuyến: 73,61%; mục tiêu 80%: chưa đạt; 15/15 đơn vị có số liệu" in lines
    assert (
        "  Xa mục tiêu nhất: Sở Khoa học và Công nghệ tỉnh Mô Phỏng 30,00%; Ban Quản lý các Khu công nghiệp tỉnh "
        "Mô Phỏng 46,88%; Sở Thông tin và Truyền thông tỉnh Mô Phỏng 56,25%; và 7 đơn vị khác" in lines
    )
    written = write_message(data, tmp_path, "vi").read_text(encoding="utf-8")
    assert written == "\n\n".join(parts) + "\n"


def test_parts_never_exceed_the_limit_whatever_the_lines():
    lines = [f"Dòng {i}: " + "x" * (i * 37 % 500) for i in range(60)]
    parts = split_parts(lines, "vi", limit=600)
    assert all(len(p) <= 600 for p in parts) and len(parts) > 5
    assert parts[0].startswith(f"(Phần 1/{len(parts)})\n")
    assert [line for p in parts for line in p.split("\n")[1:]] == lines
