"""Classifying an opinion's text into one of the ten topics.

Precedence, strongest first:

1. a staff correction (``services.opinion_relabel``) is never overwritten by anything below;
2. an active keyword rule of the opinion's organisation or one above it: the first rule by
   priority (then the oldest) one of whose keywords occurs in the text decides the topic, with
   confidence 1 — rules cover what the model does not know yet, so they win over it;
3. the active model version: the most probable topic, its probability as the confidence.

A text without a single Chinese character, or empty, is ``OTHER`` with confidence 0: the model
has only seen Chinese, so its guess would be noise; it is left to staff.

The model is a scikit-learn pipeline (TF-IDF over jieba words and over character n-grams,
then logistic regression). jieba is initialised once per process, quietly and from the
dictionary it ships (it never downloads anything); HMM discovery of unknown words is off,
which is what makes 1,000 texts a second on one core possible, and long texts are cut to
their first ``CLASSIFY_MAX_CHARS`` characters before classifying (the topic is stated early).
"""

import html
import io
import logging
import pickle
import re
import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from warmhome.opinions.topics import Topic

#: characters of an opinion read by the classifier
CLASSIFY_MAX_CHARS = 600
_TAG = re.compile(r"<[^>]{0,500}>")
_SPACE = re.compile(r"\s+")
_CJK = re.compile(r"[\u3400-\u9fff]")
_KEYWORD_SEPARATORS = re.compile(r"[、,，;；\s]+")

_jieba_lock = threading.Lock()
_jieba_ready = False


def _jieba() -> Any:
    """jieba, initialised once per process without its stderr chatter."""
    global _jieba_ready
    import jieba

    if not _jieba_ready:
        with _jieba_lock:
            if not _jieba_ready:
                jieba.setLogLevel(logging.WARNING)
                logging.getLogger("jieba").setLevel(logging.WARNING)
                jieba.initialize()
                _jieba_ready = True
    return jieba


def tokenize(text: str) -> list[str]:
    """jieba words without HMM, blanks dropped (module level: the pickled pipeline names it)."""
    return [word for word in _jieba().lcut(text, HMM=False) if word.strip()]


def normalise(text: str) -> str:
    """The text the classifier reads: markup removed, entities decoded, blanks folded, cut."""
    plain = _TAG.sub(" ", html.unescape(text or ""))
    return _SPACE.sub(" ", plain).strip()[:CLASSIFY_MAX_CHARS]


def has_chinese(text: str) -> bool:
    return _CJK.search(text) is not None


def split_keywords(keywords: str) -> list[str]:
    return [word for word in _KEYWORD_SEPARATORS.split(keywords or "") if word]


@dataclass(frozen=True, slots=True)
class Label:
    topic: str
    confidence: float
    rule_id: int | None = None
    subtopic_id: int | None = None


@dataclass(frozen=True, slots=True)
class CompiledRule:
    rule_id: int
    topic: str
    subtopic_id: int | None
    keywords: tuple[str, ...]


def compile_rules(rules: Iterable[Any]) -> list[CompiledRule]:
    """Rules in precedence order (the queryset's ordering: priority, then age)."""
    compiled = []
    for rule in rules:
        words = tuple(word.lower() for word in split_keywords(rule.keywords))
        if words:
            compiled.append(CompiledRule(rule.pk, rule.topic, rule.subtopic_id, words))
    return compiled


def match_rule(text: str, rules: Sequence[CompiledRule]) -> CompiledRule | None:
    lowered = text.lower()
    for rule in rules:
        if any(word in lowered for word in rule.keywords):
            return rule
    return None


UNKNOWN = Label(Topic.OTHER.value, 0.0)


class TopicModel:
    """A fitted pipeline and the topic codes its probability columns stand for."""

    def __init__(self, pipeline: Any) -> None:
        self.pipeline = pipeline
        self.classes: list[str] = [str(code) for code in pipeline.classes_]

    @classmethod
    def from_payload(cls, payload: bytes) -> "TopicModel":
        _jieba()
        return cls(pickle.loads(bytes(payload)))  # noqa: S301  (see the import)

    def to_payload(self) -> bytes:
        buffer = io.BytesIO()
        pickle.dump(self.pipeline, buffer, protocol=pickle.HIGHEST_PROTOCOL)
        return buffer.getvalue()

    def predict(self, texts: Sequence[str]) -> list[Label]:
        """One label per text, in order (texts as given; normalised here)."""
        cleaned = [normalise(text) for text in texts]
        readable = [index for index, text in enumerate(cleaned) if has_chinese(text)]
        labels = [UNKNOWN] * len(cleaned)
        if readable:
            probabilities = self.pipeline.predict_proba([cleaned[index] for index in readable])
            best = probabilities.argmax(axis=1)
            for row, index in enumerate(readable):
                column = int(best[row])
                labels[index] = Label(self.classes[column], float(probabilities[row, column]))
        return labels


def label_text(text: str, *, model: TopicModel | None, rules: Sequence[CompiledRule] = ()) -> Label:
    """The label of one text: a rule if one matches, else the model's (see the precedence)."""
    cleaned = normalise(text)
    rule = match_rule(cleaned, rules) if cleaned else None
    if rule is not None:
        return Label(rule.topic, 1.0, rule.rule_id, rule.subtopic_id)
    if model is None or not has_chinese(cleaned):
        return UNKNOWN
    return model.predict([cleaned])[0]


def label_texts(
    texts: Sequence[str], *, model: TopicModel | None, rules: Sequence[CompiledRule] = ()
) -> list[Label]:
    """``label_text`` for many texts at once (the model runs once over the batch)."""
    cleaned = [normalise(text) for text in texts]
    labels: list[Label | None] = []
    for text in cleaned:
        rule = match_rule(text, rules) if text and rules else None
        labels.append(Label(rule.topic, 1.0, rule.rule_id, rule.subtopic_id) if rule else None)
    pending = [index for index, label in enumerate(labels) if label is None]
    if model is not None and pending:
        for index, label in zip(
            pending, model.predict([cleaned[index] for index in pending]), strict=True
        ):
            labels[index] = label
    return [label or UNKNOWN for label in labels]
