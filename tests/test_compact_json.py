"""compact_json.encode is json.dumps of the same data, one item at a time."""

import json

import pytest

from atlas import compact_json


def _dumps(value) -> bytes:
    return (json.dumps(value, ensure_ascii=False, separators=(",", ":")) + "\n").encode("utf-8")


ITEMS = [{"名称": "示例场馆0001", "n": 1, "x": [1.5, None], "s": "引号\"与\\和</script>"}, {"名称": "示例图书馆0002"}, [], "文字"]


@pytest.mark.parametrize("items", [[], ITEMS[:1], ITEMS], ids=["empty", "one", "many"])
def test_a_list_is_byte_identical_to_json_dumps(items):
    assert compact_json.encode(iter(items)) == _dumps(items)


@pytest.mark.parametrize("head", [{}, {"type": "FeatureCollection"}, {"total_items": 2, "empty": False, "名": "值"}])
@pytest.mark.parametrize("items", [[], ITEMS], ids=["empty", "many"])
def test_a_wrapped_list_comes_last_and_is_byte_identical(head, items):
    assert compact_json.encode(iter(items), head, "contents") == _dumps(head | {"contents": items})
