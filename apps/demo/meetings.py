"""The demo district's meetings around the reference day and around today, as a district really holds them.

Two windows: the year up to the reference day (09/07/2021), and the year up to today with
the next weeks planned. Most union groups meet every month or every other month and a few
have gone quiet; every CĐCS holds its workers' conference early in the year and its
executive committee twice a year; the federation's executive committee meets every
quarter, and the federation holds a few trainings, conferences and seminars. A few
meetings were cancelled. The held meetings of a window's last months have their
attendance: the group's roster, the union's officials, the invited CĐCS's chairs.

Everything is drawn from a fixed seed and written with bulk writes (COPY on PostgreSQL).
"""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, time, timedelta

from apps.core.db import copy_or_insert, insert_objects
from apps.core.history import bulk_create_recorded
from apps.demo.drawing import day_between
from apps.meetings.models import Attendance, Meeting
from apps.members.models import Member, UnionOfficial
from apps.union_groups.models import UnionGroup
from apps.unions.models import Federation, GrassrootsUnion, Sector
from apps.unions.sectors import NON_STATE_ENTERPRISES, PUBLIC_SCHOOLS

# Shares of union groups meeting every month (the rest every other month), and gone quiet:
# no meeting in the last four months up to the window's day.
MONTHLY_GROUP_SHARE = 0.45
QUIET_GROUP_SHARE = 0.04
QUIET_DAYS = 120
CANCELLED_SHARE = 0.03
# Held meetings of the last quarter or so before the window's day have their attendance rows:
# enough for the dashboard's figures, without a hundred thousand rows more to write.
ATTENDANCE_DAYS = 100
PLANNED_AHEAD_DAYS = 45

ABSENCE_REASONS = (
    "Ốm",
    "Nghỉ phép",
    "Đi công tác",
    "Làm ca đêm",
    "Việc gia đình",
    "Con ốm",
    "Đi học nâng cao trình độ",
)
GROUP_MEETING_TOPICS = (
    "Phổ biến chế độ, chính sách mới về tiền lương, bảo hiểm xã hội",
    "Nắm bắt tâm tư, nguyện vọng của đoàn viên, người lao động",
    "Thăm hỏi đoàn viên ốm đau, gia đình có hoàn cảnh khó khăn",
    "Triển khai phong trào thi đua lao động giỏi, lao động sáng tạo",
    "Tuyên truyền an toàn, vệ sinh lao động, phòng chống cháy nổ",
    "Vận động người lao động mới gia nhập công đoàn",
    "Góp ý xây dựng nội quy lao động, thỏa ước lao động tập thể",
)
# The officials at a CĐCS's executive committee: their role there and position (in Vietnamese, whatever the language).
COMMITTEE_ROLES = {
    UnionOfficial.Role.CHAIR: (Attendance.Role.PRESIDING, "Chủ tịch công đoàn"),
    UnionOfficial.Role.VICE_CHAIR: (Attendance.Role.PARTICIPANT, "Phó Chủ tịch công đoàn"),
    UnionOfficial.Role.EXECUTIVE_MEMBER: (Attendance.Role.PARTICIPANT, "Ủy viên Ban Chấp hành"),
}


@dataclass
class UnionToMeet:
    """One CĐCS as the meetings see it: its groups, their rosters, its officials and chair."""

    union: GrassrootsUnion
    groups: list[UnionGroup]
    members: int
    rosters: dict[int, list[Member]]
    officials: list[tuple[str, Member]]  # (UnionOfficial.Role, member)
    # The day it is dissolved (it meets only before), or None.
    dissolved_on: date | None = None

    def meets_on(self, day: date) -> bool:
        return self.dissolved_on is None or day < self.dissolved_on

    @property
    def chair(self) -> Member | None:
        return next((member for role, member in self.officials if role == UnionOfficial.Role.CHAIR), None)


@dataclass
class FederationOfficials:
    chair: str
    vice_chairs: tuple[str, ...]
    staff: str


