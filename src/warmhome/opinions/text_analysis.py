"""What the texts say: keywords per topic, groups of near-duplicates, and names masked in quotes.

Keywords: the opinions of each topic in a period are one document among the topics' documents;
TF-IDF over jieba words then ranks the words that set a topic apart (a word every topic uses,
like 希望 or 问题, scores low by construction). Near-duplicates: TF-IDF over single characters and
character pairs, cosine similarity, and opinions joined when it reaches
``opinions.duplicate_similarity_min`` (groups are the connected parts). Character n-grams
catch the same matter told in other words better than word overlap, and need no segmentation.
"""

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from warmhome.core.masking import mask_name
from warmhome.opinions.classify import _jieba, normalise, tokenize

#: opinions read per topic for keywords, and per call for duplicates (the latest first)
KEYWORD_SAMPLE = 150
DUPLICATE_SAMPLE = 3000
_WORD = re.compile(r"^[\u3400-\u9fff]{2,}$")
STOPWORDS = frozenset(
    [
        "我们",
        "你们",
        "他们",
        "她们",
        "自己",
        "这个",
        "那个",
        "一个",
        "没有",
        "什么",
        "怎么",
        "现在",
        "已经",
        "还是",
        "因为",
        "所以",
        "但是",
        "可以",
        "希望",
        "问题",
        "情况",
        "反映",
        "相关",
        "部门",
        "进行",
        "需要",
        "能够",
        "如果",
        "这样",
        "还有",
        "一直",
        "非常",
        "比较",
        "就是",
        "不是",
        "时候",
        "目前",
        "大家",
        "群众",
        "建议",
        "请求",
        "帮助",
        "帮忙",
        "咨询",
    ]
)


def keywords_by_topic(
    texts_by_topic: Mapping[str, Sequence[str]], top: int = 10
) -> dict[str, list[tuple[str, float]]]:
    """topic → its ``top`` distinctive words with their scores."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    topics = [topic for topic, texts in texts_by_topic.items() if texts]
    if not topics:
        return {}
    documents = [
        [
            word
            for text in texts_by_topic[topic][:KEYWORD_SAMPLE]
            for word in tokenize(normalise(text))
            if _WORD.match(word) and word not in STOPWORDS
        ]
        for topic in topics
    ]
    if not any(documents):
        return {topic: [] for topic in topics}
    vectorizer = TfidfVectorizer(analyzer=lambda words: words, sublinear_tf=True)
    matrix = vectorizer.fit_transform(documents)
    vocabulary = vectorizer.get_feature_names_out()
    result = {}
    for row, topic in enumerate(topics):
        scores = matrix.getrow(row).toarray().ravel()
        best = scores.argsort()[::-1][:top]
        result[topic] = [
            (str(vocabulary[index]), round(float(scores[index]), 3))
            for index in best
            if scores[index] > 0
        ]
    return result


@dataclass
class DuplicateGroup:
    members: list[Any]

    @property
    def size(self) -> int:
        return len(self.members)

    @property
    def example(self) -> Any:
        return self.members[0]


def duplicate_groups(
    items: Sequence[Any], *, threshold: float, min_size: int = 2, text_of: Any = None
) -> list[DuplicateGroup]:
    """Groups of ``items`` (opinions, or anything ``text_of`` reads) that tell the same matter,
    largest first. Items with a ``topic`` are compared within their topic only: the same matter
    lands in the same topic, and ten small similarity matrices cost a tenth of one large one."""
    by_topic: dict[Any, list[Any]] = {}
    for item in list(items)[:DUPLICATE_SAMPLE]:
        by_topic.setdefault(getattr(item, "topic", None), []).append(item)
    groups: list[DuplicateGroup] = []
    for members in by_topic.values():
        groups += _groups_among(members, threshold, min_size, text_of or (lambda item: item.text))
    return sorted(groups, key=lambda group: -group.size)


def _groups_among(
    items: list[Any], threshold: float, min_size: int, read: Any
) -> list[DuplicateGroup]:
    from scipy.sparse.csgraph import connected_components
    from sklearn.feature_extraction.text import TfidfVectorizer

    texts = [normalise(read(item)) for item in items]
    if len(texts) < min_size or not any(texts):
        return []
    vectorizer = TfidfVectorizer(analyzer="char", ngram_range=(1, 2), sublinear_tf=True)
    try:
        matrix = vectorizer.fit_transform(texts)
    except ValueError:  # nothing but blanks
        return []
    similarity = matrix @ matrix.T
    similarity.data[similarity.data < threshold] = 0
    similarity.eliminate_zeros()
    count, labels = connected_components(similarity, directed=False)
    members: list[list[Any]] = [[] for _index in range(count)]
    for index, label in enumerate(labels):
        members[label].append(items[index])
    return [DuplicateGroup(group) for group in members if len(group) >= min_size]


def mask_names_in(text: str) -> str:
    """``text`` with the person names jieba recognises masked (张** for 张秀英): quotes in a
    report name no one. Run on a few quotes only: part-of-speech tagging is slow."""
    _jieba()
    from jieba import posseg

    parts = []
    for word, flag in posseg.cut(text):
        parts.append(mask_name(word) if flag == "nr" and len(word) >= 2 else word)
    return "".join(parts)
