"""The sectors (khối) a district federation reports on; names as its reports write them."""

from __future__ import annotations

# (code, name, is_enterprise, sort order)
STANDARD_SECTORS = [
    ("hcsn", "Hành chính sự nghiệp", False, 10),
    ("truong-hoc", "Trường học công lập", False, 20),
    ("dn-ngoai-nha-nuoc", "Doanh nghiệp ngoài nhà nước", True, 30),
    ("dn-nha-nuoc", "Doanh nghiệp nhà nước", True, 40),
    ("dn-fdi", "Doanh nghiệp có vốn đầu tư nước ngoài (FDI)", True, 50),
]


def ensure_standard_sectors(sector_model) -> None:
    """Create or refresh the standard sectors (used by the data migration and by tests)."""
    for code, name, is_enterprise, order in STANDARD_SECTORS:
        sector_model.objects.update_or_create(
            code=code, defaults={"name": name, "is_enterprise": is_enterprise, "sort_order": order}
        )
