"""Dimension 5: error handling and observability."""
