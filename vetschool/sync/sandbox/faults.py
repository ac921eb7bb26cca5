"""The sandbox's fault switches: what it does wrong on purpose, to test the client."""

from dataclasses import dataclass


@dataclass
class Faults:
    fail_rate: float = 0.0
    throttle_rate: float = 0.0
    latency_ms: int = 0
    reject_rate: float = 0.0
    drop_rate: float = 0.0
    clock_offset: int = 0  # seconds added to this server's clock (to simulate skew)
    seed: int | None = None
