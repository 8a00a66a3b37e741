"""The project model: what prodready understands about a service across its files.

Per-file facts are extracted from trees the engine already parsed (plain, picklable data);
the project model merges them with the declared dependencies and the call graph.
"""