@dataclass
class Host:
    """An upper-level union holding meetings of its own, over its lifespan, for the CĐCS it holds."""

    federation: Federation
    title: str  # how titles and positions name it: "LĐLĐ quận", "Công đoàn phường"
    hall: str
    officials: FederationOfficials
    staff_position: str
    committee: int  # members of its executive committee
    unions: list[UnionToMeet]
    first_day: date | None = None
    ends_on: date | None = None  # the first day it no longer exists

    def holds_on(self, day: date) -> bool:
        return (self.first_day is None or day >= self.first_day) and (self.ends_on is None or day < self.ends_on)


@dataclass
class DemoMeetings:
    """What ``load_meetings`` wrote, and the meetings of the recent window the follow-up tasks hang on."""

    meetings: int = 0
    attendances: int = 0
    latest_federation_committee: Meeting | None = None
    latest_union_committee: dict[int, Meeting] = field(default_factory=dict)


@dataclass
class _Window:
    first: date
    last: date
    day: date  # the window's "today": later meetings are planned, earlier ones held (or cancelled)

    def __contains__(self, day: date) -> bool:
        return self.first <= day <= self.last

    @property
    def recent(self) -> date:
        return self.day - timedelta(days=ATTENDANCE_DAYS)


ATTENDANCE_COLUMNS = (
    "meeting_id",
    "member_id",
    "union_id",
    "name",
    "position",
    "role",
    "headcount",
    "invited",
    "presence",
    "absence_reason",
)


class _Writer:
    """Meetings drawn, then written at once; attendance rows wait for their meeting's id."""

    def __init__(self, rng: random.Random, federation_of: Callable[[GrassrootsUnion, date], Federation]) -> None:
        self.rng = rng
        # The federation a CĐCS's meeting of a day belongs to: its superior that day.
        self.federation_of = federation_of
        self.meetings: list[Meeting] = []
        self.attendances: list[tuple[Meeting, dict]] = []
        self.invitations: list[tuple[Meeting, int]] = []

    def add(self, window: _Window, **fields) -> Meeting:
        held_on = fields["held_on"]
        if held_on > window.day:
            status = Meeting.Status.PLANNED
        elif self.rng.random() < CANCELLED_SHARE:
            status = Meeting.Status.CANCELLED
        else:
            status = Meeting.Status.HELD
        if "federation" not in fields:
            fields["federation"] = self.federation_of(fields["organiser_union"], held_on)
        meeting = Meeting(status=fields.pop("status", status), **fields)
        self.meetings.append(meeting)
        return meeting

    def takes_attendance(self, meeting: Meeting, window: _Window) -> bool:
        return meeting.status == Meeting.Status.HELD and window.recent < meeting.held_on <= window.day

    def attend(self, meeting: Meeting, *, absent_share: float = 0.08, **fields) -> None:
        if "presence" not in fields:
            draw = self.rng.random()
            if draw < absent_share:
                fields |= {"presence": Attendance.Presence.ABSENT, "absence_reason": self.rng.choice(ABSENCE_REASONS)}
            elif draw < absent_share + 0.04:
                fields["presence"] = Attendance.Presence.LATE
            else:
                fields["presence"] = Attendance.Presence.PRESENT
        self.attendances.append((meeting, fields))

    def attend_counted(self, meeting: Meeting, *, invited: int, came: int, absence_reason: str, **people) -> None:
        """People counted, not named: one line for those who came, one for the rest if any stayed away."""
        self.attend(meeting, headcount=came, presence=Attendance.Presence.PRESENT, **people)
        if invited > came:
            self.attend(
                meeting,
                headcount=invited - came,
                presence=Attendance.Presence.ABSENT,
                absence_reason=absence_reason,
                **people,
            )

    def write(self) -> tuple[int, int]:
        bulk_create_recorded(Meeting, self.meetings)
        through = Meeting.participating_unions.through
        insert_objects(
            through, [through(meeting_id=meeting.pk, grassrootsunion_id=union) for meeting, union in self.invitations]
        )
        # Plain values rather than an Attendance each: a hundred thousand model instances cost seconds.
        rows = [
            (
                meeting.pk,
                fields["member"].pk if "member" in fields else None,
                fields["union"].pk if "union" in fields else None,
                fields["name"],
                fields.get("position", ""),
                fields.get("role", Attendance.Role.PARTICIPANT),
                fields.get("headcount", 1),
                True,
                fields["presence"],
                fields.get("absence_reason", ""),
            )
            for meeting, fields in self.attendances
        ]
        copy_or_insert(Attendance, ATTENDANCE_COLUMNS, rows)
        return len(self.meetings), len(rows)


