"""Renderers: pure functions of a judged ReviewResult to text. They never analyse."""
