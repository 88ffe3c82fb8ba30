"""Stage 2, the knowledge and fact model: knowledge base, athletes, programs, facts."""