def _windows(reference_day: date, today: date) -> list[_Window]:
    windows = [_Window(reference_day - timedelta(days=364), reference_day, reference_day)]
    recent_first = max(today - timedelta(days=364), reference_day + timedelta(days=1))
    if recent_first <= today:
        windows.append(_Window(recent_first, today + timedelta(days=PLANNED_AHEAD_DAYS), today))
    return windows


def load_meetings(
    *,
    hosts: list[Host],
    unions: list[UnionToMeet],
    federation_of: Callable[[GrassrootsUnion, date], Federation],
    reference_day: date,
    today: date,
    seed: int,
) -> DemoMeetings:
    """Draw and write both windows' meetings (the seminar of the reference day is loaded on its own).

    ``hosts`` hold their own meetings while they exist; a CĐCS's meeting belongs to its superior
    of the day (``federation_of``).
    """
    rng = random.Random(seed)
    writer = _Writer(rng, federation_of)
    loaded = DemoMeetings()
    for window in _windows(reference_day, today):
        _group_meetings(writer, window, unions)
        _union_meetings(writer, window, unions, loaded, recent=window.day == today)
        for host in hosts:
            _federation_meetings(writer, window, host, loaded, recent=window.day == today)
    loaded.meetings, loaded.attendances = writer.write()
    return loaded


def _group_meetings(writer: _Writer, window: _Window, unions: list[UnionToMeet]) -> None:
    rng = writer.rng
    for in_union in unions:
        for group in in_union.groups:
            every = 30 if rng.random() < MONTHLY_GROUP_SHARE else 61
            quiet = rng.random() < QUIET_GROUP_SHARE
            nominal = max(window.first, group.established_on) + timedelta(days=rng.randint(0, every - 1))
            while nominal <= window.last:
                held_on = nominal + timedelta(days=rng.randint(-4, 4))
                nominal += timedelta(days=every)
                if held_on not in window or held_on < group.established_on or not in_union.meets_on(held_on):
                    continue
                if quiet and window.day - timedelta(days=QUIET_DAYS) < held_on <= window.day:
                    continue
                meeting = writer.add(
                    window,
                    organiser_union=in_union.union,
                    group=group,
                    kind=Meeting.Kind.GROUP_MEETING,
                    title=f"Sinh hoạt {group.name} tháng {held_on:%m/%Y}",
                    held_on=held_on,
                    starts_at=time(16, 30) if rng.random() < 0.6 else time(11, 0),
                    location=in_union.union.employer_name,
                    topics="\n".join(rng.sample(GROUP_MEETING_TOPICS, 2)),
                )
                if writer.takes_attendance(meeting, window):
                    for member in in_union.rosters.get(group.pk, ()):
                        writer.attend(meeting, member=member, union=in_union.union, name=member.full_name)


