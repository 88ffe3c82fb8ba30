"""Stage 1, load: read YAML with locations, validate it against JSON Schemas, report problems."""
