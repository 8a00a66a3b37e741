"""Background work: schedulers, task queues, the PTB job queue and forever-loop tasks."""

from __future__ import annotations

from collections.abc import Callable

from prodready.analysis.project.adapters import jobs
from prodready.analysis.project.model import BackgroundJob, EntryPoint, Evidence, FileFacts, Hook

from .helpers import parse_file, project_file


def _extract(path: str, project: str = "workers") -> tuple[FileFacts, Callable[[int], Evidence]]:
    return jobs.extract(project_file(project, path)), lambda line: Evidence(path, line)


def test_apscheduler_jobs_and_lookalikes() -> None:
    facts, E = _extract("workers/scheduler.py")
    assert facts.jobs == (
        BackgroundJob(
            "apscheduler",
            "workers.billing.charge_subscriptions",
            E(14),
            schedule="interval(minutes=5)",
            details=("id", "replace_existing"),
        ),
        BackgroundJob(
            "apscheduler",
            "workers.billing.expire_trials",
            E(15),
            schedule="CronTrigger.from_crontab('0 3 * * *')",
            details=("max_instances",),
        ),
        BackgroundJob("apscheduler", "workers.billing:reconcile", E(16), schedule="cron(hour=4)"),
        BackgroundJob(
            "apscheduler",
            "workers.scheduler.weekly_report",
            E(20),
            schedule="cron(day_of_week='mon', hour=9)",
        ),
        BackgroundJob(
            "apscheduler",
            "workers.scheduler.Reminders.remind",
            E(33),
            schedule="interval(hours=1)",
            details=("misfire_grace_time",),
        ),
    )
    # the module's own add_job() and Queue.add_job() (lines 45-46) are not APScheduler's
    assert (facts.entry_points, facts.hooks) == ((), ())


def test_create_task_over_functions_that_loop_forever() -> None:
    facts, E = _extract("workers/loops.py")
    assert facts.jobs == (
        BackgroundJob("task-loop", "workers.loops.Outbox._relay", E(29)),
        BackgroundJob(
            "task-loop", "workers.loops.poll_payments", E(33), details=("reference-discarded",)
        ),
        BackgroundJob("task-loop", "workers.loops.drain", E(34)),
        BackgroundJob("task-loop", "workers.loops.drain", E(39), details=("reference-discarded",)),
    )


def test_arq_worker_settings() -> None:
    facts, E = _extract("workers/arq_worker.py")
    assert facts.entry_points == (
        EntryPoint("worker", "arq", E(24), function="workers.arq_worker.WorkerSettings"),
    )
    assert facts.hooks == (
        Hook("startup", "arq", "workers.arq_worker.startup", E(27)),
        Hook("shutdown", "arq", "workers.arq_worker.shutdown", E(28)),
    )
    assert facts.jobs == (
        BackgroundJob("arq", "workers.arq_worker.generate_invoice", E(25)),
        BackgroundJob("arq", "workers.mail.send_receipt", E(25)),
        BackgroundJob(
            "arq", "workers.arq_worker.cleanup_sessions", E(26), schedule="cron(hour={3}, minute=0)"
        ),
    )


def test_celery_app_tasks_and_beat() -> None:
    facts, E = _extract("workers/celery_app.py")
    assert facts.entry_points == (
        EntryPoint("worker", "celery", E(4), function="workers.celery_app.app"),
    )
    assert facts.jobs == (
        BackgroundJob(
            "celery", "workers.celery_app.nightly_report", E(6), schedule="crontab(hour=2)"
        ),
        BackgroundJob("celery", "workers.celery_app.send_email", E(10)),
        BackgroundJob("celery", "workers.celery_app.nightly_report", E(15)),
    )


def test_taskiq_broker_and_tasks() -> None:
    facts, E = _extract("workers/taskiq_app.py")
    assert facts.entry_points == (
        EntryPoint("worker", "taskiq", E(3), function="workers.taskiq_app.broker"),
    )
    assert facts.jobs == (
        BackgroundJob("taskiq", "workers.taskiq_app.resize_image", E(6)),
        BackgroundJob(
            "taskiq", "workers.taskiq_app.sync_rates", E(11), schedule="[{'cron': '*/5 * * * *'}]"
        ),
    )


def test_ptb_job_queue() -> None:
    facts, E = _extract("workers/ptb_jobs.py")
    assert facts.jobs == (
        BackgroundJob(
            "ptb-job-queue",
            "workers.ptb_jobs.remind",
            E(16),
            schedule="repeating(interval=60, first=10)",
            details=("name",),
        ),
        BackgroundJob(
            "ptb-job-queue",
            "workers.ptb_jobs.daily",
            E(17),
            schedule="daily(time=datetime.time(hour=9))",
        ),
        BackgroundJob("ptb-job-queue", "workers.ptb_jobs.remind", E(18), schedule="once(when=30)"),
    )
    facts, E = _extract("shop/main.py", project="ptb20_bot")
    assert facts.jobs == (
        BackgroundJob(
            "ptb-job-queue",
            "shop.jobs.remind",
            E(58),
            schedule="repeating(interval=3600, first=60)",
        ),
    )


def test_tasks_imported_from_the_project_and_untyped_schedulers() -> None:
    parsed = parse_file(
        """
        from functools import partial

        from proj.celery import app
        from proj.taskiq import broker


        @app.task(acks_late=True)
        def charge(order_id: int) -> None:
            return None


        @broker.task
        async def notify(user_id: int) -> None:
            return None


        class Service:
            def __init__(self, app_scheduler) -> None:
                self.app_scheduler = app_scheduler

            def plan(self) -> None:
                self.app_scheduler.add_job(partial(charge, 1), trigger="date")
                self.app_scheduler.add_job(lambda: None, "interval", seconds=30, id="tick")
        """,
        "proj.tasks",
    )
    E = lambda line: Evidence("proj/tasks.py", line)  # noqa: E731
    assert jobs.extract(parsed).jobs == (
        BackgroundJob("celery", "proj.tasks.charge", E(8)),
        BackgroundJob("taskiq", "proj.tasks.notify", E(13)),
        BackgroundJob("apscheduler", "proj.tasks.charge", E(23), schedule="date()"),
        BackgroundJob(
            "apscheduler", "<lambda>", E(24), schedule="interval(seconds=30)", details=("id",)
        ),
    )


def test_files_with_no_background_work_are_skipped_cheaply() -> None:
    parsed = parse_file("def f() -> int:\n    return 1\n", "app.util")
    assert jobs.extract(parsed) == FileFacts(path="app/util.py", module="app.util")
