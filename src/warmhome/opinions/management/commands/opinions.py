"""``warmhome opinions train`` and ``warmhome opinions classify FILE``.

train: trains on the shipped labelled set plus staff corrections, prints the held-out macro-F1
(stratified fifth, fixed seed) and per-topic figures, and activates the new version.

classify: reads FILE as UTF-8 (``-`` for standard input), one opinion per line, and prints one
topic code per line, in order, and nothing else on standard output. An empty line, or a line
without Chinese, prints ``OTHER``: exactly one output line per input line, always. Bytes that
are not UTF-8 are replaced rather than refused. The active keyword rules of the district(s)
apply, or those of ``--org CODE``. On a fresh database without a model, one is trained from the
shipped set first (a note goes to standard error).
"""

import sys
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from warmhome.opinions import classify, services, training
from warmhome.opinions.models import KeywordRule
from warmhome.orgs.models import OrgUnit

BATCH = 2000


class Command(BaseCommand):
    help = (
        "妇情民意分类：train 训练并启用新模型（打印留出集宏平均 F1）；"
        "classify FILE 逐行输出主题代码。"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        commands = parser.add_subparsers(dest="subcommand", required=True)
        commands.add_parser("train", help="用随附标注集与人工校正训练新模型并启用。")
        run = commands.add_parser(
            "classify", help="逐行分类 UTF-8 文本文件，每行输出一个主题代码。"
        )
        run.add_argument("file", help="文本文件路径，“-” 表示标准输入")
        run.add_argument("--org", default="", help="按该组织（统计代码）及上级的关键词规则分类")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["subcommand"] == "train":
            self._train()
        else:
            self._classify(options["file"], options["org"])

    def _train(self) -> None:
        try:
            version, evaluation = services.model_version_train(actor=None)
        except ValidationError as problem:
            raise CommandError("；".join(problem.messages)) from None
        out = self.stdout
        out.write(
            f"model v{version.version}: {version.training_size} samples "
            f"({version.corrections} staff corrections); held-out {evaluation.heldout_size}"
        )
        out.write(f"held-out macro-F1: {evaluation.macro_f1:.4f}")
        out.write(f"{'topic':<10} {'precision':>9} {'recall':>7} {'f1':>7} {'support':>8}")
        for code, figures in evaluation.per_class.items():
            out.write(
                f"{code:<10} {figures['precision']:>9.3f} {figures['recall']:>7.3f} "
                f"{figures['f1']:>7.3f} {int(figures['support']):>8d}"
            )

    def _rules(self, org_code: str) -> list[classify.CompiledRule]:
        if org_code:
            unit = OrgUnit.objects.filter(code=org_code).first()
            if unit is None:
                raise CommandError(f"no organisation with code {org_code!r}")
            return services.rules_for(unit)
        return classify.compile_rules(
            KeywordRule.objects.active().filter(org__depth=1).order_by("-priority", "pk")
        )

    def _model(self) -> classify.TopicModel:
        active = training.active_model()
        if active is None:
            sys.stderr.write("No topic model yet: training one from the shipped set first.\n")
            services.model_version_train(actor=None)
            active = training.active_model()
        if active is None:
            raise CommandError("could not train a topic model")
        return active[1]

    def _classify(self, path: str, org_code: str) -> None:
        rules = self._rules(org_code)
        model = self._model()
        if path == "-":
            self._label_lines(sys.stdin.buffer, model, rules)
            return
        try:
            with open(path, "rb") as stream:
                self._label_lines(stream, model, rules)
        except OSError as problem:
            raise CommandError(f"cannot read {path}: {problem.strerror}") from None

    def _label_lines(
        self, stream: Any, model: classify.TopicModel, rules: list[classify.CompiledRule]
    ) -> None:
        # Lines are split on b"\n" only, as wc -l counts them; bytes that are not UTF-8 are
        # replaced, so every line gets its code whatever the file holds.
        write = sys.stdout.write
        batch: list[str] = []
        for raw in stream:
            batch.append(raw.decode("utf-8", errors="replace").rstrip("\r\n").lstrip("\ufeff"))
            if len(batch) >= BATCH:
                write(self._codes(batch, model, rules))
                batch = []
        if batch:
            write(self._codes(batch, model, rules))
        sys.stdout.flush()

    @staticmethod
    def _codes(
        batch: list[str], model: classify.TopicModel, rules: list[classify.CompiledRule]
    ) -> str:
        labels = classify.label_texts(batch, model=model, rules=rules)
        return "".join(f"{label.topic}\n" for label in labels)
