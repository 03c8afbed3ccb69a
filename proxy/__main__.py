"""`python -m proxy serve|demo-origin|check|report`: parse flags, load config, run or report."""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path

from proxy.errors import ConfigError


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m proxy",
                                     description="Barrier-Free Proxy: an accessibility proxy")
    sub = parser.add_subparsers(dest="command", required=True)
    serve = sub.add_parser("serve", help="serve the barrier-free mode of the origin(s)")
    serve.add_argument("--config", default=None, help="config file (default ./config.yaml)")
    serve.add_argument("--listen", help="HOST:PORT (default from config, 127.0.0.1:8080)")
    serve.add_argument("--upstream", help="origin URL, or 'demo' for the embedded demo site")
    serve.add_argument("--rules", help="rules directory (default from config, ./rules)")
    serve.add_argument("--workers", type=int, help="worker processes (default from config)")
    serve.add_argument("--log-format", choices=("text", "json"))
    demo = sub.add_parser("demo-origin", help="serve the embedded legacy demo site alone")
    demo.add_argument("--listen", default="127.0.0.1:8081", help="HOST:PORT")
    check = sub.add_parser("check", help="validate rule files")
    check.add_argument("--rules", default=None, help="rules directory (default ./rules)")
    check.add_argument("--config", default=None, help="config file (default ./config.yaml)")
    check.add_argument("--explain", metavar="URL", help="show which rules match a page")
    check.add_argument("--docs", action="store_true", help="print the rule-file reference")
    report = sub.add_parser("report", help="measure pages before and after (needs .[report])")
    report.add_argument("targets", nargs="+", metavar="URL_OR_PATH",
                        help="page URLs of one origin, or paths on the configured upstream")
    report.add_argument("--config", default=None, help="config file (default ./config.yaml)")
    report.add_argument("--out", default="a11y-report", help="output directory")
    report.add_argument("--crawl", type=int, default=0, metavar="N",
                        help="follow same-site links, up to N pages in all")
    return parser


def _report(args: argparse.Namespace) -> int:
    import asyncio
    from pathlib import Path

    from proxy.config.load import load_settings
    from proxy.report.render import summary
    from proxy.report.run import TargetError, build_report
    from proxy.report.tools import ToolMissing

    logging.getLogger().setLevel(logging.WARNING)  # the summary, not an access log per request
    try:
        settings = load_settings(args.config or "config.yaml", required=args.config is not None)
        report = asyncio.run(build_report(
            settings, args.targets, Path(args.out), args.crawl,
            progress=lambda page: print(f"measured {page['original_url']}", file=sys.stderr)))
    except ConfigError as exc:
        print(exc, file=sys.stderr)
        return 2
    except (ToolMissing, TargetError) as exc:
        print(f"report: {exc}", file=sys.stderr)
        return 2
    sys.stdout.write(summary(report))
    print(f"written: {Path(args.out) / 'report.html'}, {Path(args.out) / 'report.json'}")
    return 0


def _load(args: argparse.Namespace):
    from proxy.config.load import apply_overrides, load_settings

    settings = load_settings(args.config or "config.yaml", required=args.config is not None)
    return apply_overrides(settings, listen=getattr(args, "listen", None),
                           upstream=getattr(args, "upstream", None), rules_dir=args.rules,
                           workers=getattr(args, "workers", None),
                           log_format=getattr(args, "log_format", None))


def _check(args: argparse.Namespace) -> int:
    from proxy.cli.check import run_check
    from proxy.siterules.schema import rules_reference

    if args.docs:
        sys.stdout.write(rules_reference())
        return 0
    if args.explain:
        from proxy.cli.explain import run_explain

        try:
            settings = _load(args)
        except ConfigError as exc:
            print(exc, file=sys.stderr)
            return 2
        return run_explain(settings, args.explain, sys.stdout)
    return run_check(args.rules or "rules")


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    if args.command == "demo-origin":
        from proxy.demo import run_demo_origin

        run_demo_origin(args.listen)
        return 0
    if args.command == "check":
        return _check(args)
    if args.command == "report":
        return _report(args)
    from proxy.workers import serve

    try:
        settings = _load(args)
    except ConfigError as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        return 2
    if why := _missing_rules(settings.rules_dir, args.config):
        print(why, file=sys.stderr)
        return 2
    return serve(settings)


def _missing_rules(rules_dir: str, config: str | None) -> str | None:
    """One line when the rules directory is missing: started from the wrong directory, or a
    config naming a path that is not there. Serving without rules would only warn per reload."""
    path = Path(rules_dir)
    if path.is_dir():
        return None
    shown = rules_dir if path.is_absolute() else f"{rules_dir} (in {Path.cwd()})"
    hint = "" if config or Path("config.yaml").exists() else \
        "; there is no ./config.yaml here either: start from the install directory"
    return f"rules directory {shown} not found (set --rules or rules_dir in config.yaml){hint}"


if __name__ == "__main__":
    sys.exit(main())
