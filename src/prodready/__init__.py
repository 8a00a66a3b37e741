"""prodready: a deep production-readiness review of async Python backends."""

__version__ = "0.1.0"
