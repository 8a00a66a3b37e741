"""The composition root: parses the command line and wires config, engine, judge, reports."""
