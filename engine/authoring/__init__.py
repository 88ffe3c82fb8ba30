"""Stage 7, authoring: rule test cases, coverage and the impact of an edit."""
