"""The command line: thin wrappers over experiments/. Bad input is one line on stderr and exit status 2."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from experiments.cli import analysis_cli, batch_cli, slow_start, stdout
from experiments.cli.batch_cli import integer
from experiments.runner.backends import BackendError
from experiments.runner.single import DEFAULT_SEED, RESULTS, check_out, run_model, safe_name, summary, write_results
from experiments.safe_io.interrupts import Interrupts
from model import scenario as scenarios
from model.errors import InputError, escape
from model.inputs import parse_settings

SET_HELP = (
    "override a parameter by its dotted key, e.g. --set eu.delay_mean_q=6 (repeatable; values in TOML syntax; "
    "checked like a scenario file)"
)


class Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # one line, exit 2
        self.exit(2, f"{self.prog}: error: {escape(message)}\n")


def with_settings(scn: scenarios.Scenario, settings: list[str]) -> scenarios.Scenario:
    """The scenario with ``--set KEY=VALUE`` overrides, checked as a scenario file's are."""
    return scn.with_overrides(parse_settings(settings), "--set") if settings else scn


def cmd_run(args: argparse.Namespace) -> int:
    scn = with_settings(scenarios.load(args.scenario), args.set)
    if args.name is not None:
        safe_name(args.name, "--name", "name")
    if args.out is not None:
        out = Path(args.out)
    else:  # a name from the scenario file is that file's fault, not --name's
        out = RESULTS / (args.name if args.name is not None else safe_name(scn.name, scn.where, "name"))
    check_out(out)  # before the run: a folder the results may not replace costs nothing
    started = time.perf_counter()
    with slow_start.notice():
        model = run_model(scn, args.seed, args.steps)
    write_results(model, scn, args.seed, out)
    print(summary(model, args.seed))
    print(f"\nwrote {out}/ ({time.perf_counter() - started:.2f} s)")
    return 0


def cmd_scenarios(args: argparse.Namespace) -> int:
    for name in scenarios.names():
        scn = scenarios.load(name)
        print(f"{name:<20} {scn.description}")
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    """The scenario, then its model built as ``run`` builds it: every table it names read and checked, so that a
    scenario ``check`` passes is one ``run`` accepts."""
    scn = scenarios.load(args.file)
    model = scn.build(rng=DEFAULT_SEED)
    print(f"{scn.path}: ok ({len(scn.overrides)} overrides, {len(model.deposits.table)} deposits, every table read)")
    return 0


def cmd_dashboard(args: argparse.Namespace) -> int:
    from dashboard.launch import main as launch

    return launch(args.port)


def build_parser() -> argparse.ArgumentParser:
    parser = Parser(
        prog="run.py",
        description="The Great Game model: EU, China, US, Russia, Japan/Korea and private investors compete "
        "for Kazakhstan's critical-mineral deposits, quarter by quarter. With no command, runs the baseline "
        "(2026Q1-2050Q4) and writes results/baseline/.",
        epilog="examples:\n  python run.py\n  python run.py run --scenario eu_fast_track --seed 7\n"
        "  python run.py scenarios\n  python run.py check scenarios/baseline.toml\n  python run.py dashboard",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    sub = parser.add_subparsers(dest="command", parser_class=Parser)
    run = sub.add_parser("run", help="run one scenario and write its results folder")
    run.add_argument("--scenario", default="baseline", help="scenario name (see 'scenarios') or TOML path")
    run.add_argument(
        "--seed",
        type=integer(0, 2**63 - 1, "2**63-1"),
        default=DEFAULT_SEED,
        help=f"random seed (default {DEFAULT_SEED})",
    )
    run.add_argument("--steps", type=integer(1, 1000), default=100, help="quarters to run (default 100)")
    run.add_argument("--out", help="results folder (default results/<name>)")
    run.add_argument("--name", help="name of the results folder under results/ (default: scenario name)")
    run.add_argument("--set", action="append", default=[], metavar="KEY=VALUE", help=SET_HELP)
    run.set_defaults(func=cmd_run)
    sub.add_parser("scenarios", help="list the scenarios, one line each").set_defaults(func=cmd_scenarios)
    check = sub.add_parser("check", help="validate a scenario file and every table it names")
    check.add_argument("file", help="scenario TOML file or name")
    check.set_defaults(func=cmd_check)
    board = sub.add_parser(
        "dashboard",
        help="the live dashboard in the browser (http://127.0.0.1:8765/)",
        description="Serve the dashboard on 127.0.0.1 (installs Solara's browser assets once; then offline).",
    )
    board.add_argument("--port", type=integer(0, 65535), default=8765, help="port (default 8765; 0: any free one)")
    board.set_defaults(func=cmd_dashboard)
    batch_cli.register(sub)
    analysis_cli.register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run one command; bad input is one line and exit 2, Ctrl-C or SIGTERM one line and exit 130, output lost
    to stdout (full, or a closed pipe) one line and exit 1 once the command has finished."""
    parser = build_parser()
    argv = sys.argv[1:] if argv is None else argv
    args = parser.parse_args(argv or ["run"])
    with stdout.guarded() as guard:
        code = dispatch(args)
    if guard.error is not None and not isinstance(guard.error, BrokenPipeError):
        print(stdout.lost(guard, code), file=sys.stderr)
        return code or 1
    return code


def dispatch(args: argparse.Namespace) -> int:
    """Run the parsed command, turning bad input and interrupts into one line and their exit status."""
    try:
        with Interrupts():
            return args.func(args)
    except InputError as exc:
        print(f"run.py: error: {exc}", file=sys.stderr)
    except KeyboardInterrupt:
        print(f"run.py: {args.command or 'run'}: interrupted", file=sys.stderr)
        return 130
    except BackendError as exc:  # the pool or cluster failed before any run: nothing is lost
        print(f"run.py: error: {exc}; runs on disk are kept: run the same command again", file=sys.stderr)
        return 1
    except OSError as exc:  # the last net: a path the checks above did not foresee (a name too long, ...)
        where = exc.filename if exc.filename is not None else "file"
        print(
            f"run.py: error: {InputError(where, 'file', f'{exc.strerror or exc}; allowed: a usable path')}",
            file=sys.stderr,
        )
    return 2
