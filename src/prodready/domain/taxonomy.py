"""The fixed vocabularies of a review: the ten dimensions, severities, confidences."""

from __future__ import annotations

from enum import Enum


class Dimension(Enum):
    """The ten review dimensions of the specification, in its order."""

    RESILIENCE = ("RES", "Resilience & Fault Tolerance")
    CONCURRENCY = ("ASY", "Async & Concurrency Safety")
    DATABASE = ("DB", "Database & Consistency")
    ARCHITECTURE = ("ARC", "Architecture & Domain Design")
    OBSERVABILITY = ("OBS", "Error Handling & Observability")
    STATE = ("RACE", "Race Conditions & State Machine Safety")
    SECURITY = ("SEC", "Security & Input Validation")
    PERFORMANCE = ("PERF", "Performance & Scalability")
    QUALITY = ("QUAL", "Code Quality & Python Best Practices")
    PRACTICES = ("PRAC", "Missing Production-Grade Practices")

    @property
    def prefix(self) -> str:
        return self.value[0]

    @property
    def title(self) -> str:
        return self.value[1]

    @property
    def number(self) -> int:
        return list(Dimension).index(self) + 1

    @property
    def slug(self) -> str:
        return self.name.lower()


class Severity(Enum):
    """How bad a defect is when it fires in production, worst first."""

    BLOCKER = "blocker"
    CRITICAL = "critical"
    MAJOR = "major"
    MINOR = "minor"
    INFO = "info"

    @property
    def rank(self) -> int:
        """0 for the worst (blocker), growing towards info."""
        return list(Severity).index(self)

    @property
    def weight(self) -> int:
        return {"blocker": 100, "critical": 40, "major": 15, "minor": 4, "info": 1}[self.value]

    def at_least(self, other: Severity) -> bool:
        """True when self is as bad as `other` or worse."""
        return self.rank <= other.rank

    @classmethod
    def parse(cls, text: str) -> Severity:
        return cls(text.strip().lower())


class Confidence(Enum):
    """How sure a rule is that what it reports is a real defect."""

    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"

    @property
    def rank(self) -> int:
        return list(Confidence).index(self)

    @property
    def weight(self) -> float:
        return {"high": 1.0, "medium": 0.7, "low": 0.4}[self.value]


class Practice(Enum):
    """The production-grade practices of the specification's checklist (dimension 10)."""

    OUTBOX = "Transactional outbox pattern"
    CIRCUIT_BREAKERS = "Circuit breakers around Telegram / external APIs"
    RETRY_BACKOFF = "Retry with backoff for external calls"
    TASK_SUPERVISION = "Task supervision for background workers"
    GRACEFUL_SHUTDOWN = "Graceful shutdown handling"
    IDEMPOTENCY_KEYS = "Idempotency keys for critical flows"
    DB_STATE_TRANSITIONS = "Atomic state transitions enforced by DB constraints"
    HEALTH_ENDPOINTS = "Health / readiness endpoints"
    MIGRATIONS = "Schema migrations instead of `metadata.create_all()`"

    @property
    def slug(self) -> str:
        return self.name.lower().replace("_", "-")
