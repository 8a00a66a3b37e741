"""Dimension 7: security and input validation."""
