"""The periodic report's paragraph on organisation and membership, in the federation's own wording."""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils import translation

from apps.core.formatting import format_number
from apps.dashboard.figure_definitions import SUMMARY
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
            # Foreign workers may join since 1/7/2025 (Trade Union Law 2024): said only where there are some.
            "has_foreign_members": summary.foreign_members > 0,
            "sectors": [
                {"name": _lower_first(figures.sector.name), "unions": format_number(figures.unions)}
                for figures in summary.unions_by_sector
            ],
            # Every summary figure (figure_definitions.SUMMARY) by its name, as text.
            **{figure.name: figure.text(getattr(summary, figure.name)) for figure in SUMMARY},
        }
        return render_to_string("dashboard/district_report.txt", context)
