"""Dimension 9: code quality and Python best practices."""
