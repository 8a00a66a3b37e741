"""Dimension 1: resilience and fault tolerance."""
