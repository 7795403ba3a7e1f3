"""The science commands of run.py: validate, calibrate, discover and findings (thin wrappers)."""

from __future__ import annotations

import argparse
from pathlib import Path

from experiments.cli.batch_cli import integer
from experiments.runner.single import RESULTS
from experiments.safe_io import outdir
from model import scenario as scenarios
from model.errors import InputError
from model.inputs import parse_settings, read_regular

DOCS = scenarios.ROOT / "docs"
POSTERIOR = scenarios.ROOT / "data" / "posterior.csv"
SET_HELP = "override a parameter by its dotted key (repeatable), e.g. --set host.w_diversification=0"


def share(text: str) -> float:
    """A number in (0, 1] for argparse."""
    try:
        value = float(text)
    except ValueError:
        value = float("nan")
    if not 0 < value <= 1:
        raise argparse.ArgumentTypeError(f"got {text!r}; allowed: a number in (0, 1]")
    return value


def _workers(value: int | None) -> int:
    from experiments.runner.replicates import default_workers

    return value or default_workers()


def cmd_validate(args: argparse.Namespace) -> int:
    from experiments.science import validation as V

    posterior = V.load_posterior(Path(args.posterior)) if args.posterior else None
    block = V.BLOCK[posterior is not None]
    V.check_doc(Path(args.doc), block)  # before any seed runs
    outdir.usable(Path(args.out), "--out", links=True)
    previous = Path(args.previous) if args.previous else None
    if previous is not None and not (previous / "model").is_dir():
        raise InputError(args.previous, "--previous", "no model/ folder; allowed: a checkout of an earlier revision")
    overrides = parse_settings(args.set) if args.set else {}
    out = Path(args.out) / ("posterior" if posterior is not None else "defaults")
    content, verdict, frame = V.report(
        args.seeds,
        overrides,
        _workers(args.workers),
        not args.no_variants,
        previous,
        posterior,
        not args.quiet,
        out,
        rerun=not args.no_run,
        resume=args.resume,
    )
    V.write_report(content, block, frame, Path(args.doc), out)
    print(verdict)
    print(f"wrote {args.doc} ({block.lower()}) and {out}/per_seed.csv")
    return 0


def cmd_calibrate(args: argparse.Namespace) -> int:
    from experiments.science import calibrate as C
    from experiments.science import hindcast as H

    C.check_doc(Path(args.doc))  # every place it writes, before any draw runs
    outdir.writable_file(Path(args.doc), "--doc")
    outdir.writable_file(Path(args.posterior), "--posterior")
    outdir.usable(RESULTS / "calibration", "results", links=True)
    if args.pool:
        from model.inputs import read_csv

        frame = read_csv(Path(args.pool), "a pool of prior draws (python run.py calibrate)", "--pool", tuple(C.PRIORS))
    else:
        frame = C.pool(args.draws, _workers(args.workers), not args.quiet)
    posterior = C.accept(frame, H.observed().contested, args.accept)
    table = C.write(frame, posterior, args.accept, Path(args.doc), Path(args.posterior), RESULTS / "calibration")
    print(table)
    print(f"\nwrote {args.posterior} ({len(posterior)} draws) and the posterior summary in {args.doc}")
    print(f"next: python run.py validate --posterior {args.posterior}")
    return 0


def cmd_discover(args: argparse.Namespace) -> int:
    from experiments.runner import batch, design
    from experiments.science import discover

    exp = design.load(args.file)
    folder = Path(args.results) if args.results else RESULTS / exp.name
    out = Path(args.out) if args.out else folder / "discovery"
    if not args.no_run:
        des = design.expand(exp)
        try:
            summary = batch.run_experiment(exp, des, folder, workers=_workers(args.workers), progress=not args.quiet)
        except batch.Interrupted as stop:
            print(stop.summary.text())
            return 130
        if summary.failed_total or summary.stopped:
            print(summary.text())
            return 1
    print(discover.discover(folder, args.where, args.boxes, args.density, out))
    print(f"wrote {out}/discovery.md")
    return 0


def cmd_compare(args: argparse.Namespace) -> int:
    from experiments.science import compare

    a, b = (Path(x) if Path(x).is_dir() or "/" in x else RESULTS / x for x in (args.a, args.b))
    if args.out is not None:
        outdir.usable(Path(args.out), "--out", links=True)
    table = compare.compare(a, b)
    text = compare.report(table, a, b)
    if args.out is not None:
        compare.write(table, text, Path(args.out))
    print(text)
    return 0


def cmd_study(args: argparse.Namespace) -> int:
    from experiments.science import study
    from experiments.science import validation as V

    doc = Path(args.doc)
    V.check_text(doc, study.BLOCK, study.COMMAND)  # before any run
    outdir.usable(Path(args.out), "--out", links=True)
    posterior = None if args.no_posterior else V.load_posterior(Path(args.posterior))
    rules = ("full model",) if args.full_only else tuple(study.RULES)
    records = study.run(args.seeds, _workers(args.workers), posterior, not args.quiet, rules)
    study.save(records, Path(args.out))
    if args.full_only:  # no ablation: the baseline's records only (e.g. at the defaults, for docs/findings.md)
        print(f"wrote {args.out}/records.csv (the full model only); next: python run.py findings")
        return 0
    table = study.ablation_table(records)
    study.write_block(doc, table)
    print(table)
    print(f"\nwrote {args.out}/records.csv and the ablation table in {doc}; next: python run.py findings")
    return 0


