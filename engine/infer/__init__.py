"""Stage 4, inference and resolution: run rulesets in durable_rules, resolve conclusions."""
