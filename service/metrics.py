"""Prometheus metrics, in a registry per app so that several apps (tests) never collide."""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram


class Metrics:
    """Requests, latencies, assessments and batch progress."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self.requests = Counter(
            "assess_http_requests", "HTTP requests", ["method", "route", "status"],
            registry=self.registry,
        )  # fmt: skip
        self.latency = Histogram(
            "assess_http_request_seconds", "HTTP request latency", ["method", "route"],
            registry=self.registry,
        )  # fmt: skip
        self.assessments = Counter(
            "assess_assessments", "answers assessed", ["source"], registry=self.registry
        )
        self.batch_rows = Counter(
            "assess_batch_rows", "batch rows finished", ["outcome"], registry=self.registry
        )
        self.batches_open = Gauge(
            "assess_batches_open", "batches queued or running", registry=self.registry
        )
