"""The ``experiment`` and ``report`` commands of ``run.py`` (registered by experiments/cli/main.py)."""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

from model.errors import InputError
from model.params import show

MAX_WORKERS = 1024
# a host name, an IPv4 address or a bracketed IPv6 address, then a port
_ADDRESS = re.compile(r"(tcp|tls)://([A-Za-z0-9][A-Za-z0-9.-]{0,252}|\[[0-9A-Fa-f:.]{2,45}\]):(\d{1,5})")


def integer(lo: int, hi: int, shown_hi: str | None = None):
    """An argparse type: an integer in [lo, hi] (the message shows the text cut short, however long)."""

    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:  # not an integer, or more digits than Python reads
            raise argparse.ArgumentTypeError(f"invalid integer {show(text)}") from None
        if not lo <= value <= hi:
            raise argparse.ArgumentTypeError(f"got {show(value)}; allowed: {lo} to {shown_hi or hi}")
        return value

    return parse


def _dask_address(text: str) -> str:
    """``local``, or ``tcp://HOST:PORT`` / ``tls://HOST:PORT`` (ucx:// and inproc:// cannot reach a cluster here)."""
    match = _ADDRESS.fullmatch(text)
    if text == "local" or (match and 1 <= int(match.group(3)) <= 65535):
        return text
    raise argparse.ArgumentTypeError(
        f"got {show(text)}; allowed: local, or a scheduler address tcp://HOST:PORT (or tls://) with a port 1-65535"
    )


def cmd_experiment(args: argparse.Namespace) -> int:
    from experiments.runner import batch, design
    from experiments.runner.single import RESULTS

    exp = design.load(args.file)  # refuses a design too big to build, before building it
    des = design.expand(exp)
    out = Path(args.out) if args.out is not None else RESULTS / exp.name
    # bad input is one line: check the folder and the model before describing the design
    batch.check_out_dir(exp, out)
    batch.preflight(exp)
    # on stdout, so that an error found later (a busy folder, an unreachable cluster) is the only line on stderr
    print(design.describe(exp, des))
    if args.dry_run:
        print(f"would write {out}/ (nothing written: --dry-run)")
        return 0
    workers = args.workers or batch.default_workers()
    try:
        summary = batch.run_experiment(
            exp,
            des,
            out,
            workers=workers,
            dask=args.dask,
            limit=args.limit,
            retry_failed=args.retry_failed,
            allow_model_change=args.allow_model_change,
            progress=not args.quiet,
        )
    except batch.Interrupted as stop:  # the finished runs are saved: say so, as a finished batch would
        print(stop.summary.text())
        return 130
    except KeyboardInterrupt:  # while starting or stopping; runs finished before are on disk
        print(f"{exp.name}: interrupted; {batch.on_disk(out)}; run the same command again to resume", file=sys.stderr)
        return 130
    print(summary.text())
    return 1 if summary.failed_total or summary.stopped else 0


def cmd_report(args: argparse.Namespace) -> int:
    from experiments.science import report

    folder = Path(args.folder)
    if not folder.is_dir():
        raise InputError(args.folder, "folder", "not found; allowed: a results folder written by 'run.py experiment'")
    dest = report.make_report(folder, Path(args.out) if args.out is not None else None)
    print(f"wrote {dest}/report.md")
    return 0


def register(sub) -> None:
    """Add the ``experiment`` and ``report`` subcommands to run.py's subparsers."""
    exp = sub.add_parser(
        "experiment",
        help="run a batch experiment (TOML design) and write results/<name>/",
        description="Expand an experiment file into runs (design point x replicate) and run them on this machine "
        "or a Dask cluster. Results stream to Parquet shards; re-running the same command resumes.",
        epilog="examples:\n  python run.py experiment delay_cost\n"
        "  python run.py experiment experiments/designs/window.toml --workers 2\n"
        "  python run.py experiment sensitivity_sobol --dask local\n"
        "  python run.py experiment policy_mix --dask tcp://scheduler:8786 --out /data/policy_mix\n"
        "exit status: 0 all runs ok, 1 some runs failed (recorded) or the pool/cluster stopped, 2 bad input, "
        "130 interrupted (Ctrl-C or SIGTERM)",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    exp.add_argument("file", help="experiment TOML file, or the name of one in experiments/")
    exp.add_argument(
        "--workers",
        type=integer(1, MAX_WORKERS),
        default=None,
        help="processes (default: all cores; 1 = in this process); with --dask local, Dask workers",
    )
    exp.add_argument(
        "--dask",
        type=_dask_address,
        metavar="local|tcp://HOST:PORT",
        help="run on Dask: 'local' starts a LocalCluster, otherwise the scheduler's address",
    )
    exp.add_argument("--out", help="results folder (default results/<experiment name>)")
    exp.add_argument("--limit", type=integer(1, 10**12), help="run at most this many of the pending runs, then stop")
    exp.add_argument("--retry-failed", action="store_true", help="run again the runs recorded as failed")
    exp.add_argument(
        "--allow-model-change",
        action="store_true",
        help="resume although the model code or deposit table changed (rows would mix model versions)",
    )
    exp.add_argument("--dry-run", action="store_true", help="check the file, print the number of runs, write nothing")
    exp.add_argument("--quiet", action="store_true", help="no progress bar")
    exp.set_defaults(func=cmd_experiment)

    rep = sub.add_parser(
        "report",
        help="plots and a Markdown summary of an experiment's results",
        description="Write report.md and PNG plots for a results folder of 'run.py experiment'.",
    )
    rep.add_argument("folder", help="results folder, e.g. results/delay_cost")
    rep.add_argument("--out", help="report folder (default <folder>/report)")
    rep.set_defaults(func=cmd_report)
