"""Prometheus metrics: requests by route and status with latency, events appended, and how
far behind a tenant's read models were when a read arrived (before the read caught them up).

Each app has its own registry (tests build many apps). Under gunicorn, PROMETHEUS_MULTIPROC_DIR
makes every worker write its values to files, and /metrics adds up all the workers.
"""

from __future__ import annotations

from collections.abc import Iterable

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
)
from prometheus_client.multiprocess import MultiProcessCollector

from service.replicas import Replica

KNOWN_METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})
_LATENCY_BUCKETS = (0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)


class Metrics:
    def __init__(self, multiprocess_dir: str | None = None) -> None:
        self.multiprocess_dir = multiprocess_dir
        self.registry = CollectorRegistry()
        self.requests = Counter(
            "r57_http_requests_total", "HTTP requests answered, by route and status.",
            ["method", "route", "status"], registry=self.registry,
        )
        self.latency = Histogram(
            "r57_http_request_duration_seconds", "Time to answer an HTTP request.",
            ["method", "route"], buckets=_LATENCY_BUCKETS, registry=self.registry,
        )
        self.events = Counter(
            "r57_events_appended_total", "Events recorded by successful commands.",
            ["tenant"], registry=self.registry,
        )
        self.lag = Gauge(
            "r57_read_model_lag_events",
            "Events a tenant's read models were behind when its latest read arrived.",
            ["tenant"], registry=self.registry, multiprocess_mode="max",
        )

        self.locks = Counter(
            "r57_authentication_locks_total",
            "Accounts or token ids locked after failures from many addresses (an attack).",
            registry=self.registry,
        )
        self.integrity_failed = Gauge(
            "r57_integrity_verification_failed",
            "1 while a tenant's latest live verification of its log failed, else 0.",
            ["tenant"], registry=self.registry, multiprocess_mode="mostrecent",
        )

        self.replica_lag_events = Gauge(
            "r57_replica_lag_events",
            "Log positions a replica's source has that the replica has not copied yet.",
            ["tenant"], registry=self.registry, multiprocess_mode="mostrecent",
        )
        self.replica_lag_seconds = Gauge(
            "r57_replica_lag_seconds",
            "How much later the source recorded its latest event than the latest copied.",
            ["tenant"], registry=self.registry, multiprocess_mode="mostrecent",
        )
        self.replica_unverified = Gauge(
            "r57_replica_unverified_events",
            "Positions copied but not yet covered by a verified checkpoint of the source.",
            ["tenant"], registry=self.registry, multiprocess_mode="mostrecent",
        )
        self.replica_refused = Gauge(
            "r57_replica_refused",
            "1 once replication of a tenant was refused (its source's history was "
            "rewritten), else 0.",
            ["tenant"], registry=self.registry, multiprocess_mode="mostrecent",
        )

    def observe_replicas(self, replicas: Iterable[Replica]) -> None:
        for replica in replicas:
            self.replica_lag_events.labels(replica.slug).set(replica.lag_positions)
            self.replica_lag_seconds.labels(replica.slug).set(replica.lag_seconds)
            self.replica_unverified.labels(replica.slug).set(
                max(0, replica.position - replica.verified_position))
            self.replica_refused.labels(replica.slug).set(1 if replica.refused_at else 0)

    def authentication_locked(self, subject: str, addresses: int) -> None:
        self.locks.inc()

    def observe_request(self, method: str, route: str, status: int, seconds: float) -> None:
        """Labels stay bounded: an unknown method counts as OTHER, an unknown path as
        <unmatched>, whatever a client sends."""
        method = method if method in KNOWN_METHODS else "OTHER"
        self.requests.labels(method, route, str(status)).inc()
        self.latency.labels(method, route).observe(seconds)

    def events_appended(self, tenant: str, count: int) -> None:
        if count > 0:
            self.events.labels(tenant).inc(count)

    def set_read_model_lag(self, tenant: str, events: int) -> None:
        self.lag.labels(tenant).set(events)

    def set_integrity_failed(self, tenant: str, failed: bool) -> None:
        self.integrity_failed.labels(tenant).set(1 if failed else 0)

    def exposition(self) -> tuple[bytes, str]:
        if self.multiprocess_dir:
            registry = CollectorRegistry()
            MultiProcessCollector(registry, path=self.multiprocess_dir)  # type: ignore[no-untyped-call]
            return generate_latest(registry), CONTENT_TYPE_LATEST
        return generate_latest(self.registry), CONTENT_TYPE_LATEST
