from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DashboardConfig(AppConfig):
    name = "apps.dashboard"
    verbose_name = _("Dashboard")

    def ready(self) -> None:
        from django_tasks.signals import task_finished

        from apps.core.replica import primary_written
        from apps.dashboard.tasks import queue_figure_changes

        # Pages may read from a replica, where notes cannot be applied: the worker applies
        # them on the primary after every request and every task that wrote.
        primary_written.connect(queue_figure_changes, dispatch_uid="dashboard_figures_after_request")
        task_finished.connect(queue_figure_changes, dispatch_uid="dashboard_figures_after_task")
