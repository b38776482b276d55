"""The long-running worker: APScheduler jobs for intake, delivery, reminders, the digest and inbox health."""

from __future__ import annotations

import logging
import signal
import threading
import time
from collections.abc import Callable

from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.schedulers.background import BackgroundScheduler

from mailbot import clock
from mailbot.config import Config, load_config, stamps
from mailbot.errors import ConfigError
from mailbot.heartbeat import beat
from mailbot.outbox.turn import drain_outbox
from mailbot.schedule.digest import queue_digests
from mailbot.schedule.health import check_inboxes
from mailbot.schedule.reminders import Hold
from mailbot.schedule.reminders_send import queue_due
from mailbot.worker_reload import clear, record_failure
from routing.model.schedule import ReminderPolicy, due_slots, next_slot

log = logging.getLogger(__name__)
WATCH_EVERY = 10  # seconds between looks at the campaign file
DIGEST_EVERY = 300  # the digest is daily; a look every five minutes is plenty
HEALTH_EVERY = 60


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


class Rerun:
    """One run of a task at a time; a request that comes during a run makes it run once more, at once, after."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._running = self._again = False

    def ask(self) -> bool:
        """Request a run: True when none is in hand (the caller starts one), else it is noted for the run in hand."""
        with self._lock:
            self._again = self._again or self._running
            return not self._running

    def run(self, task: Callable[[], None]) -> None:
        """Run the task, and again while requests came meanwhile; return at once if another run is in hand."""
        with self._lock:
            if self._running:
                self._again = True
                return
            self._running = True
        try:
            while True:
                task()
                with self._lock:
                    # Done in the same hold as the last look: a request arriving after it starts a run of its own.
                    if not self._again:
                        self._running = False
                        return
                    self._again = False
        except BaseException:
            with self._lock:
                self._running = False
            raise


ALL_JOBS = tuple(name for name, _ in JOBS)
POLL_JOBS = ("outbox", "watch")  # `mailbot poll` without --once: the watchers, their receipts, and reloads


class Worker:
    """Runs the jobs until SIGTERM/SIGINT; SIGHUP or a changed campaign file reloads the configuration."""

    def __init__(self, app, jobs: tuple[str, ...] = ALL_JOBS) -> None:
        self.app = app
        self.jobs = jobs  # `mailbot poll` (watching) runs only the outbox and the configuration watch
        self.stopping = threading.Event()
        self.reload_requested = threading.Event()
        app.config  # noqa: B018 - read now: a bad file stops the start with its Chinese message
        self._outbox = Rerun()  # the interval turn and a watcher's call share one drain at a time
        self._failed_stamps: tuple | None = None  # the files as they were when a reload failed: not tried again until they change
        self.scheduler: BackgroundScheduler | None = None
        self._scheduling = threading.Lock()  # held to change the running scheduler's jobs, and to stop (see stop)
        self._warned: set[str] = set()
        self._signals: list[int] = []
        self.watchers: list[threading.Thread] = []
        self._reminders_ran_at = None  # when job_reminders last looked, and whether an unread inbox held some back
        self._reminders_held = False

    @property
    def config(self) -> Config:
        """The configuration in force (the App's: a reload swaps it there, whole)."""
        return self.app.config

    def interval(self, job: str) -> int:
        """Seconds between two turns of a job."""
        return intervals(self.config.policy, self.config.intake_every)[job]

    # ---------------------------------------------------------------- the jobs
    def job_intake(self) -> None:
        """Poll every inbox once (mailbot.intake.poll.poll_all), unless watcher threads already hold the inboxes."""
        if any(thread.is_alive() for thread in self.watchers):
            return
        from mailbot.intake.poll import poll_all

        poll_all(self.app, stop=self.stopping)

    def job_outbox(self) -> None:
        """Send what the outbox holds over each office's SMTP account (mailbot.outbox.send.drain); once more if asked meanwhile."""
        self._outbox.run(self._drain)

    def _drain(self) -> None:
        if not drain_outbox(self.app.ledger, self.config.campaign, self.config.settings, self.stopping) and "outbox" not in self._warned:
            self._warned.add("outbox")
            log.warning("outbox delivery not configured (no SMTP account in the settings)")

    def job_reminders(self) -> None:
        """Queue the reminders due now, and set the scheduler to look again at the next slot's very moment."""
        now = clock.now(self.config.campaign.timezone)
        results = queue_due(self.app.ledger, self.config.campaign, self.config.policy, now)
        self._reminders_ran_at = now
        self._reminders_held = any(held.hold is Hold.INBOX_BEHIND for r in results for held in r.plan.held)
        self.schedule_next_slot()

    def schedule_next_slot(self) -> None:
        """A one-off run of the reminders job at the next slot's fire time (the interval job alone can be a minute late)."""
        moment = self.next_wake()
        if moment is not None:
            self.change_schedule(lambda s: s.add_job(self.run_job, "date", args=["reminders"], id="reminders-slot", name="reminders-slot",
                                                     run_date=moment, replace_existing=True, misfire_grace_time=None))

    def next_wake(self):
        """The next reminder slot's fire time, at or after now (the watchers read their inbox then)."""
        if "reminders" not in self.jobs:
            return None
        cfg = self.config
        slot = next_slot(cfg.policy, cfg.campaign, clock.now(cfg.campaign.timezone))
        return slot.fire_at if slot is not None else None

    def after_pass(self, report) -> None:
        """A watcher read its inbox: if a due slot's reminders waited for that read, queue them now."""
        if "reminders" not in self.jobs:
            return
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
        self.change_schedule(lambda s: s.modify_job(name, next_run_time=clock.now(self.config.campaign.timezone)))

    def job_digest(self) -> None:
        """Queue today's digest for each office once the digest hour has passed."""
        cfg = self.config
        queue_digests(self.app.ledger, cfg.campaign, cfg.policy, clock.now(cfg.campaign.timezone), cfg.coordinators)

    def job_health(self) -> None:
        """Alert coordinators of inboxes failing too long, and of their recovery."""
        cfg = self.config
        check_inboxes(self.app.ledger, cfg.campaign, cfg.policy, clock.now(cfg.campaign.timezone), cfg.coordinators)

    def job_watch(self) -> None:
        """Reload when SIGHUP came or the campaign or settings file changed (a file that failed is tried again once changed)."""
        config = self.config
        now = stamps(config.campaign_file, config.settings_file)
        changed = config.changed_on_disk() and now != self._failed_stamps
        if changed or self.reload_requested.is_set():
            self.reload_requested.clear()
            self.reload()

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
        """Swap in the configuration from disk, whole; a bad file is reported once and the old one kept. State lives in the ledger."""
        old = self.config
        try:
            fresh = load_config(self.app.campaign_file, self.app.settings_file)
        except ConfigError as exc:
            self._reload_failed(old, str(exc))
            return False
        self.app.swap(fresh)
        self._failed_stamps = None
        self._quietly(clear, self.app.ledger)
        for name in self.jobs:
            self.change_schedule(lambda s, name=name: s.reschedule_job(name, trigger="interval", seconds=self.interval(name)))
        log.warning("configuration reloaded from %s", fresh.campaign_file)
        return True

    def _reload_failed(self, old: Config, error: str) -> None:
        """One line in the log, one row for `mailbot status` and the dashboard, one alert; then quiet until the files change."""
        self._failed_stamps = stamps(old.campaign_file, old.settings_file)
        log.warning("configuration reload failed; keeping the previous configuration: %s", error)
        self._quietly(record_failure, self.app.ledger, old, error, clock.now(old.campaign.timezone))

    @staticmethod
    def _quietly(action, *args) -> None:
        # The ledger may be down for a moment: the configuration swap must not depend on it.
        try:
            action(*args)
        except Exception:  # noqa: BLE001
            log.exception("could not record the configuration's state in the ledger")

    # ---------------------------------------------------------------- running
    def start(self) -> BackgroundScheduler:
        """Start the scheduler with every job (coalesced, one instance each)."""
        scheduler = BackgroundScheduler(timezone=self.config.campaign.timezone, executors={"default": ThreadPoolExecutor(4)},
                                        job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": 60})
        for name in self.jobs:
            scheduler.add_job(self.run_job, "interval", args=[name], id=name, name=name, seconds=self.interval(name),
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
        from mailbot.intake.watch import start_watchers

        # Inboxes are read at start; a reload changes the jobs' configuration, not the watched accounts.
        self.watchers = start_watchers(self.app, settings, self.stopping, on_pass=self.after_pass, wake_at=self.next_wake,
                                       send=self.send_now)

    def send_now(self, office: str) -> None:
        """A watcher registered mail: the one outbox driver, the outbox job, runs at once, or again after the drain in hand."""
        if not self._outbox.ask() or self.stopping.is_set():
            return
        if self.scheduler is None:
            self.run_job("outbox")
            return
        # A one-off of its own: the interval job's turn, were it running, would be skipped rather than queued.
        self.change_schedule(lambda s: s.add_job(self.run_job, "date", args=["outbox"], id="outbox-now", name="outbox-now",
                                                 replace_existing=True, run_date=clock.now(self.config.campaign.timezone),
                                                 misfire_grace_time=None))

    def change_schedule(self, change: Callable[[BackgroundScheduler], object]) -> None:
        """Change the running scheduler's jobs, unless the worker is stopping."""
        with self._scheduling:
            if self.scheduler is not None and not self.stopping.is_set():
                change(self.scheduler)

    def stop(self) -> None:
        """Stop: no job changes the schedule any more, the jobs in hand finish, then the watchers."""
        # APScheduler's shutdown holds its job-store lock while it waits for the running jobs; a job that then adds or
        # moves a job (the next reminder slot, an outbox run, a reload) would wait for that lock for ever. Once this
        # hold has set ``stopping``, none will try.
        with self._scheduling:
            self.stopping.set()
        if self.scheduler is not None:
            self.scheduler.shutdown(wait=True)
        self.join_watchers()

    def join_watchers(self) -> None:
        """Wait for each watcher to finish the message in hand."""
        for thread in self.watchers:
            thread.join()

    def run_forever(self, on_ready: Callable[[], None] = lambda: None) -> None:
        """Run until a stop signal; the job in hand finishes before the process exits."""
        self.install_signals()
        self._quietly(clear, self.app.ledger)  # read whole at start: whatever an earlier run of this host left is over
        self.start()
        on_ready()
        while not self.stopping.is_set():
            time.sleep(0.5)
            self.handle_signals()
        self.stop()

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
