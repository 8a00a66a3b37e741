"""Dimension 6: race conditions and state-machine safety."""
