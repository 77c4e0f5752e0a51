"""The append hashes an entry's canonical form put together from its JSON columns' texts: the
same bytes as the definition (``_canonical``) that verification recomputes, whatever it holds."""

import datetime
import decimal

from hypothesis import given
from hypothesis import strategies as st

from warmhome.core.audit.chain import _canonical, _canonical_from, _Stored

texts = st.text(st.characters(exclude_categories=["Cs"]), max_size=30)
scalars = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats()
    | texts
    | st.dates()
    | st.datetimes(timezones=st.just(datetime.UTC))
    | st.decimals(allow_nan=False, places=2, max_value=10**6, min_value=-(10**6))
)
json_values = st.recursive(
    scalars,
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(texts, inner, max_size=5)
        | st.dictionaries(st.integers(), inner, max_size=3)
    ),  # keys JSON turns into text
    max_leaves=12,
)
snapshots = st.none() | st.dictionaries(texts, scalars, max_size=8) | json_values
entries = st.fixed_dictionaries(
    {
        "kind": st.sampled_from(["create", "update", "delete", "read", "security"]),
        "event": texts,
        "outcome": st.sampled_from(["success", "failure"]),
        "model_label": texts,
        "object_pk": texts,
        "object_repr": st.text(st.characters(exclude_categories=["Cs"]), max_size=260),
        "org_path": st.text("0123456789", max_size=24),
        "actor_id": st.none() | st.integers(1, 10**9),
        "actor_username": texts,
        "client_ip": st.sampled_from([None, "127.0.0.1", "2001:DB8:0:0:0:0:0:1"]),
        "before": snapshots,
        "after": snapshots,
        "detail": snapshots,
    }
)


@given(fields=entries, seq=st.integers(1, 10**12))
def test_the_canonical_form_from_the_texts_is_the_definitions(fields, seq):
    stored = _Stored(datetime.datetime(2026, 11, 29, 8, 30, 1, 5, tzinfo=datetime.UTC))
    values, json_texts = stored.values(fields)
    values["seq"], values["prev_hash"] = seq, "0" * 64

    assert _canonical_from(values, json_texts) == _canonical(values)


def test_a_snapshot_of_scalars_is_stored_as_its_canonical_text():
    stored = _Stored(datetime.datetime(2026, 11, 29, tzinfo=datetime.UTC))
    after = {"名称": "新", "b": decimal.Decimal("1.50"), "a": datetime.date(2026, 1, 2)}

    _values, json_texts = stored.values({"kind": "update", "after": after})

    assert json_texts["after"] == '{"a": "2026-01-02", "b": "1.50", "名称": "新"}'
    assert json_texts["before"] is None
