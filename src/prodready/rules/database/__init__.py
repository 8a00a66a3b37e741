"""Dimension 3: database and consistency."""
