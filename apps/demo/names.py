"""Name parts for the demo district: people, streets, schools, public-service units, enterprises.

Every person, school, unit and company made from these parts is fictional. Family names
carry rough national frequencies, so a list of 13,000 members looks like a real one:
a third of them Nguyễn, then Trần, Lê, Phạm …
"""

from __future__ import annotations

from dataclasses import dataclass

# (family name, weight in ‰), roughly the shares in national surveys.
FAMILY_NAMES: tuple[tuple[str, int], ...] = (
    ("Nguyễn", 380),
    ("Trần", 110),
    ("Lê", 95),
    ("Phạm", 71),
    ("Hoàng", 51),
    ("Phan", 45),
    ("Vũ", 39),
    ("Đặng", 21),
    ("Bùi", 20),
    ("Đỗ", 17),
    ("Huỳnh", 10),
    ("Võ", 10),
    ("Hồ", 13),
    ("Ngô", 13),
    ("Dương", 10),
    ("Lý", 5),
    ("Đinh", 9),
    ("Đào", 8),
    ("Trịnh", 7),
    ("Mai", 5),
    ("Lương", 5),
    ("Tạ", 4),
    ("Cao", 4),
    ("Chu", 3),
    ("Kiều", 3),
    ("Nghiêm", 2),
    ("Lưu", 3),
    ("Tô", 3),
    ("Khuất", 2),
    ("Triệu", 2),
    ("Hà", 4),
    ("Quách", 2),
    ("Đoàn", 4),
    ("Lại", 2),
    ("Phùng", 3),
    ("Từ", 1),
)

# Middle names (tên đệm). "Văn" and "Thị" still lead, less so among the young.
MALE_MIDDLE_NAMES: tuple[tuple[str, int], ...] = (
    ("Văn", 30),
    ("Đức", 10),
    ("Minh", 10),
    ("Quang", 7),
    ("Hữu", 6),
    ("Thành", 5),
    ("Công", 5),
    ("Xuân", 4),
    ("Đình", 5),
    ("Ngọc", 3),
    ("Tuấn", 3),
    ("Mạnh", 3),
    ("Trọng", 3),
    ("Việt", 3),
    ("Anh", 2),
    ("Hoàng", 2),
    ("Thanh", 3),
    ("Duy", 3),
    ("Tiến", 2),
    ("Bá", 2),
    ("Quốc", 3),
    ("Trung", 2),
    ("Hải", 2),
)

FEMALE_MIDDLE_NAMES: tuple[tuple[str, int], ...] = (
    ("Thị", 40),
    ("Ngọc", 7),
    ("Thu", 7),
    ("Thanh", 7),
    ("Minh", 4),
    ("Phương", 4),
    ("Hồng", 4),
    ("Kim", 3),
    ("Mai", 3),
    ("Thùy", 3),
    ("Bích", 2),
    ("Diệu", 2),
    ("Khánh", 2),
    ("Hải", 2),
    ("Lan", 2),
    ("Quỳnh", 2),
    ("Hoài", 2),
    ("Bảo", 2),
    ("Thảo", 1),
    ("Tuyết", 1),
)

# A second middle name some women carry after "Thị": Nguyễn Thị Thu Hà.
FEMALE_SECOND_MIDDLE_NAMES: tuple[str, ...] = ("Thu", "Thanh", "Minh", "Ngọc", "Hồng", "Kim", "Phương", "Lan")

MALE_GIVEN_NAMES: tuple[str, ...] = (
    "An", "Anh", "Bách", "Bảo", "Bình", "Chiến", "Chính", "Công", "Cường", "Dũng", "Duy", "Dương",
    "Đạt", "Định", "Đông", "Đức", "Giang", "Hải", "Hào", "Hậu", "Hiển", "Hiếu", "Hòa", "Hoàng",
    "Hùng", "Hưng", "Huy", "Khang", "Khánh", "Khoa", "Khôi", "Kiên", "Lâm", "Linh", "Lợi", "Long",
    "Luân", "Lực", "Mạnh", "Minh", "Nam", "Nghĩa", "Nguyên", "Nhân", "Ninh", "Phát", "Phong", "Phú",
    "Phúc", "Phương", "Quân", "Quang", "Quyết", "Sáng", "Sơn", "Tài", "Tân", "Thái", "Thắng", "Thành",
    "Thịnh", "Thông", "Tiến", "Toàn", "Trí", "Trọng", "Trung", "Trường", "Tú", "Tuấn", "Tùng", "Việt",
    "Vinh", "Vũ", "Vượng", "Hiệp", "Kiệt", "Quý", "Thuận", "Tín",
)  # fmt: skip

