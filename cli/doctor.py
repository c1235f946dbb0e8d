"""`konspekt doctor`: check the installation and run the offline self-test (no login)."""

from __future__ import annotations

import argparse
import json
from dataclasses import asdict

from rich.markup import escape
from rich.table import Table

from cli.console import console
from cli.text import N_, N_plural, t
from core import (
    Check,
    CheckStatus,
    Policy,
    PolicyInvalid,
    SelfTestReport,
    Settings,
    run_checks,
    run_self_test,
)

_STYLE = {CheckStatus.OK: "green", CheckStatus.WARN: "yellow", CheckStatus.FAIL: "bold red"}


def run(args: argparse.Namespace, lang: str) -> int:
    """Print every check (a table, or JSON); 1 when any failed, else 0."""
    overrides = {"key_store": args.key_store} if args.key_store else {}
    try:
        settings = Settings.load(args.data_dir, **overrides)
        checks = run_checks(settings, lang)
    except PolicyInvalid as exc:  # reported as the failed check it is; the rest still runs
        settings = Settings.load(args.data_dir, policy=Policy(), **overrides)
        problem = Check("policy", CheckStatus.FAIL, exc.user_message(lang))
        checks = [problem if c.name == "policy" else c for c in run_checks(settings, lang)]
    report = None
    if args.self_test:
        if args.json:
            report = run_self_test(settings, lang, demo=args.demo)
        else:
            with console.status(t("doctor_running", lang)):
                report = run_self_test(settings, lang, demo=args.demo)
        checks.append(report.as_check(lang))
    failed = sum(c.status is CheckStatus.FAIL for c in checks)
    if args.json:
        print(json.dumps(_as_json(checks, report, failed == 0), ensure_ascii=False, indent=2))
    else:
        _print(checks, report, lang)
        key = N_plural("doctor_summary_fail") if failed else N_("doctor_summary_ok")
        console.print(t(key, lang, count=failed), style="red" if failed else "green")
    return 1 if failed else 0


def _label(name: str, lang: str) -> str:
    key = f"doctor_check_{name}"
    try:
        return t(key, lang)
    except KeyError:  # a library: its own name
        return name


def _print(checks: list[Check], report: SelfTestReport | None, lang: str) -> None:
    table = Table(title=t("doctor_title", lang), show_lines=False)
    table.add_column(t("doctor_col_check", lang), no_wrap=True)
    table.add_column(t("doctor_col_status", lang), no_wrap=True)
    table.add_column(t("doctor_col_detail", lang), overflow="fold")
    for check in checks:
        status = f"[{_STYLE[check.status]}]{t(f'doctor_{check.status.value}', lang)}[/]"
        table.add_row(_label(check.name, lang), status, escape(check.detail))
    console.print(table)
    if report is None:
        return
    steps = Table(title=t("doctor_steps", lang))
    steps.add_column(t("doctor_col_step", lang), no_wrap=True)
    steps.add_column(t("doctor_col_seconds", lang), justify="right")
    steps.add_column(t("doctor_col_detail", lang), overflow="fold")
    for step in report.steps:
        mark = "" if step.ok else "[bold red]✗[/] "
        steps.add_row(step.name, f"{step.seconds:.2f}", mark + escape(step.detail))
    console.print(steps)
    style = "red" if report.attempts else "green"
    console.print(t("doctor_attempts", lang, count=len(report.attempts)), style=style)
    for attempt in report.attempts:
        line = f"  {attempt.event} → {attempt.target} ({attempt.thread})"
        console.print(line, style="red", markup=False)
    if report.processes:
        names = ", ".join(sorted({p.target for p in report.processes}))
        console.print(t("doctor_processes", lang, names=names), style="dim", markup=False)


def _as_json(checks: list[Check], report: SelfTestReport | None, ok: bool) -> dict[str, object]:
    """What IT scripts read: every check, the self-test's steps and network attempts."""
    self_test = None
    if report is not None:
        self_test = {
            "ok": report.ok,
            "model": report.model,
            "is_demo": report.is_demo,
            "seconds": round(report.seconds, 3),
            "steps": [asdict(s) for s in report.steps],
            "network_attempts": [asdict(a) for a in report.attempts],
            "processes": [asdict(p) for p in report.processes],
            "sources": list(report.cited),
            "answer": report.answer,
        }
    return {
        "ok": ok,
        "checks": [{"name": c.name, "status": c.status.value, "detail": c.detail} for c in checks],
        "self_test": self_test,
    }


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add `doctor` to the parser."""
    p = sub.add_parser(
        "doctor", help="check this installation and run the offline self-test (no login)"
    )
    p.add_argument(
        "--self-test",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="index a sample and ask about it offline, recording network attempts (default: on)",
    )
    p.add_argument(
        "--demo", action="store_true", help="self-test with the small packaged demo model (fast)"
    )
    p.add_argument("--json", action="store_true", help="print the findings as JSON")
    p.set_defaults(standalone=run)