def _union_meetings(
    writer: _Writer, window: _Window, unions: list[UnionToMeet], loaded: DemoMeetings, *, recent: bool
) -> None:
    rng = writer.rng
    for year in range(window.first.year, window.last.year + 1):
        for in_union in unions:
            union = in_union.union
            day = day_between(rng, date(year, 1, 6), date(year, 3, 28))
            if day in window and in_union.meets_on(day):
                meeting = writer.add(
                    window,
                    organiser_union=union,
                    kind=Meeting.Kind.WORKERS_CONFERENCE,
                    title=f"Hội nghị người lao động năm {year}",
                    held_on=day,
                    starts_at=time(8, 0),
                    location=union.employer_name,
                    topics=(
                        f"Báo cáo kết quả thực hiện nhiệm vụ năm {year - 1}, phương hướng nhiệm vụ năm {year}\n"
                        "Báo cáo việc thực hiện thỏa ước lao động tập thể, nội quy lao động\n"
                        "Đối thoại giữa người sử dụng lao động và người lao động"
                    ),
                )
                if writer.takes_attendance(meeting, window):
                    came = max(1, round(in_union.members * rng.uniform(0.86, 0.98)))
                    writer.attend_counted(
                        meeting,
                        invited=in_union.members,
                        came=came,
                        absence_reason="Nghỉ ca, nghỉ phép",
                        union=union,
                        name="Đoàn viên, người lao động",
                    )
            for month, half in ((1, "6 tháng đầu năm"), (7, "6 tháng cuối năm")):
                day = day_between(rng, date(year, month, 3), date(year, month + 1, 25))
                if day not in window or not in_union.meets_on(day):
                    continue
                meeting = writer.add(
                    window,
                    organiser_union=union,
                    kind=Meeting.Kind.EXECUTIVE_COMMITTEE,
                    title=f"Họp Ban Chấp hành công đoàn {half} {year}",
                    held_on=day,
                    starts_at=time(14, 0),
                    location=union.employer_name,
                    topics="Đánh giá hoạt động công đoàn\nTriển khai nhiệm vụ thời gian tới",
                )
                if recent and meeting.status == Meeting.Status.HELD and day <= window.day:
                    latest = loaded.latest_union_committee.get(union.pk)
                    if latest is None or latest.held_on < day:
                        loaded.latest_union_committee[union.pk] = meeting
                if writer.takes_attendance(meeting, window):
                    for role, member in in_union.officials:
                        if role in COMMITTEE_ROLES:
                            writer.attend(
                                meeting,
                                member=member,
                                union=union,
                                name=member.full_name,
                                role=COMMITTEE_ROLES[role][0],
                                position=COMMITTEE_ROLES[role][1],
                                absent_share=0.06,
                            )


