"""A meeting's minutes (biên bản): what they say, read once for the page to print and the Word file.

The layout is the one of Vietnamese administrative documents: the issuing body and its
number line on the left, the national motto on the right, the place and date line, the
title, then the record and the signatures of the secretary and the presiding official.
Whoever prints them sees only the attendees they may see (``Attendance.objects.visible_to``).
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from datetime import date, time

from django.utils.text import slugify
from django.utils.translation import gettext as _
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from apps.meetings import selectors
from apps.meetings.models import Attendance, FollowUpTask, Meeting


def series_label(meeting: Meeting) -> str:
    """The series label (``selectors.series_label``) as the minutes' title line says it, in brackets: lower case first.

    ``meeting`` comes from ``Meeting.objects.with_series_number()``; a cancelled meeting has no number ("").
    """
    if not getattr(meeting, "series_number", None):
        return ""
    label = selectors.series_label(meeting)
    return label[:1].lower() + label[1:]


# "Liên đoàn Lao động quận Tây Hồ" → "Tây Hồ": the place name a document of that body is dated at.
PLACE_IN_NAME = re.compile(
    r"\b(?:quận|huyện|thị xã|thành phố|tỉnh|phường|xã|thị trấn|đặc khu)\s+(?P<place>[^,()]+?)\s*$", re.IGNORECASE
)
PLACE_IN_ADDRESS = re.compile(r"\b(?:quận|huyện|thị xã|thành phố|đặc khu)\s+(?P<place>[^,]+)", re.IGNORECASE)
BLANK = "……"


def place_of(meeting: Meeting) -> str:
    """The place name of the minutes' date line: from the federation's name, else its address, else a blank."""
    federation = meeting.federation
    for pattern, text in ((PLACE_IN_NAME, federation.name), (PLACE_IN_ADDRESS, federation.address)):
        found = pattern.search(text or "")
        if found:
            return found["place"].strip()
    return BLANK


def date_line(place: str, day: date) -> str:
    """ "Tây Hồ, ngày 09 tháng 7 năm 2021": a day below 10 and months 1 and 2 are written with a leading zero."""
    month = f"{day.month:02d}" if day.month < 3 else str(day.month)
    return _("%(place)s, day %(day)s month %(month)s year %(year)s") % {
        "place": place,
        "day": f"{day.day:02d}",
        "month": month,
        "year": day.year,
    }


def clock(moment: time | None) -> str:
    """ "8 giờ 00" (or a blank to fill)."""
    if moment is None:
        return BLANK
    return _("%(hour)s h %(minute)s") % {"hour": moment.hour, "minute": f"{moment.minute:02d}"}


def paragraphs(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


@dataclass
class Person:
    name: str
    position: str
    headcount: int = 1

    def __str__(self) -> str:
        text = f"{self.name}, {self.position}" if self.position else self.name
        return f"{text} ({self.headcount})" if self.headcount > 1 else text


@dataclass
class Task:
    description: str
    owner: str
    due_on: date


@dataclass
class Minutes:
    """Everything the minutes say, as text: the page and the Word file lay out the same content."""

    meeting: Meeting
    issuer_above: str
    issuer: str
    number_line: str
    place_and_date: str
    kind: str
    title: str
    series: str
    starts_at: str
    ends_at: str
    location: str
    presiding: list[Person] = field(default_factory=list)
    reporting: list[Person] = field(default_factory=list)
    secretaries: list[Person] = field(default_factory=list)
    participants: list[Person] = field(default_factory=list)
    invited_count: int = 0
    # None while nobody's presence is recorded (then the count is a blank to fill).
    present_count: int | None = None
    agenda: list[str] = field(default_factory=list)
    discussion: list[str] = field(default_factory=list)
    conclusions: list[str] = field(default_factory=list)
    tasks: list[Task] = field(default_factory=list)

    @property
    def secretary_name(self) -> str:
        return self.secretaries[0].name if self.secretaries else ""

    @property
    def presiding_name(self) -> str:
        return self.presiding[0].name if self.presiding else ""

    @property
    def filename(self) -> str:
        """ "Bien-ban-2021-07-09-nang-cao-chat-luong-hoat-dong-to-cong-doan.docx": plain letters, safe in any header."""
        slug = slugify(self.meeting.title.replace("đ", "d").replace("Đ", "D"))
        if len(slug) > 60:  # cut at a word, not inside one
            slug = slug[:61].rsplit("-", 1)[0]
        slug = slug.strip("-") or "cuoc-hop"
        return f"Bien-ban-{self.meeting.held_on:%Y-%m-%d}-{slug}.docx"


def minutes_for(meeting: Meeting, user) -> Minutes:
    """The minutes of ``meeting`` as ``user`` may read them (from ``Meeting.objects.with_series_number()``)."""
    federation = meeting.federation
    if meeting.organiser_union_id:
        issuer_above, issuer = federation.name, meeting.organiser_union.name
    else:
        issuer_above, issuer = (federation.parent.name if federation.parent_id else ""), federation.name
    attendances = list(
        Attendance.objects.visible_to(user)
        .filter(meeting=meeting)
        .order_by("role", "pk")
        .only("name", "position", "role", "headcount", "invited", "presence")
    )
    minutes = Minutes(
        meeting=meeting,
        issuer_above=issuer_above.upper(),
        issuer=issuer.upper(),
        number_line=_("No.: %(blank)s/BB-%(blank)s") % {"blank": BLANK},
        place_and_date=date_line(place_of(meeting), meeting.held_on),
        kind=meeting.get_kind_display().upper(),
        title=meeting.title,
        series=series_label(meeting),
        starts_at=clock(meeting.starts_at),
        ends_at=clock(meeting.ends_at),
        location=meeting.location or BLANK,
        agenda=meeting.agenda_items,
        discussion=paragraphs(meeting.discussion),
        conclusions=paragraphs(meeting.conclusions),
    )
    by_role = {
        Attendance.Role.PRESIDING: minutes.presiding,
        Attendance.Role.REPORTING: minutes.reporting,
        Attendance.Role.SECRETARY: minutes.secretaries,
    }
    # Until presence is recorded, the minutes list those invited; then those who came.
    recorded = any(attendance.presence for attendance in attendances)
    for attendance in attendances:
        person = Person(attendance.name, attendance.position, attendance.headcount)
        if attendance.role in by_role:
            by_role[attendance.role].append(person)
        elif attendance.attended if recorded else attendance.invited:
            minutes.participants.append(person)
        if attendance.invited:
            minutes.invited_count += attendance.headcount
        if recorded and attendance.attended:
            minutes.present_count = (minutes.present_count or 0) + attendance.headcount
    tasks = FollowUpTask.objects.visible_to(user).filter(meeting=meeting).select_related("owner")
    minutes.tasks = [
        Task(task.description, task.owner.get_full_name() or task.owner.get_username(), task.due_on) for task in tasks
    ]
    return minutes


# The Word file: A4 with the margins of Vietnamese administrative documents (Decree 30/2020),
# Times New Roman 13 pt, the heading as a borderless two-column table.
FONT = "Times New Roman"
FONT_SIZE = 13
MARGINS_MM = {"top_margin": 20, "bottom_margin": 20, "left_margin": 30, "right_margin": 15}


def _set_font(style, size: float, *, bold: bool = False) -> None:

    style.font.name = FONT
    style.font.size = Pt(size)
    style.font.bold = bold
    # Word takes the font for Vietnamese letters from the "east Asian" and "complex script" slots too.
    fonts = style.element.get_or_add_rPr().get_or_add_rFonts()
    for slot in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(slot), FONT)


def _document_styles(document) -> None:

    normal = document.styles["Normal"]
    _set_font(normal, FONT_SIZE)
    normal.paragraph_format.space_after = Pt(3)
    normal.paragraph_format.line_spacing = 1.15
    for name, size, bold, centred in (
        ("Minutes Heading Cell", 13, False, True),
        ("Minutes Title", 14, True, True),
        ("Minutes Subtitle", 13, True, True),
        ("Minutes Section", 13, True, False),
        ("Minutes Signature", 13, True, True),
    ):
        style = document.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        style.base_style = normal
        _set_font(style, size, bold=bold)
        if centred:
            style.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
            style.paragraph_format.space_after = Pt(0)
        if name == "Minutes Section":
            style.paragraph_format.space_before = Pt(6)
            style.paragraph_format.keep_with_next = True
    document.styles["Minutes Title"].paragraph_format.space_before = Pt(12)


def _cell_lines(cell, lines: list[tuple[str, dict]]) -> None:
    cell.paragraphs[0].style = "Minutes Heading Cell"
    for number, (text, look) in enumerate(lines):
        paragraph = cell.paragraphs[0] if number == 0 else cell.add_paragraph(style="Minutes Heading Cell")
        run = paragraph.add_run(text)
        run.bold = look.get("bold", False)
        run.italic = look.get("italic", False)
        run.underline = look.get("underline", False)


def build(minutes: Minutes):
    """The python-docx ``Document`` of ``minutes``."""

    document = Document()
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    for margin, millimetres in MARGINS_MM.items():
        setattr(section, margin, Mm(millimetres))
    _document_styles(document)
    document.core_properties.title = f"{_('MINUTES')} – {minutes.title}"
    document.core_properties.language = "vi-VN"

    head = document.add_table(rows=1, cols=2)
    head.autofit = False
    widths = (Mm(70), Mm(95))
    for cell, width in zip(head.rows[0].cells, widths, strict=True):
        cell.width = width
    issuer_lines = [(minutes.issuer_above, {})] if minutes.issuer_above else []
    issuer_lines += [(minutes.issuer, {"bold": True}), ("", {}), (minutes.number_line, {})]
    _cell_lines(head.rows[0].cells[0], issuer_lines)
    _cell_lines(
        head.rows[0].cells[1],
        [
            (_("SOCIALIST REPUBLIC OF VIETNAM"), {"bold": True}),
            (_("Independence – Freedom – Happiness"), {"bold": True, "underline": True}),
            ("", {}),
            (minutes.place_and_date, {"italic": True}),
        ],
    )

    document.add_paragraph(_("MINUTES"), style="Minutes Title")
    heading = f"{minutes.kind}: {minutes.title}" if minutes.kind else minutes.title
    document.add_paragraph(heading, style="Minutes Subtitle")
    if minutes.series:
        document.add_paragraph(f"({minutes.series})", style="Minutes Heading Cell")
    document.add_paragraph()

    for line in intro_lines(minutes):
        document.add_paragraph(line)

    document.add_paragraph(_("I. ATTENDANCE"), style="Minutes Section")
    for label, people in official_rows(minutes):
        paragraph = document.add_paragraph()
        paragraph.add_run(f"{label} ").bold = True
        paragraph.add_run("; ".join(str(person) for person in people) or BLANK)
    if minutes.participants:
        document.add_paragraph().add_run(_("Participants:")).bold = True
        for person in minutes.participants:
            document.add_paragraph(str(person), style="List Bullet")
    document.add_paragraph(attendance_line(minutes))

    for title, items, numbered in (
        (_("II. AGENDA"), minutes.agenda, True),
        (_("III. DISCUSSION"), minutes.discussion, False),
        (_("IV. CONCLUSIONS"), minutes.conclusions, False),
    ):
        document.add_paragraph(title, style="Minutes Section")
        for number, item in enumerate(items or [BLANK], start=1):
            document.add_paragraph(f"{number}. {item}" if numbered and items else item)
    document.add_paragraph(_("V. FOLLOW-UP TASKS"), style="Minutes Section")
    for task in minutes.tasks:
        document.add_paragraph(task_line(task), style="List Bullet")
    if not minutes.tasks:
        document.add_paragraph(BLANK)

    document.add_paragraph(closing_line(minutes))
    signatures = document.add_table(rows=1, cols=2)
    for cell, title, name in zip(
        signatures.rows[0].cells,
        (_("SECRETARY"), _("PRESIDING")),
        (minutes.secretary_name, minutes.presiding_name),
        strict=True,
    ):
        _cell_lines(
            cell,
            [
                (title, {"bold": True}),
                (_("(signature, full name)"), {"italic": True}),
                *[("", {})] * 3,
                (name, {"bold": True}),
            ],
        )
    return document


def intro_lines(minutes: Minutes) -> list[str]:
    return [
        _("Time: from %(start)s to %(end)s on %(day)s.")
        % {"start": minutes.starts_at, "end": minutes.ends_at, "day": minutes.meeting.held_on.strftime("%d/%m/%Y")},
        _("Place: %(place)s.") % {"place": minutes.location},
    ]


def official_rows(minutes: Minutes) -> list[tuple[str, list[Person]]]:
    return [
        (_("Presiding:"), minutes.presiding),
        (_("Reporting:"), minutes.reporting),
        (_("Secretary:"), minutes.secretaries),
    ]


def attendance_line(minutes: Minutes) -> str:
    present = BLANK if minutes.present_count is None else minutes.present_count
    return _("Invited: %(invited)s; present: %(present)s.") % {"invited": minutes.invited_count, "present": present}


def task_line(task: Task) -> str:
    return _("%(task)s (%(owner)s, due %(day)s)") % {
        "task": task.description,
        "owner": task.owner,
        "day": task.due_on.strftime("%d/%m/%Y"),
    }


def closing_line(minutes: Minutes) -> str:
    return _("The meeting ended at %(time)s on the same day.") % {"time": minutes.ends_at}


def minutes_docx(minutes: Minutes) -> bytes:
    """The minutes as a Word document that can still be edited: real paragraphs, styles and tables."""
    buffer = io.BytesIO()
    build(minutes).save(buffer)
    return buffer.getvalue()
