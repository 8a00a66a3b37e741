"""Facts the rules ask for: the per-file semantic model and (later) the project model."""