def cmd_findings(args: argparse.Namespace) -> int:
    from experiments.science import findings

    read_regular(Path(args.doc), "the Markdown file with the findings markers", key="--doc")
    only = tuple(b.strip() for b in args.blocks.split(",") if b.strip()) if args.blocks else ()
    findings.write(Path(args.doc), Path(args.results), only)
    names = [findings.NEEDS[b] for b in only] if only else findings.EXPERIMENTS
    print(f"wrote {args.doc} from {args.results}/{{{','.join(names)}}}")
    return 0


def _common(p: argparse.ArgumentParser) -> None:
    p.add_argument("--workers", type=integer(1, 4096), default=None, help="processes (default: all cores)")
    p.add_argument("--quiet", action="store_true", help="no progress bar")


def register(sub) -> None:
    """Add validate, calibrate, discover and findings to run.py's subparsers."""
    v = sub.add_parser(
        "validate",
        help="patterns, hindcast and wrong variants from 2022 (rewrites docs/validation.md)",
        description="Run the 2022 start over many seeds: behaviour patterns, a deposit-level hindcast against two "
        "nulls (and a previous revision with --previous), and deliberately wrong variants of the model.",
        epilog="examples:\n  python run.py validate\n  python run.py validate --set host.w_diversification=0\n"
        "  python run.py validate --posterior data/posterior.csv\n"
        "  python run.py validate --previous ../rev0   # a checkout of an earlier revision",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    v.add_argument("--seeds", type=integer(2, 100000), default=50, help="seeds (default 50)")
    v.add_argument("--set", action="append", default=[], metavar="KEY=VALUE", help=SET_HELP)
    v.add_argument("--no-variants", action="store_true", help="skip the deliberately wrong variants")
    v.add_argument("--no-run", action="store_true", help="render the block from the runs on disk (under --out)")
    v.add_argument("--resume", action="store_true", help="keep runs already on disk for the same seeds (same settings)")
    v.add_argument("--previous", help="checkout of an earlier revision to score on the same hindcast")
    v.add_argument("--posterior", help="posterior draws (CSV from calibrate): seed i runs with draw i mod K")
    v.add_argument("--doc", default=str(DOCS / "validation.md"), help="report to update")
    v.add_argument("--out", default=str(RESULTS / "validation"), help="folder for per-seed values")
    _common(v)
    v.set_defaults(func=cmd_validate)

    c = sub.add_parser("calibrate", help="rejection ABC over a pool of prior draws (patterns and the hindcast)")
    c.add_argument("--draws", type=integer(2, 1000000), default=5000, help="prior draws, one seed each (5000)")
    c.add_argument("--accept", type=share, default=0.02, help="accept this share of closest draws (0.02)")
    c.add_argument("--pool", help="a pool already run (results/calibration/pool.csv): refit without running")
    c.add_argument("--posterior", default=str(POSTERIOR), help="draws file to write")
    c.add_argument("--doc", default=str(DOCS / "validation.md"), help="report to update")
    _common(c)
    c.set_defaults(func=cmd_calibrate)

    d = sub.add_parser(
        "discover",
        help="scenario discovery: PRIM boxes where a condition on the runs holds",
        epilog='example:\n  python run.py discover policy_failure --where "eu_supply_security_2040 < 0.0195"',
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    d.add_argument("file", help="experiment TOML (an LHS of levers and uncertainties), or its name")
    d.add_argument(
        "--where",
        required=True,
        help="failure condition over the runs table's columns: names, numbers, comparisons, and/or/not",
    )
    d.add_argument("--boxes", type=integer(1, 10), default=2, help="boxes to peel (default 2)")
    d.add_argument("--density", type=share, default=0.8, help="density a box must reach (default 0.8)")
    d.add_argument("--results", help="experiment results folder (default results/<name>)")
    d.add_argument("--out", help="report folder (default <results>/discovery)")
    d.add_argument("--no-run", action="store_true", help="use the results on disk; run nothing")
    _common(d)
    d.set_defaults(func=cmd_discover)

    cmp = sub.add_parser(
        "compare",
        help="two experiments' effects side by side (each swept parameter, low to high, on each outcome)",
        epilog="example:\n  python run.py compare results/delay_cost results/delay_cost_v2 --out results/compare",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    cmp.add_argument("a", help="results folder of an experiment (or its name under results/)")
    cmp.add_argument("b", help="the other results folder (or name)")
    cmp.add_argument("--out", help="also write compare.md and compare.csv here")
    cmp.set_defaults(func=cmd_compare)

    s = sub.add_parser(
        "study",
        help="the full model and each rule switched off, over the same seeds (ablation table in docs/ODD.md)",
    )
    s.add_argument("--seeds", type=integer(2, 100000), default=50, help="seeds per rule (default 50)")
    s.add_argument("--posterior", default=str(POSTERIOR), help="posterior draws: seed i runs with draw i mod K")
    s.add_argument("--no-posterior", action="store_true", help="run every seed at the parameters' defaults")
    s.add_argument("--doc", default=str(DOCS / "ODD.md"), help="document holding the ablation block")
    s.add_argument("--full-only", action="store_true", help="run the full model only; write no ablation block")
    s.add_argument("--out", default=str(RESULTS / "study"), help="folder for the per-seed records")
    _common(s)
    s.set_defaults(func=cmd_study)

    f = sub.add_parser("findings", help="rewrite the tables of docs/findings.md from the experiments' results")
    f.add_argument("--doc", default=str(DOCS / "findings.md"), help="document to update")
    f.add_argument("--results", default=str(RESULTS), help="folder holding the experiments' results")
    f.add_argument("--blocks", default="", help="rewrite only these blocks (comma-separated, e.g. DELAY_WINDOW)")
    f.set_defaults(func=cmd_findings)
