"""Stage 6, audit: check training programs against the rules and report findings."""
