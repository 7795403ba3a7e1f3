"""What a batch did, as the command line and a caller see it: runs this session and on disk, failures, why it
stopped; and the interruption that carries it (a ``KeyboardInterrupt``, raised once the finished runs are saved).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class Summary:
    name: str
    out: Path
    total: int
    before: int  # runs already on disk when this session started
    ran: int = 0
    failed_now: int = 0
    failed_total: int = 0
    remaining: int = 0
    interrupted: bool = False
    stopped: str = ""  # why the pool or cluster stopped the batch, if it did
    seconds: float = 0.0
    backend: str = ""
    first_error: str = ""
    warnings: list[str] = field(default_factory=list)

    def text(self) -> str:
        rate = f", {self.ran / self.seconds:.1f} runs/s" if self.seconds > 0 and self.ran else ""
        lines = [
            (
                f"{self.name}: {self.ran} runs this session ({self.before} already on disk) on {self.backend}, "
                f"{self.seconds:.1f} s{rate}"
            )
        ]
        done = self.total - self.remaining
        lines.append(
            f"{done} of {self.total} runs on disk, {self.failed_total} failed"
            + (f" (first error: {self.first_error})" if self.first_error else "")
        )
        if self.stopped:
            lines.append(f"stopped: {self.stopped}; finished runs are saved; run the same command again to resume")
        elif self.interrupted:
            lines.append("interrupted: finished runs are saved; run the same command again to resume")
        elif self.remaining:
            lines.append(f"{self.remaining} runs remain; run the same command again to continue")
        lines.append(f"results: {self.out}/  (report: python run.py report {self.out})")
        return "\n".join(lines)


class Interrupted(KeyboardInterrupt):
    """Ctrl-C or SIGTERM stopped the batch once its finished runs were saved: a ``KeyboardInterrupt``, so that a
    script or notebook that called the batch stops too; ``summary`` says what is on disk."""

    def __init__(self, summary: Summary):
        super().__init__(summary.text())
        self.summary = summary
