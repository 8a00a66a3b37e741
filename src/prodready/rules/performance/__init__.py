"""Dimension 8: performance and scalability."""
