"""The orjson renderer writes what DRF's ``JSONRenderer`` writes."""

import datetime
import decimal
import json
import uuid
from zoneinfo import ZoneInfo

from django.utils.functional import lazy
from hypothesis import given, settings
from hypothesis import strategies as st
from rest_framework import renderers
from rest_framework.utils.serializer_helpers import ReturnDict, ReturnList

from autosales.api.renderers import JSONRenderer

ours, drf = JSONRenderer(), renderers.JSONRenderer()
lazy_text = lazy(str, str)

zones = st.sampled_from([datetime.UTC, ZoneInfo("Asia/Shanghai"), ZoneInfo("America/New_York"), None])
scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**63), max_value=2**64 - 1),
    st.text(),
    st.text().map(lambda text: f"{text}\u2028\u2029{text}"),
    st.datetimes(timezones=zones),
    st.dates(),
    st.times(),
    st.timedeltas(),
    st.uuids(),
    st.text().map(lazy_text),
)
documents = st.recursive(
    scalars,
    lambda children: st.one_of(
        st.lists(children, max_size=4),
        st.lists(children, max_size=4).map(tuple),
        st.dictionaries(st.text(max_size=5), children, max_size=4),
        st.dictionaries(st.integers(-5, 5), children, max_size=3),
    ),
    max_leaves=20,
)


@settings(max_examples=400, deadline=None)
@given(documents)
def test_same_bytes_as_drf(data):
    assert ours.render(data) == drf.render(data)


@settings(max_examples=100, deadline=None)
@given(
    st.lists(
        st.one_of(
            st.floats(allow_nan=False, allow_infinity=False),
            st.decimals(allow_nan=False, allow_infinity=False),
        ),
        max_size=5,
    )
)
def test_floats_and_decimals_same_values(data):
    # DRF writes a Decimal as a float; orjson may spell a float differently (1e-05 as 1e-5).
    assert json.loads(ours.render(data)) == json.loads(drf.render(data))


def test_what_orjson_refuses_and_indents_go_to_drf():
    for data in ({"big": 2**70}, {"set": {1}}, {(1, 2): "tuple key"}, b"bytes"):
        try:
            expected = drf.render(data)
        except TypeError:
            continue
        assert ours.render(data) == expected
    data = ReturnDict(
        {"results": ReturnList([{"a": decimal.Decimal("1.50"), "id": uuid.UUID(int=7)}], serializer=None)},
        serializer=None,
    )
    assert ours.render(data) == drf.render(data)
    assert ours.render(data, "application/json; indent=4") == drf.render(data, "application/json; indent=4")
    assert b"\n    " in ours.render(data, "application/json; indent=4")
    assert ours.render(None) == b""


def test_api_answers_with_it():
    from rest_framework.settings import api_settings

    assert api_settings.DEFAULT_RENDERER_CLASSES[0] is JSONRenderer
