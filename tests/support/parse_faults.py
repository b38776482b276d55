"""Stand-ins for a parser that hangs, dies or eats memory on one message (run inside the parse child)."""

from __future__ import annotations

import os
import time

from routing.stages.prepare import prepare


def hang_on(job, campaign, terms, limits):
    """Sleep forever on a message whose subject says 'hang'; prepare the others."""
    if "hang" in job.subject:
        time.sleep(3600)
    return prepare(job, campaign, terms, limits)


def die_on(job, campaign, terms, limits):
    """Exit the process on 'die' (as a library aborting the interpreter would)."""
    if "die" in job.subject:
        os._exit(134)
    return prepare(job, campaign, terms, limits)


def eat_memory_on(job, campaign, terms, limits):
    """Allocate far past the child's limit on 'eat'."""
    if "eat" in job.subject:
        hoard = bytearray(4 * 1024 * 1024 * 1024)
        return hoard  # never reached under the limit
    return prepare(job, campaign, terms, limits)


def report_pid(job, campaign, terms, limits):
    """Answer with the child's process id (so a test can watch it)."""
    return os.getpid()


def unpicklable_on(job, campaign, terms, limits):
    """Answer 'odd' with something that cannot cross the pipe."""
    if "odd" in job.subject:
        return prepare(job, campaign, terms, limits).__class__(files=(lambda: None,))
    return prepare(job, campaign, terms, limits)
