"""JSON Schemas (one file per kind of YAML file), shipped as package data."""
