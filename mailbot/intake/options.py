"""What the pipeline takes from the site settings: our own addresses, sender trust, coordinators, parse limits."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from parsers.safety.limits import DEFAULT_LIMITS, Limits
from routing.context import LoopPolicy
from routing.stages.sender_auth import AuthPolicy


@dataclass(frozen=True)
class PipelineOptions:
    """The pipeline's site options; the defaults are a pipeline without a settings file (files fed by hand, tests).

    Built from the configuration in one place, mailbot.config.Config.pipeline_options.
    """

    own_addresses: tuple[str, ...] = ()  # the settings' inboxes and sending accounts, beyond the campaign's inboxes
    auth: AuthPolicy = AuthPolicy()  # whose Authentication-Results are believed, which From domains need them
    coordinators: Mapping[str, str] = field(default_factory=dict)  # office → where a 涉密 alert goes
    limits: Limits = DEFAULT_LIMITS  # the site's [limits] over the parsers' caps
    loop_policy: LoopPolicy = LoopPolicy()
