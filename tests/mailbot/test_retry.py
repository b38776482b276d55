"""RetryPolicy: exponential waits, capped, given up at the deadline (fake clock and sleep, no real time)."""

import itertools

import pytest

from mailbot.errors import PermanentFailure, TemporaryFailure
from mailbot.retry import RetryPolicy


def test_delays_grow_and_are_capped():
    policy = RetryPolicy(initial=2, factor=3, max_delay=50, deadline=1000)
    assert list(itertools.islice(policy.delays(), 5)) == [2, 6, 18, 50, 50]


def test_gives_up_when_the_next_wait_would_pass_the_deadline():
    now = [0.0]
    calls = []

    def fail():
        calls.append(now[0])
        raise TemporaryFailure("服务器暂时无法访问")

    def sleep(seconds):
        now[0] += seconds

    with pytest.raises(TemporaryFailure):
        RetryPolicy(initial=1, factor=2, max_delay=100, deadline=10).call(fail, sleep=sleep, clock=lambda: now[0])
    assert calls == [0, 1, 3, 7]


def test_permanent_failures_are_not_retried():
    calls = []

    def fail():
        calls.append(1)
        raise PermanentFailure("拒绝")

    with pytest.raises(PermanentFailure):
        RetryPolicy().call(fail, sleep=lambda s: None)
    assert calls == [1]
