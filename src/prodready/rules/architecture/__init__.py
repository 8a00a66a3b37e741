"""Dimension 4: architecture and domain design."""
