"""Dimension 2: async and concurrency safety."""
