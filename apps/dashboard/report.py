"""The periodic report's paragraph on organisation and membership, in the federation's own wording."""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils import translation

from apps.core.formatting import format_number, format_percent
from apps.dashboard.selectors import DistrictSummary


def _lower_first(text: str) -> str:
    # Sector names start with a capital in lists; inside a sentence ("khối trường học …") they do not.
    return text[:1].lower() + text[1:]


def district_report_text(summary: DistrictSummary) -> str:
    """The summary as the federation's report writes it, always in Vietnamese (13.734, 95,9 %)."""
    with translation.override("vi"):
        federation = summary.federation
        # A city federation holding district ones manages their unions only through them.
        directly = federation is None or not federation.children.exists()
        context = {
            "as_of": summary.as_of.strftime("%d/%m/%Y"),
            "federation": federation,
            "manages": "trực tiếp quản lý" if directly else "quản lý",
            "has_unions": summary.unions > 0,
            "unions": format_number(summary.unions),
            "sectors": [
                {"name": _lower_first(figures.sector.name), "unions": format_number(figures.unions)}
                for figures in summary.unions_by_sector
            ],
            "members": format_number(summary.members),
            "workers": format_number(summary.workers),
            "membership_ratio": format_percent(summary.membership_ratio),
            "female_members": format_number(summary.female_members),
            "female_workers": format_number(summary.female_workers),
            "female_membership_ratio": format_percent(summary.female_membership_ratio),
            "unions_with_groups": format_number(summary.unions_with_groups),
            "unions_with_department_unions": format_number(summary.unions_with_department_unions),
            "groups": format_number(summary.groups),
        }
        return render_to_string("dashboard/district_report.txt", context)
