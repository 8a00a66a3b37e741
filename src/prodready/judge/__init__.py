"""Suppressions, grouping into issues, priority, the practices checklist and the verdict."""
