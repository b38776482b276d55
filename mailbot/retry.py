"""The one retry policy: exponential backoff until a deadline, as a small value object."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import TypeVar

from mailbot.errors import TemporaryFailure

log = logging.getLogger(__name__)
T = TypeVar("T")


@dataclass(frozen=True)
class RetryPolicy:
    """Wait ``initial`` seconds, then ``factor`` times longer each time, capped at ``max_delay``, giving up after ``deadline``."""

    initial: float = 1.0
    factor: float = 2.0
    max_delay: float = 300.0
    deadline: float = 3600.0

    def delays(self) -> Iterator[float]:
        """The waits between attempts, without end (the deadline is checked by ``call``)."""
        delay = self.initial
        while True:
            yield min(delay, self.max_delay)
            delay *= self.factor

    def call(
        self,
        action: Callable[[], T],
        *,
        retry_on: tuple[type[BaseException], ...] = (TemporaryFailure,),
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
    ) -> T:
        """Run ``action``, retrying on ``retry_on`` until it succeeds or the deadline passes (then re-raise)."""
        start = clock()
        for delay in self.delays():
            try:
                return action()
            except retry_on as exc:
                if clock() - start + delay > self.deadline:
                    raise
                log.warning("retrying in %.1fs after %s: %s", delay, type(exc).__name__, exc)
                sleep(delay)
        raise AssertionError("unreachable: delays() never ends")


# Connection trouble: seconds to minutes, for an hour.
NETWORK = RetryPolicy(initial=1.0, factor=2.0, max_delay=300.0, deadline=3600.0)
# A wrong 授权码 or a provider's frequency limit: a person must act or hours must pass.
OPERATOR = RetryPolicy(initial=1800.0, factor=2.0, max_delay=4 * 3600.0, deadline=24 * 3600.0)