FEMALE_GIVEN_NAMES: tuple[str, ...] = (
    "An", "Anh", "Ánh", "Bích", "Chi", "Châu", "Cúc", "Dung", "Duyên", "Giang", "Hà", "Hạnh",
    "Hằng", "Hảo", "Hậu", "Hiền", "Hoa", "Hòa", "Huệ", "Huyền", "Hương", "Hường", "Lan", "Liên",
    "Liễu", "Linh", "Loan", "Ly", "Mai", "My", "Nga", "Ngân", "Ngọc", "Nguyệt", "Nhàn", "Nhung",
    "Oanh", "Phượng", "Phương", "Quyên", "Quỳnh", "Sen", "Tâm", "Thanh", "Thảo", "Thoa", "Thơm",
    "Thu", "Thúy", "Thủy", "Thư", "Trang", "Trâm", "Tuyết", "Uyên", "Vân", "Vy", "Xuân", "Yến",
    "Hạnh", "Lụa", "Đào", "Diệp", "Khuyên", "Vui",
)  # fmt: skip

# (ethnicity, weight in ‰): Hà Nội's workforce is overwhelmingly Kinh.
ETHNICITIES: tuple[tuple[str, int], ...] = (
    ("Kinh", 975),
    ("Tày", 8),
    ("Mường", 7),
    ("Thái", 4),
    ("Nùng", 3),
    ("Dao", 2),
    ("Sán Dìu", 1),
)

# Province codes that open a CCCD number (001 Hà Nội …), weighted for a Hà Nội district.
PROVINCE_CODES: tuple[tuple[str, int], ...] = (
    ("001", 560),  # Hà Nội
    ("038", 40),  # Thanh Hóa
    ("040", 35),  # Nghệ An
    ("036", 35),  # Nam Định
    ("034", 35),  # Thái Bình
    ("030", 25),  # Hải Dương
    ("033", 25),  # Hưng Yên
    ("035", 20),  # Hà Nam
    ("037", 18),  # Ninh Bình
    ("027", 22),  # Bắc Ninh
    ("024", 18),  # Bắc Giang
    ("025", 20),  # Phú Thọ
    ("026", 20),  # Vĩnh Phúc
    ("019", 15),  # Thái Nguyên
    ("031", 15),  # Hải Phòng
    ("022", 12),  # Quảng Ninh
    ("042", 20),  # Hà Tĩnh
    ("017", 10),  # Hòa Bình
    ("008", 8),  # Tuyên Quang
    ("079", 12),  # Hồ Chí Minh
    ("044", 5),  # Quảng Bình
    ("048", 5),  # Đà Nẵng
    ("015", 5),  # Yên Bái
)

# Mobile prefixes in use in 2021 (after the 11-to-10-digit change of 2018).
PHONE_PREFIXES: tuple[str, ...] = (
    "090", "091", "093", "094", "096", "097", "098", "086", "088", "089",
    "032", "033", "034", "035", "036", "037", "038", "039", "070", "076", "077", "078", "079", "081",
    "083", "084", "085",
)  # fmt: skip

# The wards (phường) of the district and streets in each.
WARDS: dict[str, tuple[str, ...]] = {
    "Bưởi": ("Thụy Khuê", "Lạc Long Quân", "Võng Thị", "Văn Cao", "Dốc Tam Đa"),
    "Thụy Khuê": ("Thụy Khuê", "Mai Xuân Thưởng", "Hoàng Hoa Thám", "Dốc La Pho"),
    "Yên Phụ": ("Yên Phụ", "Thanh Niên", "Nghi Tàm", "Nguyễn Đình Thi"),
    "Quảng An": ("Xuân Diệu", "Quảng An", "Tô Ngọc Vân", "Đặng Thai Mai", "Quảng Bá"),
    "Tứ Liên": ("Âu Cơ", "Tứ Liên", "Nghi Tàm", "Tây Hồ"),
    "Nhật Tân": ("Âu Cơ", "Nhật Chiêu", "Lạc Long Quân", "Nhật Tân"),
    "Xuân La": ("Xuân La", "Lạc Long Quân", "Võ Chí Công", "Xuân Tảo"),
    "Phú Thượng": ("An Dương Vương", "Phú Thượng", "Võ Chí Công", "Phú Gia"),
}

