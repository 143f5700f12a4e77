"""The sectors (khối) a district federation reports on; names as its reports write them."""

from __future__ import annotations

# The standard sectors' codes, for code (the demo's generators) that names one.
PUBLIC_SERVICE, PUBLIC_SCHOOLS, NON_STATE_ENTERPRISES, STATE_ENTERPRISES, FDI_ENTERPRISES = (
    "hcsn",
    "truong-hoc",
    "dn-ngoai-nha-nuoc",
    "dn-nha-nuoc",
    "dn-fdi",
)

# (code, name, is_enterprise, sort order)
STANDARD_SECTORS = [
    (PUBLIC_SERVICE, "Hành chính sự nghiệp", False, 10),
    (PUBLIC_SCHOOLS, "Trường học công lập", False, 20),
    (NON_STATE_ENTERPRISES, "Doanh nghiệp ngoài nhà nước", True, 30),
    (STATE_ENTERPRISES, "Doanh nghiệp nhà nước", True, 40),
    (FDI_ENTERPRISES, "Doanh nghiệp có vốn đầu tư nước ngoài (FDI)", True, 50),
]


def ensure_standard_sectors(sector_model) -> None:
    """Create or refresh the standard sectors (used by the data migration and by tests)."""
    for code, name, is_enterprise, order in STANDARD_SECTORS:
        sector_model.objects.update_or_create(
            code=code, defaults={"name": name, "is_enterprise": is_enterprise, "sort_order": order}
        )
