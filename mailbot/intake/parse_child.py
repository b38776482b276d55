"""Run the 涉密 gate and the parsers in a child process, one message ahead of the chain.

Two things come of it. A hostile file that slips past the guard and hangs a parser, or a library that
aborts the interpreter on it, costs that one message a person's look instead of stopping the worker.
And the child reads the next message's attachments while this process records the current one.
Attachments cross to the child through a pipe; nothing is written anywhere.
"""

from __future__ import annotations

import logging
import multiprocessing
import pickle
import queue
import resource
import threading
import weakref
from collections.abc import Callable
from dataclasses import dataclass
from multiprocessing.connection import wait
from typing import Any

from routing.stages.prepare import Job, Prepared, job_of, prepare

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ParsePolicy:
    """How long one message's attachments may take, and how much memory the child may map."""

    timeout: float = 120.0  # seconds, from the moment the runner needs the result
    memory_mb: int = 2048  # the child's address-space limit (RLIMIT_AS)


def serve(jobs, results, campaign, terms, limits, memory_mb: int, work: Callable = prepare) -> None:
    """The child's loop: read a job, answer with its Prepared (or a failure), until the job pipe closes."""
    if memory_mb:
        limit = memory_mb * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    while True:
        try:
            number, job = jobs.recv()
        except (EOFError, OSError):
            return  # the runner went away (or was killed): so do we
        try:
            answer = work(job, campaign, terms, limits)
        except MemoryError:
            answer = Prepared(failure="附件占用内存超出限制")
        except Exception as exc:  # noqa: BLE001 - any parser bug: the runner holds the message for a person
            answer = Prepared(failure=f"解析出错（{type(exc).__name__}）")  # the type only: a message may quote content
        if not _answer(results, number, answer):
            return


def _answer(results, number: int, answer: Prepared) -> bool:
    """Send one answer; False when the runner is gone."""
    try:
        results.send((number, answer))  # pickled whole before a byte is written
    except (pickle.PicklingError, TypeError, AttributeError, RecursionError):
        results.send((number, Prepared(failure="解析结果无法传回")))
    except OSError:
        return False
    return True


class ParseAhead:
    """A supervised child process that prepares deliveries in the order they are submitted.

    One serves the whole worker: it is started on the first job and kept, because starting a child costs
    more than a message's work. Inbox watcher threads share it; a lock keeps their tickets apart.
    """

    def __init__(self, campaign, terms, limits, policy: ParsePolicy = ParsePolicy(), *, work: Callable = prepare) -> None:
        self.campaign, self.terms, self.limits, self.policy, self.work = campaign, terms, limits, policy, work
        self._context = _context()
        self._lock = threading.RLock()
        self._child: _Child | None = None
        self._next = 0
        self._waiting: dict[int, Job] = {}  # submitted, no answer yet (in submission order)
        self._done: dict[int, Prepared] = {}

    def submit(self, delivery) -> int:
        """Hand a delivery's attachments to the child and return its ticket; never waits."""
        job = job_of(delivery)
        with self._lock:
            ticket, self._next = self._next, self._next + 1
            self._waiting[ticket] = job
            self._ensure_child().send(ticket, job)
        return ticket

    def collect(self, ticket: int) -> Prepared:
        """The ticket's Prepared, waiting for the child if need be; a failure if the child hung or died."""
        with self._lock:
            if ticket not in self._waiting and ticket not in self._done:
                raise KeyError(f"parse ticket {ticket} was never submitted or was already collected")
            while ticket not in self._done:
                self._receive()
            return self._done.pop(ticket)

    def forget(self, ticket: int) -> None:
        """Drop a ticket that will not be collected (its pass ended early); its answer is ignored when it comes."""
        with self._lock:
            self._waiting.pop(ticket, None)
            self._done.pop(ticket, None)

    def close(self) -> None:
        """Stop the child (it exits when its job pipe closes)."""
        with self._lock:
            if self._child is not None:
                self._child.stop(wait=not self._waiting)  # work still in hand (a pass was stopped): no need to finish it
                self._child = None

    def __enter__(self) -> ParseAhead:
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()

    def _ensure_child(self) -> _Child:
        if self._child is None:
            args = (self.campaign, self.terms, self.limits, self.policy.memory_mb, self.work)
            self._child = _Child.start(self._context, args)
        return self._child

    def _receive(self) -> None:
        answer = self._ensure_child().receive(self.policy.timeout)
        if isinstance(answer, str):
            self._fail(answer)
            return
        ticket, prepared = answer
        if self._waiting.pop(ticket, None) is not None:
            self._done[ticket] = prepared

    def _fail(self, reason: str) -> None:
        """The child hung or died on the oldest job in hand: that job fails, the others go to a new child."""
        culprit = next(iter(self._waiting))
        log.warning("parse child failed (%s) on job %s; restarting it", reason, culprit)
        self._waiting.pop(culprit)
        self._done[culprit] = Prepared(failure=reason)
        self._child.stop(wait=False)
        self._child = None
        for ticket, job in self._waiting.items():
            self._ensure_child().send(ticket, job)


