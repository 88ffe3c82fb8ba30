"""Stage 8: the consultation (`negatives ask`): which question matters next, WHY and HOW."""
