"""Stage 5, advice: plans, explanations and rendering of what the rules concluded."""
