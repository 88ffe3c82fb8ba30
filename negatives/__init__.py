"""negatives: an expert system for negative (eccentric) strength training.

The one import package. In the repository its subpackages are the top-level folders `engine/`,
`cli/`, `rules/` and `knowledge/` (linked here); an installed wheel holds them as real folders.
"""
