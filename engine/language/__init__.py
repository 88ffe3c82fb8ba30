"""Stage 3, the rule language: parse, check, compile and partition rules; lint and coverage."""
