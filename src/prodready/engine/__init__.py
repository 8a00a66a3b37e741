"""Discover files, read and parse each once, walk each tree once dispatching file rules,
then run project rules. Produces plain, picklable data; never formats."""
