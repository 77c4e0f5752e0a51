"""``warmhome audit verify`` and ``warmhome audit prune --older-than DAYS``.

verify walks the hash chain and prints one line whose first word is ``OK`` (exit 0) or
``BROKEN`` (exit 1, naming the first broken entry); monitoring may grep it.

prune deletes entries older than DAYS from the start of the chain. Retention: the trail is kept
at least ``AUDIT_RETENTION_DAYS`` days (setting ``WARMHOME_AUDIT_RETENTION_DAYS``, never less than
185: GB/T 22239 asks for six months), and prune refuses anything younger. It refuses a broken
chain too. Afterwards the chain head holds an authenticated checkpoint where the kept chain
starts, so verify still proves the rest; the pruning is itself an audit entry.
"""

import argparse
import sys
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from warmhome.core.audit.services import auditentry_prune
from warmhome.core.audit.verify import CHUNK_SIZE, Problem, Verdict, verify_chain

PROBLEM_LABELS = {
    Problem.ALTERED: "altered content / 内容被篡改",
    Problem.MISSING: "missing entry (deleted) / 记录缺失（被删除）",
    Problem.INSERTED: "inserted or reordered entry / 记录被插入或调换",
    Problem.HEAD: "head mismatch / 链头不一致",
    Problem.CHECKPOINT: "checkpoint forged / 清理检查点被篡改",
}


def _positive(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        number = -1
    if number < 0:
        raise argparse.ArgumentTypeError(_("天数须为非负整数：%(value)s") % {"value": value})
    return number


class Command(BaseCommand):
    help = (
        "审计日志哈希链：verify 校验整条链（OK 退出码 0 / BROKEN 退出码 1）；"
        "prune --older-than DAYS 清理早于 DAYS 天的记录，DAYS 不得少于 AUDIT_RETENTION_DAYS"
        "（至少 185 天，等保要求日志保存不少于六个月），清理后链仍可校验。"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        commands = parser.add_subparsers(dest="subcommand", required=True)
        verify = commands.add_parser("verify", help="校验哈希链：内容、序号连续、前后链接、链头。")
        verify.add_argument("--chunk-size", type=int, default=CHUNK_SIZE)
        prune = commands.add_parser(
            "prune",
            help=(
                f"清理早于 DAYS 天的审计记录；DAYS 不得少于保存期限 "
                f"（当前 {settings.AUDIT_RETENTION_DAYS} 天）。"
            ),
        )
        prune.add_argument(
            "--older-than",
            dest="older_than",
            metavar="DAYS",
            type=_positive,
            required=True,
            help=(
                f"只清理早于 DAYS 天的记录；不得少于 AUDIT_RETENTION_DAYS"
                f"（当前 {settings.AUDIT_RETENTION_DAYS} 天，最少 185 天）。"
            ),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["subcommand"] == "verify":
            self._verify(options["chunk_size"])
        else:
            self._prune(options["older_than"])

    def _verify(self, chunk_size: int) -> None:
        verdict = verify_chain(chunk_size=chunk_size)
        if verdict.ok:
            self.stdout.write(
                "OK: "
                + _("已校验 %(count)d 条审计记录，哈希链完整。") % {"count": verdict.verified}
                + f" ({verdict.verified} entries verified)"
            )
            return
        self.stdout.write(self._broken_line(verdict))
        sys.exit(1)

    @staticmethod
    def _broken_line(verdict: Verdict) -> str:
        where = f"seq={verdict.seq} id={verdict.entry_id if verdict.entry_id else '-'}"
        return (
            f"BROKEN: {where} {PROBLEM_LABELS[verdict.problem]}: {verdict.message} "
            f"({verdict.verified} entries verified before it)"
        )

    def _prune(self, older_than: int) -> None:
        try:
            result = auditentry_prune(actor=None, older_than_days=older_than)
        except ValidationError as refused:
            raise CommandError(" ".join(refused.messages)) from refused
        self.stdout.write(
            "OK: "
            + _("已清理 %(count)d 条早于 %(cutoff)s 的审计记录，链从序号 %(seq)d 开始。")
            % {
                "count": result.deleted,
                "cutoff": result.cutoff.strftime("%Y-%m-%d %H:%M"),
                "seq": result.first_seq,
            }
        )