def _federation_meetings(writer: _Writer, window: _Window, host: Host, loaded: DemoMeetings, *, recent: bool) -> None:
    rng = writer.rng
    unions, officials = host.unions, host.officials

    def presiding(meeting: Meeting) -> None:
        writer.attend(
            meeting,
            name=officials.chair,
            position=f"Chủ tịch {host.title}",
            role=Attendance.Role.PRESIDING,
            presence=Attendance.Presence.PRESENT,
        )
        for name in officials.vice_chairs:
            writer.attend(
                meeting,
                name=name,
                position=f"Phó Chủ tịch {host.title}",
                role=Attendance.Role.PRESIDING,
                presence=Attendance.Presence.PRESENT,
            )
        writer.attend(
            meeting,
            name=officials.staff,
            position=host.staff_position,
            role=Attendance.Role.SECRETARY,
            presence=Attendance.Presence.PRESENT,
        )

    def federation_meeting(day: date, *, status: str | None = None, **fields) -> Meeting:
        # The federation's own meetings are in its hall from 8:00 and are not called off at random:
        # held once their day is past, unless a status is given.
        return writer.add(
            window,
            held_on=day,
            starts_at=time(8, 0),
            federation=host.federation,
            location=host.hall,
            status=status or (Meeting.Status.HELD if day <= window.day else Meeting.Status.PLANNED),
            **fields,
        )

    def with_chairs(meeting: Meeting, invited: list[UnionToMeet]) -> None:
        for in_union in invited:
            writer.invitations.append((meeting, in_union.union.pk))
        if not writer.takes_attendance(meeting, window):
            return
        presiding(meeting)
        for in_union in invited:
            if chair := in_union.chair:
                writer.attend(
                    meeting,
                    member=chair,
                    union=in_union.union,
                    name=chair.full_name,
                    position=f"Chủ tịch {in_union.union.name}",
                    absent_share=0.1,
                )

    # The federation's executive committee, every quarter.
    for year in range(window.first.year, window.last.year + 1):
        for quarter, month in enumerate((1, 4, 7, 10), start=1):
            day = date(year, month, rng.randint(12, 20))
            if day not in window or not host.holds_on(day):
                continue
            meeting = federation_meeting(
                day,
                kind=Meeting.Kind.EXECUTIVE_COMMITTEE,
                title=f"Hội nghị Ban Chấp hành {host.title} quý {quarter}/{year}",
                ends_at=time(11, 0),
                topics=f"Đánh giá kết quả hoạt động quý {quarter}/{year}\nTriển khai nhiệm vụ quý tiếp theo",
            )
            if recent and day <= window.day:
                loaded.latest_federation_committee = meeting
            if writer.takes_attendance(meeting, window):
                presiding(meeting)
                writer.attend_counted(
                    meeting,
                    invited=host.committee,
                    came=host.committee - rng.randint(1, 3),
                    absence_reason="Bận công tác",
                    name=f"Ủy viên Ban Chấp hành {host.title}",
                )

        # The year's review conference in January, with every CĐCS's chair.
        day = date(year, 1, rng.randint(18, 26))
        if day in window and host.holds_on(day):
            meeting = federation_meeting(
                day,
                kind=Meeting.Kind.CONFERENCE,
                title=f"Hội nghị tổng kết công tác công đoàn năm {year - 1}, triển khai nhiệm vụ năm {year}",
                ends_at=time(11, 30),
                topics=f"Báo cáo tổng kết năm {year - 1}\nKhen thưởng tập thể, cá nhân tiêu biểu\nNhiệm vụ năm {year}",
            )
            with_chairs(meeting, [in_union for in_union in unions if in_union.meets_on(day)])

    # Trainings and seminars for a sector's CĐCS, at dates relative to the window's day.
    by_sector = defaultdict(list)
    for in_union in unions:
        by_sector[in_union.union.sector_id].append(in_union)
    sectors = {
        sector.code: sector for sector in Sector.objects.filter(code__in=(PUBLIC_SCHOOLS, NON_STATE_ENTERPRISES))
    }
    schools = (sectors.get(PUBLIC_SCHOOLS), by_sector.get(getattr(sectors.get(PUBLIC_SCHOOLS), "pk", None), []))
    firms = (
        sectors.get(NON_STATE_ENTERPRISES),
        by_sector.get(getattr(sectors.get(NON_STATE_ENTERPRISES), "pk", None), []),
    )
    training, seminar = Meeting.Kind.TRAINING, Meeting.Kind.SEMINAR
    events = [
        (250, training, "Tập huấn nghiệp vụ công tác công đoàn cho cán bộ CĐCS khối trường học", schools, None),
        (150, training, "Tập huấn kỹ năng đối thoại tại nơi làm việc cho cán bộ CĐCS doanh nghiệp", firms, None),
        (95, training, "Tập huấn nghiệp vụ cho tổ trưởng công đoàn", firms, Meeting.Status.CANCELLED),
        (60, training, "Tập huấn nghiệp vụ cho tổ trưởng công đoàn", firms, None),
        (-20, training, "Tập huấn công tác tài chính công đoàn", schools, None),
    ]
    if recent:
        # The reference day's window has its seminars already (the enterprise sector's three of 2021).
        events += [
            (120, seminar, "Đổi mới nội dung sinh hoạt tổ công đoàn trong trường học", schools, None),
            (40, seminar, "Vai trò tổ công đoàn trong chăm lo đời sống người lao động", firms, None),
        ]
    for days_before, kind, title, (sector, sector_unions), status in events:
        day = window.day - timedelta(days=days_before)
        if day not in window or not sector_unions or not host.holds_on(day):
            continue
        count = min(len(sector_unions), rng.randint(18, 30))
        invited = sorted(rng.sample(sector_unions, count), key=lambda in_union: in_union.union.pk)
        invited = [in_union for in_union in invited if in_union.meets_on(day)]
        meeting = federation_meeting(day, kind=kind, title=title, ends_at=time(11, 30), sector=sector, status=status)
        with_chairs(meeting, invited)
