"""Errors of the pure routing layer."""


class RoutingError(Exception):
    """Base of every routing-layer error."""


class CampaignError(RoutingError):
    """The campaign file is malformed; the message says where, in Chinese."""


class RosterError(RoutingError):
    """A roster file or row is malformed; the message names the row, in Chinese."""