DISTRICT = "quận Tây Hồ"

# Schools are named after flowers and birds (kindergartens) or historical figures and
# places; no name here is meant to be a real school of the district.
KINDERGARTEN_NAMES: tuple[str, ...] = (
    "Hoa Sen", "Hoa Mai", "Họa Mi", "Sơn Ca", "Tuổi Thơ", "Ánh Dương", "Hoa Hồng", "Bình Minh",
    "Thỏ Ngọc", "Hướng Dương", "Hoa Ban", "Ban Mai", "Hoa Sữa", "Sao Mai", "Vành Khuyên", "Hoa Lan",
    "Hoa Cúc", "Sen Hồng", "Trúc Xanh", "Cầu Vồng", "Chim Non", "Búp Sen", "Mầm Xanh", "Tuổi Hồng",
    "Hoa Phượng", "Nắng Mai", "Ngôi Sao", "Hoa Trà", "Mặt Trời", "Hoa Đào", "Hoa Thủy Tiên", "Bông Sen",
)  # fmt: skip

PRIMARY_SCHOOL_NAMES: tuple[str, ...] = (
    "Kim Đồng", "Lê Quý Đôn", "Trần Quốc Toản", "Nguyễn Trãi", "Lý Thường Kiệt", "Võ Thị Sáu",
    "Lê Văn Tám", "Nguyễn Văn Trỗi", "Đoàn Thị Điểm", "Tô Hiến Thành", "Lương Thế Vinh", "Mạc Đĩnh Chi",
    "Nguyễn Bỉnh Khiêm", "Phan Chu Trinh", "Hoàng Diệu", "Lê Ngọc Hân", "Nguyễn Khuyến", "Ngô Sĩ Liên",
    "Trưng Vương", "Văn Lang", "Âu Lạc", "Đông Đô", "Hồng Hà", "Thăng Long", "Ngọc Hà", "Sông Hồng",
    "Hồ Tây", "Ba Đình", "Nguyễn Đình Chiểu", "Lê Lai", "Bùi Thị Xuân", "Cao Bá Quát",
)  # fmt: skip

SECONDARY_SCHOOL_NAMES: tuple[str, ...] = (
    "Chu Văn An", "Nguyễn Du", "Trần Phú", "Phan Bội Châu", "Ngô Quyền", "Lê Lợi", "Quang Trung",
    "Hai Bà Trưng", "Nguyễn Huệ", "Trần Hưng Đạo", "Đinh Tiên Hoàng", "Lý Công Uẩn", "Hoàng Hoa Thám",
    "Nguyễn Tất Thành", "Nguyễn Siêu", "Phạm Ngũ Lão", "Trần Nhân Tông", "Yên Thế", "Tây Sơn",
    "Đống Đa", "Lê Hồng Phong", "Nguyễn Trường Tộ",
)  # fmt: skip

# Public-service units of a district (hành chính sự nghiệp), besides one per ward below.
WARD_UNIT_PATTERNS: tuple[str, ...] = ("UBND phường {ward}", "Trạm Y tế phường {ward}")
DISTRICT_UNITS: tuple[str, ...] = (
    "Trung tâm Văn hóa – Thông tin và Thể thao quận",
    "Trung tâm Y tế quận",
    "Ban Quản lý dự án đầu tư xây dựng quận",
    "Trung tâm Giáo dục nghề nghiệp – Giáo dục thường xuyên quận",
    "Đội Quản lý trật tự xây dựng đô thị quận",
    "Thư viện quận",
    "Trung tâm Phát triển quỹ đất quận",
    "Ban Quản lý chợ quận",
    "Ban Quản lý dịch vụ đô thị quận",
)

