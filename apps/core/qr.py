"""QR codes as inline SVG markup (segno, pure Python): printed on paper, read by a phone.

Why inline SVG: the page needs no image URL per code and nothing the Content-Security-Policy
forbids (segno writes presentation attributes and a class, never a style attribute or a
script). The mask is fixed rather than chosen: segno otherwise scores all eight masks,
four times the work (a sheet of 100 cards took a second), and every mask reads alike.
"""

from __future__ import annotations

import segno
from django.utils.safestring import SafeString, mark_safe


def qr_svg(data: str, *, css_class: str = "qr") -> SafeString:
    """``data`` as a QR code (error correction M, the standard 4-module quiet zone), an ``<svg>`` sized by CSS."""
    code = segno.make(data, error="m", mask=0, micro=False)
    # segno's markup holds only the class given here and path data computed from ``data``.
    return mark_safe(code.svg_inline(svgclass=css_class, lineclass=None, omitsize=True, dark="#000"))
