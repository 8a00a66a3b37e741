"""Dimension 10: missing production-grade practices."""