# Enterprises: a legal form, a business line and a trade name.
LEGAL_FORMS: tuple[tuple[str, int], ...] = (
    ("Công ty TNHH", 55),
    ("Công ty Cổ phần", 35),
    ("Công ty TNHH MTV", 10),
)

TRADE_NAME_FIRST: tuple[str, ...] = (
    "An", "Bảo", "Đại", "Hòa", "Hưng", "Kim", "Minh", "Nam", "Phú", "Quang", "Tân", "Thái",
    "Thành", "Thiên", "Trường", "Việt", "Vĩnh", "Hồng", "Gia", "Đông", "Hải", "Ngọc", "Sao", "Hoàng",
)  # fmt: skip
TRADE_NAME_SECOND: tuple[str, ...] = (
    "Phát", "Thịnh", "Long", "Khang", "Lộc", "Hưng", "An", "Thành", "Tiến", "Phong", "Anh",
    "Nguyên", "Sơn", "Hà", "Vượng", "Đạt", "Minh", "Quang", "Việt", "Hồ",
)  # fmt: skip

# Union groups of a school, by how many groups it runs: subject or grade teams and the office.
KINDERGARTEN_GROUPS: dict[int, tuple[str, ...]] = {
    2: ("Tổ Giáo viên", "Tổ Văn phòng – Nuôi dưỡng"),
    3: ("Tổ Nhà trẻ", "Tổ Mẫu giáo", "Tổ Văn phòng – Nuôi dưỡng"),
    4: ("Tổ Nhà trẻ", "Tổ Mẫu giáo bé – nhỡ", "Tổ Mẫu giáo lớn", "Tổ Văn phòng – Nuôi dưỡng"),
    5: ("Tổ Nhà trẻ", "Tổ Mẫu giáo bé", "Tổ Mẫu giáo nhỡ", "Tổ Mẫu giáo lớn", "Tổ Văn phòng – Nuôi dưỡng"),
    6: ("Tổ Nhà trẻ", "Tổ Mẫu giáo bé", "Tổ Mẫu giáo nhỡ", "Tổ Mẫu giáo lớn", "Tổ Nuôi dưỡng", "Tổ Văn phòng"),
}
PRIMARY_GROUPS: dict[int, tuple[str, ...]] = {
    2: ("Tổ công đoàn Khối 1–2–3", "Tổ công đoàn Khối 4–5 và Văn phòng"),
    3: ("Tổ công đoàn Khối 1–2", "Tổ công đoàn Khối 3–4–5", "Tổ Văn phòng"),
    4: ("Tổ công đoàn Khối 1–2", "Tổ công đoàn Khối 3", "Tổ công đoàn Khối 4–5", "Tổ Văn phòng"),
    5: ("Tổ công đoàn Khối 1", "Tổ công đoàn Khối 2–3", "Tổ công đoàn Khối 4–5", "Tổ Chuyên biệt", "Tổ Văn phòng"),
    6: (
        "Tổ công đoàn Khối 1",
        "Tổ công đoàn Khối 2",
        "Tổ công đoàn Khối 3",
        "Tổ công đoàn Khối 4–5",
        "Tổ Chuyên biệt",
        "Tổ Văn phòng",
    ),
    7: (
        "Tổ công đoàn Khối 1",
        "Tổ công đoàn Khối 2",
        "Tổ công đoàn Khối 3",
        "Tổ công đoàn Khối 4",
        "Tổ công đoàn Khối 5",
        "Tổ Chuyên biệt",
        "Tổ Văn phòng",
    ),
}
SECONDARY_GROUPS: dict[int, tuple[str, ...]] = {
    2: ("Tổ Tự nhiên", "Tổ Xã hội – Văn phòng"),
    3: ("Tổ Khoa học tự nhiên", "Tổ Khoa học xã hội", "Tổ Văn phòng"),
    4: ("Tổ Toán – Tin", "Tổ Khoa học tự nhiên", "Tổ Ngữ văn – Khoa học xã hội", "Tổ Văn phòng"),
    5: ("Tổ Toán – Tin", "Tổ Khoa học tự nhiên", "Tổ Ngữ văn", "Tổ Ngoại ngữ – Khoa học xã hội", "Tổ Văn phòng"),
    6: (
        "Tổ Toán – Tin",
        "Tổ Khoa học tự nhiên",
        "Tổ Ngữ văn",
        "Tổ Khoa học xã hội",
        "Tổ Ngoại ngữ – Nghệ thuật – Thể chất",
        "Tổ Văn phòng",
    ),
    7: (
        "Tổ Toán – Tin",
        "Tổ Khoa học tự nhiên",
        "Tổ Ngữ văn",
        "Tổ Khoa học xã hội",
        "Tổ Ngoại ngữ",
        "Tổ Nghệ thuật – Thể chất",
        "Tổ Văn phòng",
    ),
}

