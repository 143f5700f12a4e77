"""``{% open_tasks user as tasks %}``: the follow-up tasks a home page lists (meetings/parts/my_tasks.html)."""

from __future__ import annotations

from django import template
from django.utils import timezone

from apps.meetings.selectors import open_tasks_of

register = template.Library()


@register.simple_tag
def open_tasks(user) -> list:
    """``user``'s open tasks, each marked ``overdue`` when its day has passed."""
    today = timezone.localdate()
    tasks = list(open_tasks_of(user))
    for task in tasks:
        task.overdue = task.due_on < today
    return tasks
