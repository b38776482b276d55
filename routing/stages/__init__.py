"""Chain stages that enrich a delivery: prepare (gate, parse), identify the sender, route to an office."""