# Union groups of public-service units, in the order a unit sets them up.
WARD_OFFICE_GROUPS: tuple[str, ...] = (
    "Tổ Văn phòng – Thống kê",
    "Tổ Địa chính – Xây dựng – Đô thị",
    "Tổ Văn hóa – Xã hội",
    "Tổ Tư pháp – Hộ tịch",
    "Tổ Tài chính – Kế toán",
)
HEALTH_STATION_GROUPS: tuple[str, ...] = ("Tổ Khám chữa bệnh", "Tổ Y tế dự phòng – Dân số", "Tổ Hành chính")
DISTRICT_UNIT_GROUPS: tuple[str, ...] = (
    "Tổ Hành chính – Tổng hợp",
    "Tổ Nghiệp vụ 1",
    "Tổ Nghiệp vụ 2",
    "Tổ Kế hoạch – Tài chính",
    "Tổ Nghiệp vụ 3",
)

# Jobs. A name repeated is a job more people hold.
OFFICE_JOBS: tuple[str, ...] = (
    "Nhân viên hành chính", "Nhân viên hành chính", "Kế toán", "Kế toán", "Nhân viên nhân sự",
    "Văn thư", "Thủ quỹ", "Lái xe", "Bảo vệ",
)  # fmt: skip
KINDERGARTEN_JOBS: tuple[str, ...] = ("Giáo viên",) * 9 + ("Nhân viên nuôi dưỡng",)
KINDERGARTEN_OFFICE_JOBS: tuple[str, ...] = (
    "Nhân viên nuôi dưỡng", "Nhân viên nuôi dưỡng", "Nhân viên nuôi dưỡng", "Kế toán", "Nhân viên y tế",
    "Văn thư", "Bảo vệ",
)  # fmt: skip
SCHOOL_JOBS: tuple[str, ...] = ("Giáo viên",)
SCHOOL_OFFICE_JOBS: tuple[str, ...] = (
    "Kế toán", "Văn thư", "Nhân viên thư viện", "Nhân viên thiết bị", "Nhân viên y tế học đường",
    "Nhân viên công nghệ thông tin", "Bảo vệ",
)  # fmt: skip
WARD_OFFICE_JOBS: tuple[str, ...] = (
    "Công chức Văn phòng – Thống kê", "Công chức Địa chính – Xây dựng", "Công chức Tư pháp – Hộ tịch",
    "Công chức Văn hóa – Xã hội", "Công chức Tài chính – Kế toán", "Chuyên viên", "Chuyên viên",
    "Cán bộ không chuyên trách", "Nhân viên",
)  # fmt: skip
HEALTH_STATION_JOBS: tuple[str, ...] = (
    "Bác sĩ", "Y sĩ", "Y sĩ", "Điều dưỡng", "Điều dưỡng", "Hộ sinh", "Dược sĩ", "Kế toán",
)  # fmt: skip
DISTRICT_UNIT_JOBS: tuple[str, ...] = (
    "Chuyên viên", "Chuyên viên", "Chuyên viên", "Viên chức", "Viên chức", "Kế toán", "Văn thư", "Nhân viên",
    "Lái xe",
)  # fmt: skip


