"""Training the topic model: the shipped labelled set plus staff corrections, a held-out score,
and the process-wide cache of the active version.

The shipped set is ``data/appeals_<CODE>.tsv``, one file per topic, lines ``style<TAB>text``
(a first line ``style<TAB>text`` is a header; blank lines and lines starting with ``#`` are
skipped).

The figure printed by ``warmhome opinions train`` is the macro-F1 on a stratified held-out
fifth (fixed seed) of a model fitted on the other four fifths; the version then activated is
refitted on every sample, so staff corrections all count.
"""

import threading
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from warmhome.opinions.classify import TopicModel, normalise, tokenize
from warmhome.opinions.topics import TOPIC_CODES

DATA_DIR = Path(__file__).resolve().parent / "data"
SEED = 2026
HELDOUT_SHARE = 0.2


@dataclass(frozen=True, slots=True)
class Sample:
    text: str
    topic: str
    style: str = ""


def _read_lines(path: Path) -> list[list[str]]:
    rows = []
    for line in path.read_text(encoding="utf-8-sig").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        rows.append(line.split("\t"))
    return rows


def load_shipped(data_dir: Path = DATA_DIR) -> list[Sample]:
    """The labelled texts shipped with the app (see the module docstring for the layout)."""
    samples: list[Sample] = []
    for code in TOPIC_CODES:
        path = data_dir / f"appeals_{code}.tsv"
        if not path.exists():
            continue
        for cells in _read_lines(path):
            if len(cells) < 2 or (cells[0].strip() == "style" and cells[1].strip() == "text"):
                continue
            text = "\t".join(cells[1:]).strip()
            if text:
                samples.append(Sample(text, code, cells[0].strip()))
    return samples


def build_pipeline() -> Any:
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import FeatureUnion, Pipeline

    words = TfidfVectorizer(
        tokenizer=tokenize,
        token_pattern=None,
        lowercase=False,
        sublinear_tf=True,
    )
    # Single characters and pairs: longer n-grams and word pairs cost speed for no gain on the
    # shipped set (held-out macro-F1 0.907-0.914 against 0.920, docs/benchmarks.md).
    characters = TfidfVectorizer(analyzer="char", ngram_range=(1, 2), sublinear_tf=True)
    return Pipeline(
        [
            ("features", FeatureUnion([("words", words), ("characters", characters)])),
            ("classifier", LogisticRegression(C=20.0, max_iter=3000)),
        ]
    )


@dataclass
class Evaluation:
    macro_f1: float
    training_size: int
    heldout_size: int
    #: topic code → {"precision", "recall", "f1", "support"}
    per_class: dict[str, dict[str, float]] = field(default_factory=dict)


def evaluate(samples: Sequence[Sample], *, seed: int = SEED) -> Evaluation:
    """Fit on a stratified four fifths, score the held-out fifth."""
    from sklearn.metrics import f1_score, precision_recall_fscore_support
    from sklearn.model_selection import train_test_split

    texts = [normalise(sample.text) for sample in samples]
    topics = [sample.topic for sample in samples]
    counts = Counter(topics)
    stratify = topics if min(counts.values()) >= 2 else None
    train_x, test_x, train_y, test_y = train_test_split(
        texts, topics, test_size=HELDOUT_SHARE, random_state=seed, stratify=stratify
    )
    pipeline = build_pipeline().fit(train_x, train_y)
    predicted = pipeline.predict(test_x)
    labels = sorted(set(test_y) | set(train_y))
    precision, recall, f1, support = precision_recall_fscore_support(
        test_y, predicted, labels=labels, zero_division=0
    )
    per_class = {
        code: {
            "precision": round(float(precision[index]), 4),
            "recall": round(float(recall[index]), 4),
            "f1": round(float(f1[index]), 4),
            "support": int(support[index]),
        }
        for index, code in enumerate(labels)
    }
    macro = float(f1_score(test_y, predicted, labels=labels, average="macro", zero_division=0))
    return Evaluation(round(macro, 4), len(train_x), len(test_x), per_class)


def fit_all(samples: Sequence[Sample]) -> TopicModel:
    pipeline = build_pipeline().fit(
        [normalise(sample.text) for sample in samples], [sample.topic for sample in samples]
    )
    return TopicModel(pipeline)


# --- the active version, cached per process ---------------------------------------------------

_cache_lock = threading.Lock()
_cached: tuple[int, TopicModel] | None = None


def active_model() -> tuple[Any, TopicModel] | None:
    """The active ``ModelVersion`` and its loaded model, or ``None`` before the first training.

    One small query per call finds which version is active; the payload is loaded only when
    that changes, so a retraining in the worker reaches every web process on its next call.
    """
    global _cached
    from warmhome.opinions.models import ModelVersion

    version = ModelVersion.objects.filter(is_active=True).defer("payload").first()
    if version is None:
        return None
    with _cache_lock:
        if _cached is None or _cached[0] != version.pk:
            payload = ModelVersion.objects.values_list("payload", flat=True).get(pk=version.pk)
            _cached = (version.pk, TopicModel.from_payload(bytes(payload)))
        return version, _cached[1]


def warm_up() -> None:
    """Initialise jieba and load the active model now (a web process starting): the first
    opinion submitted would otherwise wait a second or more for both."""
    tokenize("妇联")
    active_model()


def forget_cached_model() -> None:
    global _cached
    with _cache_lock:
        _cached = None
