"""Which office handles each return, and whether it came after its deadline."""

from __future__ import annotations

from routing.context import Context
from routing.delivery import Delivery
from routing.errors import CampaignError


def route(delivery: Delivery, ctx: Context) -> None:
    """Name the handling office of every return; a return sent to the other office is passed on, not bounced."""
    campaign, unit = ctx.campaign, delivery.unit
    inbox_office = delivery.office.key if delivery.office else None
    for parsed in delivery.returns:
        try:
            handler = campaign.handler(unit.category, parsed.kind).key
        except CampaignError:
            handler = inbox_office or next(iter(campaign.offices))
        delivery.handlers[parsed.kind] = handler
    delivery.misrouted = inbox_office is not None and any(h != inbox_office for h in delivery.handlers.values())
    return None


def is_overdue(ctx: Context, kind: str, received_at) -> bool:
    """Whether a return of this kind received at that moment is past the end of its due day."""
    deadline = ctx.campaign.deadline_for(kind)
    return received_at >= deadline.end(ctx.campaign.timezone)


def overdue(delivery: Delivery, ctx: Context) -> None:
    """Mark late returns; they are registered all the same and the receipt says so politely."""
    late = sorted({r.kind for r in delivery.returns if is_overdue(ctx, r.kind, delivery.received_at)})
    delivery.facts["overdue_kinds"] = late
    delivery.overdue = bool(late)
    return None


def misrouted_kinds(delivery: Delivery) -> list[str]:
    """Return kinds that belong to another office than the inbox's."""
    inbox_office = delivery.office.key if delivery.office else None
    return [k for k, office in delivery.handlers.items() if office != inbox_office]
