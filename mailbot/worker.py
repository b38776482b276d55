"""The long-running worker: APScheduler jobs for intake, delivery, reminders, the digest and inbox health."""

from __future__ import annotations

import importlib
import importlib.util
import inspect
import logging
import signal
import threading
import time
from dataclasses import dataclass
from typing import Callable

from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.schedulers.background import BackgroundScheduler

from mailbot import clock
from mailbot.config import campaign_path, load_campaign
from mailbot.digest import queue_digests
from mailbot.health import check_inboxes
from mailbot.reminders import Hold
from mailbot.reminders_send import queue_due
from mailbot.worker_outbox import drain_outbox
from mailbot.heartbeat import beat
from mailbot.worker_config import coordinators, intake_interval, load_policy, load_site_settings
from routing.campaign import Campaign
from routing.schedule import ReminderPolicy, due_slots, next_slot

log = logging.getLogger(__name__)
WATCH_EVERY = 10  # seconds between looks at the campaign file
DIGEST_EVERY = 300  # the digest is daily; a look every five minutes is plenty
HEALTH_EVERY = 60


@dataclass(frozen=True)
class WorkerConfig:
    """The configuration in force; replaced whole on reload, never edited in place."""

    campaign: Campaign
    policy: ReminderPolicy
    coordinators: dict[str, str]
    intake_every: int
    campaign_mtime: float
    settings: object | None = None

    def interval(self, job: str) -> int:
        """Seconds between two turns of a job."""
        return intervals(self.policy, self.intake_every)[job]


def intervals(policy: ReminderPolicy, intake_every: int) -> dict[str, int]:
    """Seconds between two turns of each job."""
    return {"intake": intake_every, "outbox": policy.outbox_every, "reminders": policy.reminders_every,
            "digest": DIGEST_EVERY, "health": HEALTH_EVERY, "watch": WATCH_EVERY}


# The jobs, in the order a newcomer should read them: (name, Chinese description).
JOBS = (
    ("intake", "收取各办公室邮箱中的新邮件并登记"),
    ("outbox", "发送待发邮件（回执、催报、汇总、提醒）"),
    ("reminders", "检查到期的催报时点并生成催报邮件"),
    ("digest", "每个工作日向各办公室发送当日汇总"),
    ("health", "检查收件邮箱是否持续失败并提醒"),
    ("watch", "检查活动配置文件是否修改，修改后重新加载"),
)