class _Child:
    """One child process, its two one-way pipes, and the thread that feeds it (so sending never blocks us)."""

    def __init__(self, process, jobs, results) -> None:
        self.process, self.results = process, results
        self.outbox: queue.SimpleQueue = queue.SimpleQueue()
        self.feeder = threading.Thread(target=_feed, args=(self.outbox, jobs), name="mailbot-parse-feeder", daemon=True)
        self.feeder.start()
        # Dropped without stop() (its ParseAhead was garbage-collected): the child must not linger.
        self._finalizer = weakref.finalize(self, _abandon, self.outbox, process)

    @classmethod
    def start(cls, context, args: tuple) -> _Child:
        """Fork the child from the clean server process and connect to it."""
        jobs_out, jobs_in = context.Pipe(duplex=False)
        results_out, results_in = context.Pipe(duplex=False)
        process = context.Process(target=serve, args=(jobs_out, results_in, *args), name="mailbot-parse", daemon=True)
        process.start()
        jobs_out.close()
        results_in.close()
        return cls(process, jobs_in, results_out)

    def send(self, ticket: int, job: Job) -> None:
        """Queue a job for the feeder thread."""
        self.outbox.put((ticket, job))

    def receive(self, timeout: float):
        """The next (ticket, Prepared), or a Chinese reason when the child hung past ``timeout`` or died."""
        ready = wait([self.results, self.process.sentinel], timeout=timeout)
        if self.results in ready:
            try:
                return self.results.recv()
            except (EOFError, OSError):
                pass  # it died with nothing more to say
        return "解析超时" if not ready else "解析进程异常退出"

    def stop(self, *, wait: bool) -> None:
        """End the child: politely (close its job pipe) when ``wait``, else kill it."""
        self._finalizer.detach()
        self.outbox.put(None)
        if wait:
            self.feeder.join(timeout=5)
            self.process.join(timeout=5)
        if self.process.is_alive():
            self.process.kill()
        self.process.join()
        self.results.close()


def _feed(outbox: queue.SimpleQueue, jobs) -> None:
    # A function, not a method: the thread must not keep its _Child alive.
    while (item := outbox.get()) is not None:
        try:
            jobs.send(item)
        except OSError:
            break  # the child is gone; the runner notices on its side
    jobs.close()


def _abandon(outbox: queue.SimpleQueue, process) -> None:
    outbox.put(None)
    if process.is_alive():
        process.kill()


def _context() -> Any:
    # forkserver: children are forked from a clean server process, never from this threaded one (IDLE watchers,
    # database pools); the server imports the parsers once.
    if "forkserver" in multiprocessing.get_all_start_methods():
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(["mailbot.intake.parse_child", "parsers", "parsers.gate.scan"])
        return context
    return multiprocessing.get_context("spawn")
