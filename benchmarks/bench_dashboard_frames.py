"""The dashboard's frames alone, without a browser or model steps: what the server spends a quarter on the views.

    .venv/bin/python benchmarks/bench_dashboard_frames.py [--repeats 5]

The baseline (seed 42) is run to its last quarter first; then a fresh ``Session`` with every fed view attached
(the map, the charts and, where the dashboard has it, the markets) moves its cursor over the 100 quarters
(``Session.advance``: the model does not step again). Reported: ms a quarter, wall clock and this process's CPU
(best of ``--repeats`` each: the CPU time says less about what else the machine runs), and the frames' bytes a
quarter.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from dashboard import session as S
from dashboard import sim


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeats", type=int, default=5)
    args = ap.parse_args(argv)
    model = sim.make_model("baseline", 42)
    model.run_for(sim.RUN_QUARTERS)
    views = [v for v in ("map", "charts", "markets") if hasattr(S, v.upper())]  # the markets view came later
    best, cpu, size = float("inf"), float("inf"), 0.0
    for _ in range(args.repeats):
        session, sent = S.Session(model), []
        for view in views:
            session.attach(view, lambda text, sent=sent: sent.append(len(text)))
        first = len(sent)  # the snapshots
        t, c = time.perf_counter(), time.process_time()
        while session.advance():
            pass
        best = min(best, (time.perf_counter() - t) / sim.RUN_QUARTERS * 1000)
        cpu = min(cpu, (time.process_time() - c) / sim.RUN_QUARTERS * 1000)
        size = sum(sent[first:]) / sim.RUN_QUARTERS
    print(
        f"views {', '.join(views)}: {best:.2f} ms a quarter, {cpu:.2f} ms CPU (best of {args.repeats} each), "
        f"{size:,.0f} bytes a quarter"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