class Worker:
    """Runs the jobs until SIGTERM/SIGINT; SIGHUP or a changed campaign file reloads the configuration."""

    def __init__(self, app) -> None:
        self.app = app
        self.stopping = threading.Event()
        self.reload_requested = threading.Event()
        self.config = self.load_config()
        self.app.stopping = self.stopping  # intake may look at it between messages
        self.scheduler: BackgroundScheduler | None = None
        self._warned: set[str] = set()
        self._signals: list[int] = []
        self.watchers: list[threading.Thread] = []
        self._reminders_ran_at = None  # when job_reminders last looked, and whether an unread inbox held some back
        self._reminders_held = False

    def load_config(self) -> WorkerConfig:
        """Read the campaign file, its [reminders] and the site settings afresh."""
        path = campaign_path(self.app.campaign_file)
        campaign = load_campaign(path)
        settings = load_site_settings(self.app.settings_file)
        policy = load_policy(campaign)
        return WorkerConfig(campaign, policy, coordinators(campaign, settings), intake_interval(policy, settings), path.stat().st_mtime, settings)

    # ---------------------------------------------------------------- the jobs
    def job_intake(self) -> None:
        """Poll every inbox once (mailbot.intake.poll_all), unless watcher threads already hold the inboxes."""
        if any(thread.is_alive() for thread in self.watchers):
            return
        self._call_optional("mailbot.intake", "poll_all", "intake not configured")

    def job_outbox(self) -> None:
        """Send what the outbox holds over each office's SMTP account (mailbot.outbox_send.drain)."""
        if not drain_outbox(self.app.ledger, self.config.campaign, self.config.settings, self.stopping) and "outbox" not in self._warned:
            self._warned.add("outbox")
            log.warning("outbox delivery not configured (no SMTP account in the settings)")

    def job_reminders(self) -> None:
        """Queue the reminders due now, and set the scheduler to look again at the next slot's very moment."""
        now = clock.now(self.config.campaign.timezone)
        results = queue_due(self.app.ledger, self.config.campaign, self.config.policy, now)
        self._reminders_ran_at = now
        self._reminders_held = any(hold is Hold.INBOX_BEHIND for r in results for _, hold in r.plan.held)
        self.schedule_next_slot()

    def schedule_next_slot(self) -> None:
        """A one-off run of the reminders job at the next slot's fire time (the interval job alone can be a minute late)."""
        moment = self.next_wake()
        if self.scheduler is not None and moment is not None:
            self.scheduler.add_job(self.run_job, "date", args=["reminders"], id="reminders-slot", name="reminders-slot",
                                   run_date=moment, replace_existing=True, misfire_grace_time=None)

    def next_wake(self):
        """The next reminder slot's fire time, at or after now (the watchers read their inbox then)."""
        cfg = self.config
        slot = next_slot(cfg.policy, cfg.campaign, clock.now(cfg.campaign.timezone))
        return slot.fire_at if slot is not None else None

    def after_pass(self, report) -> None:
        """A watcher read its inbox: if a due slot's reminders waited for that read, queue them now."""
        cfg = self.config
        now = clock.now(cfg.campaign.timezone)
        slots = due_slots(cfg.policy, cfg.campaign, now)
        if not slots or report.busy or report.error:
            return
        stale = self._reminders_ran_at is None or self._reminders_ran_at < max(s.fire_at for s in slots)
        if stale or self._reminders_held:
            self.fire_now("reminders")

    def fire_now(self, name: str) -> None:
        """Run a job at once in the scheduler's pool (one instance at a time), or here when there is no scheduler."""
        if self.stopping.is_set():
            return
        if self.scheduler is None:
            self.run_job(name)
            return
        self.scheduler.modify_job(name, next_run_time=clock.now(self.config.campaign.timezone))

    def job_digest(self) -> None:
        """Queue today's digest for each office once the digest hour has passed."""
        cfg = self.config
        queue_digests(self.app.ledger, cfg.campaign, cfg.policy, clock.now(cfg.campaign.timezone), cfg.coordinators)

    def job_health(self) -> None:
        """Alert coordinators of inboxes failing too long, and of their recovery."""
        cfg = self.config
        check_inboxes(self.app.ledger, cfg.campaign, cfg.policy, clock.now(cfg.campaign.timezone), cfg.coordinators)

    def job_watch(self) -> None:
        """Reload when SIGHUP came or the campaign file changed."""
        try:
            changed = campaign_path(self.app.campaign_file).stat().st_mtime != self.config.campaign_mtime
        except OSError:
            changed = False
        if changed or self.reload_requested.is_set():
            self.reload_requested.clear()
            self.reload()

    def _call_optional(self, module: str, name: str, missing: str) -> None:
        # Only a module that does not exist yet is "not configured"; an import error inside it is a real failure.
        if importlib.util.find_spec(module) is None:
            if module not in self._warned:
                self._warned.add(module)
                log.warning(missing)
            return
        target = getattr(importlib.import_module(module), name)
        kwargs = {"stop": self.stopping} if "stop" in inspect.signature(target).parameters else {}
        target(self.app, **kwargs)

    def run_job(self, name: str) -> bool:
        """Run one job now; a failure is logged and the job simply runs again on its next turn."""
        if self.stopping.is_set() and name != "watch":
            return False
        try:
            getattr(self, f"job_{name}")()
        except Exception:
            log.exception("job %s failed; it will run again on its next turn", name)
            return False
        beat()  # the container's health check: the scheduler still completes jobs
        return True

    # ---------------------------------------------------------------- configuration
    def reload(self) -> bool:
        """Swap in the configuration from disk; a bad file is logged and the old one kept. State lives in the ledger."""
        try:
            fresh = self.load_config()
        except Exception:
            log.exception("configuration reload failed; keeping the previous configuration")
            return False
        self.config = fresh
        self.app.campaign = fresh.campaign  # App.campaign is a cached property; replace the cached value
        if self.scheduler is not None:
            for name, _ in JOBS:
                self.scheduler.reschedule_job(name, trigger="interval", seconds=fresh.interval(name))
        log.warning("configuration reloaded from %s", campaign_path(self.app.campaign_file))
        return True

    # ---------------------------------------------------------------- running
    def start(self) -> BackgroundScheduler:
        """Start the scheduler with every job (coalesced, one instance each)."""
        scheduler = BackgroundScheduler(timezone=self.config.campaign.timezone, executors={"default": ThreadPoolExecutor(4)},
                                        job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": 60})
        for name, _ in JOBS:
            scheduler.add_job(self.run_job, "interval", args=[name], id=name, name=name, seconds=self.config.interval(name),
                              next_run_time=clock.now(self.config.campaign.timezone))
        # Known before any job runs: the first reminders turn schedules the next slot on it, and watchers may fire jobs.
        self.scheduler = scheduler
        # Watchers first: the intake job's first turn is now, and must see that the inboxes are already held.
        self.start_watchers()
        scheduler.start()
        return scheduler

    def start_watchers(self) -> None:
        """One IDLE watcher thread per configured inbox (it polls on its connection where IDLE is missing)."""
        settings = self.config.settings
        if settings is None or not getattr(settings, "inboxes", ()):
            return
        from mailbot.intake_watch import start_watchers

        # Inboxes are read at start; a reload changes the jobs' configuration, not the watched accounts.
        self.watchers = start_watchers(self.app, settings, self.stopping, on_pass=self.after_pass, wake_at=self.next_wake)

    def join_watchers(self) -> None:
        """Wait for each watcher to finish the message in hand."""
        for thread in self.watchers:
            thread.join()

    def run_forever(self, on_ready: Callable[[], None] = lambda: None) -> None:
        """Run until a stop signal; the job in hand finishes before the process exits."""
        self.install_signals()
        self.start()
        on_ready()
        while not self.stopping.is_set():
            time.sleep(0.5)
            self.handle_signals()
        self.scheduler.shutdown(wait=True)
        self.join_watchers()

    def install_signals(self) -> None:
        """SIGTERM/SIGINT stop, SIGHUP reloads (main thread only)."""
        # Handlers only append: setting an Event inside a handler can deadlock against Event.wait in the same thread.
        for name in ("SIGTERM", "SIGINT", "SIGHUP"):
            if hasattr(signal, name):
                signal.signal(getattr(signal, name), lambda signum, _frame: self._signals.append(signum))

    def handle_signals(self) -> None:
        """Act on the signals received since the last look, outside the handlers."""
        while self._signals:
            signum = self._signals.pop(0)
            if signum == getattr(signal, "SIGHUP", None):
                self.reload_requested.set()
                self.run_job("watch")
            else:
                self.stopping.set()
