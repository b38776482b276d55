"""Pure decisions over data: the campaign, the roster, routing, deadlines and the decision chain."""