@dataclass(frozen=True)
class BusinessLine:
    """A line of business: how a company of it is named, staffed and organised."""

    label: str  # goes into the company name: "Công ty TNHH May mặc Hưng Thịnh"
    weight: int  # how common the line is among the district's enterprises
    size: float  # relative headcount
    female_share: float
    groups: tuple[str, ...]  # union groups, in the order a growing company sets them up
    numbered_group: str  # further groups: "Tổ May {n}"
    numbered_from: int
    jobs: tuple[str, ...]
    department_unions: tuple[str, ...] = ()


BUSINESS_LINES: tuple[BusinessLine, ...] = (
    BusinessLine(
        "May mặc", 5, 2.4, 0.82,
        ("Tổ May 1", "Tổ Văn phòng", "Tổ Cắt", "Tổ Hoàn thiện", "Tổ Kiểm hàng (KCS)"), "Tổ May {n}", 2,
        ("Công nhân may",) * 6 + ("Công nhân cắt", "Công nhân hoàn thiện", "Nhân viên KCS", "Tổ trưởng chuyền"),
        ("Công đoàn bộ phận Xí nghiệp May 1", "Công đoàn bộ phận Xí nghiệp May 2", "Công đoàn bộ phận Xí nghiệp May 3"),
    ),
    BusinessLine(
        "Thương mại và Dịch vụ", 16, 0.8, 0.55,
        ("Tổ Kinh doanh", "Tổ Văn phòng", "Tổ Kho vận", "Tổ Chăm sóc khách hàng"), "Tổ Kinh doanh {n}", 2,
        ("Nhân viên kinh doanh", "Nhân viên kinh doanh", "Nhân viên bán hàng", "Nhân viên bán hàng", "Thủ kho",
         "Nhân viên giao hàng", "Nhân viên chăm sóc khách hàng"),
    ),
    BusinessLine(
        "Xây dựng", 9, 1.6, 0.18,
        ("Tổ Thi công 1", "Tổ Văn phòng", "Tổ Kỹ thuật", "Tổ Vật tư – Thiết bị"), "Tổ Thi công {n}", 2,
        ("Công nhân xây dựng",) * 4 + ("Kỹ sư xây dựng", "Thợ điện", "Thợ nề", "Giám sát thi công"),
        ("Công đoàn bộ phận Xí nghiệp Xây lắp 1", "Công đoàn bộ phận Xí nghiệp Xây lắp 2"),
    ),
    BusinessLine(
        "Du lịch và Khách sạn", 10, 1.2, 0.56,
        ("Tổ Lễ tân", "Tổ Buồng phòng", "Tổ Nhà hàng", "Tổ Bếp", "Tổ Văn phòng", "Tổ Kỹ thuật – Bảo vệ"),
        "Tổ Dịch vụ {n}", 1,
        ("Lễ tân", "Nhân viên buồng phòng", "Nhân viên buồng phòng", "Nhân viên phục vụ", "Đầu bếp",
         "Hướng dẫn viên du lịch", "Nhân viên điều hành tour"),
    ),
    BusinessLine(
        "Dịch vụ Ăn uống", 9, 0.7, 0.6,
        ("Tổ Phục vụ", "Tổ Bếp", "Tổ Thu ngân – Văn phòng"), "Tổ Phục vụ {n}", 2,
        ("Đầu bếp", "Phụ bếp", "Nhân viên phục vụ", "Nhân viên phục vụ", "Nhân viên phục vụ", "Thu ngân",
         "Nhân viên pha chế"),
    ),
    BusinessLine(
        "Công nghệ Thông tin", 7, 1.0, 0.3,
        ("Tổ Phát triển phần mềm", "Tổ Văn phòng", "Tổ Kiểm thử", "Tổ Triển khai – Hỗ trợ"), "Tổ Dự án {n}", 1,
        ("Lập trình viên", "Lập trình viên", "Kỹ sư phần mềm", "Chuyên viên kiểm thử",
         "Chuyên viên hỗ trợ kỹ thuật", "Chuyên viên phân tích nghiệp vụ"),
    ),
    BusinessLine(
        "Đầu tư và Phát triển Bất động sản", 5, 0.8, 0.45,
        ("Tổ Kinh doanh", "Tổ Văn phòng", "Tổ Pháp chế – Dự án"), "Tổ Kinh doanh {n}", 2,
        ("Chuyên viên kinh doanh", "Chuyên viên kinh doanh", "Chuyên viên dự án", "Chuyên viên pháp chế"),
    ),
    BusinessLine(
        "In và Bao bì", 4, 1.2, 0.5,
        ("Tổ In 1", "Tổ Văn phòng", "Tổ Chế bản", "Tổ Thành phẩm"), "Tổ In {n}", 2,
        ("Công nhân in", "Công nhân in", "Công nhân thành phẩm", "Kỹ thuật viên chế bản", "Thủ kho"),
    ),
    BusinessLine(
        "Vận tải", 5, 0.9, 0.15,
        ("Tổ Lái xe 1", "Tổ Điều hành – Văn phòng", "Tổ Bảo dưỡng"), "Tổ Lái xe {n}", 2,
        ("Lái xe", "Lái xe", "Lái xe", "Phụ xe", "Nhân viên điều độ", "Thợ sửa chữa ô tô"),
    ),
    BusinessLine(
        "Thực phẩm", 5, 1.3, 0.65,
        ("Tổ Sản xuất 1", "Tổ Văn phòng", "Tổ Đóng gói", "Tổ Kho"), "Tổ Sản xuất {n}", 2,
        ("Công nhân sản xuất", "Công nhân sản xuất", "Công nhân đóng gói", "Nhân viên kiểm nghiệm", "Thủ kho"),
    ),
    BusinessLine(
        "Kiến trúc và Nội thất", 5, 0.8, 0.35,
        ("Tổ Thiết kế", "Tổ Văn phòng", "Tổ Thi công nội thất"), "Tổ Xưởng {n}", 1,
        ("Kiến trúc sư", "Chuyên viên thiết kế nội thất", "Thợ mộc", "Thợ mộc", "Công nhân thi công"),
    ),
    BusinessLine(
        "Giáo dục và Đào tạo", 5, 0.8, 0.72,
        ("Tổ Giáo viên", "Tổ Văn phòng", "Tổ Tư vấn tuyển sinh"), "Tổ Chuyên môn {n}", 1,
        ("Giáo viên", "Giáo viên ngoại ngữ", "Giáo viên ngoại ngữ", "Nhân viên tư vấn", "Trợ giảng"),
    ),
    BusinessLine(
        "Cơ khí và Điện", 4, 1.0, 0.12,
        ("Tổ Cơ khí 1", "Tổ Văn phòng", "Tổ Lắp đặt điện"), "Tổ Cơ khí {n}", 2,
        ("Thợ cơ khí", "Thợ hàn", "Thợ điện", "Thợ điện", "Kỹ sư cơ khí", "Công nhân lắp đặt"),
    ),
    BusinessLine(
        "Dịch vụ Bảo vệ", 3, 1.4, 0.08,
        ("Tổ Mục tiêu 1", "Tổ Văn phòng"), "Tổ Mục tiêu {n}", 2,
        ("Nhân viên bảo vệ",) * 6 + ("Đội trưởng bảo vệ",),
    ),
    BusinessLine(
        "Vệ sinh Công nghiệp và Môi trường", 3, 1.1, 0.62,
        ("Tổ Vệ sinh 1", "Tổ Văn phòng"), "Tổ Vệ sinh {n}", 2,
        ("Nhân viên vệ sinh",) * 5 + ("Tổ trưởng vệ sinh", "Lái xe"),
    ),
    BusinessLine(
        "Dược phẩm", 4, 0.8, 0.7,
        ("Tổ Nhà thuốc 1", "Tổ Văn phòng", "Tổ Kinh doanh", "Tổ Kho"), "Tổ Nhà thuốc {n}", 2,
        ("Dược sĩ", "Dược sĩ", "Trình dược viên", "Nhân viên bán thuốc", "Thủ kho"),
    ),
    BusinessLine(
        "Tư vấn Kế toán và Thuế", 4, 0.6, 0.7,
        ("Tổ Kế toán", "Tổ Tư vấn thuế", "Tổ Văn phòng"), "Tổ Dịch vụ khách hàng {n}", 1,
        ("Kế toán viên", "Kế toán viên", "Chuyên viên tư vấn thuế", "Kiểm toán viên"),
    ),
)  # fmt: skip
