"""manage.py refresh_figures: today's and the cut-offs' figures computed ahead, old odd days dropped."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from apps.dashboard import figures
from apps.dashboard.models import FiguresDay, PendingFiguresChange, UnionFigures
from apps.dashboard.overview import TREND_CUT_OFFS
from apps.dashboard.selectors import cut_offs_before
from tests import factories


def refresh(*args: str) -> str:
    out = StringIO()
    call_command("refresh_figures", *args, stdout=out)
    return out.getvalue()


def test_computes_today_and_the_cut_offs_the_dashboard_shows(union_a1):
    factories.MemberFactory.create_batch(2, union=union_a1)
    output = refresh("--cut-offs-seconds", "0")
    today = timezone.localdate()
    expected = {today, *cut_offs_before(today, TREND_CUT_OFFS)}
    assert set(FiguresDay.objects.values_list("day", flat=True)) == expected
    assert UnionFigures.objects.get(union=union_a1, day=today).members == 2
    assert not PendingFiguresChange.objects.exists()
    assert f"{len(expected)} ngày" in output


def test_drops_old_days_that_are_not_cut_offs_and_keeps_cut_offs(union_a1):
    today = timezone.localdate()
    odd_old_day, recent_day, old_cut_off = dt.date(2020, 3, 3), today - dt.timedelta(days=3), dt.date(2015, 11, 30)
    figures.ensure_figures([odd_old_day, recent_day, old_cut_off])
    output = refresh()
    kept = set(FiguresDay.objects.values_list("day", flat=True))
    assert odd_old_day not in kept and {recent_day, old_cut_off} <= kept
    assert not UnionFigures.objects.filter(day=odd_old_day).exists()
    assert "Đã bỏ 1 ngày" in output


def test_extra_days_and_rebuild(union_a1):
    refresh("--day", "2021-07-09")
    assert FiguresDay.objects.filter(day=dt.date(2021, 7, 9)).exists()
    UnionFigures.objects.filter(union=union_a1).update(members=99)  # damage that only a rebuild repairs
    output = refresh("--rebuild")
    assert "Đã bỏ toàn bộ" in output
    assert not UnionFigures.objects.filter(members=99).exists()


def test_a_bad_day_is_refused_in_vietnamese(db):
    with pytest.raises(CommandError, match="không phải là ngày hợp lệ"):
        refresh("--day", "09/07/2021")


def test_older_cut_offs_are_kept_back_to_the_first_membership(union_a1):
    factories.MemberFactory(union=union_a1, joined_union_on=dt.date(2016, 3, 1))
    output = refresh()
    today = timezone.localdate()
    kept = set(FiguresDay.objects.values_list("day", flat=True))
    assert {dt.date(2016, 5, 31), dt.date(2016, 11, 30), dt.date(2019, 5, 31)} <= kept
    assert dt.date(2015, 11, 30) not in kept  # before anyone was a member
    assert all(day.year >= 2016 for day in kept)
    assert "còn 0 mốc chưa tính" in output
    assert today in kept
    # The next night has nothing left to catch up on, and says nothing about it.
    assert "mốc báo cáo cũ" not in refresh()
