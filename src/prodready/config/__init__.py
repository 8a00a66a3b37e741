"""`[tool.prodready]` and command-line options -> validated Settings, or a per-key error."""
