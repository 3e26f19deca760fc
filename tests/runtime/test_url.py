from __future__ import annotations

import enum

import pytest
from sockgen_runtime._url import URLError, build_url, merge_headers


class Color(enum.Enum):
    RED = "red"


def test_http_and_https_map_to_ws_and_wss() -> None:
    assert build_url("http://h:1", "/a") == "ws://h:1/a"
    assert build_url("https://h", "/a") == "wss://h/a"
    assert build_url("wss://h/base/", "/a") == "wss://h/base/a"


def test_base_url_without_scheme_takes_protocol() -> None:
    assert build_url("localhost:8000", "/ws/chat") == "ws://localhost:8000/ws/chat"
    assert build_url("api.example.com", "/x", protocol="wss") == "wss://api.example.com/x"


def test_path_parameters_are_percent_encoded_as_one_segment() -> None:
    url = build_url(
        "ws://h", "/rooms/{room_id}/u/{user}", path_params={"room_id": "a/b c?d#e", "user": 7}
    )
    assert url == "ws://h/rooms/a%2Fb%20c%3Fd%23e/u/7"


def test_path_traversal_cannot_escape_the_segment() -> None:
    assert build_url("ws://h", "/r/{x}", path_params={"x": "../admin"}) == "ws://h/r/..%2Fadmin"


def test_missing_and_unknown_path_parameters_are_errors() -> None:
    with pytest.raises(URLError, match="missing path parameter.*room_id"):
        build_url("ws://h", "/rooms/{room_id}", path_params={})
    with pytest.raises(URLError, match="unknown path parameter.*other"):
        build_url("ws://h", "/rooms/{room_id}", path_params={"room_id": "1", "other": 2})


def test_query_values_are_encoded() -> None:
    url = build_url(
        "ws://h?key=k",
        "/f",
        query={"a": True, "b": False, "n": None, "l": [1, 2], "e": Color.RED, "s": "x y&z"},
    )
    assert url == "ws://h/f?key=k&a=true&b=false&l=1&l=2&e=red&s=x%20y%26z"


def test_extra_query_overrides_query() -> None:
    url = build_url("ws://h", "/f", query={"token": "old", "a": 1}, extra_query={"token": "new"})
    assert url == "ws://h/f?token=new&a=1"


def test_bad_scheme_and_missing_host() -> None:
    with pytest.raises(URLError, match="unsupported URL scheme 'ftp'"):
        build_url("ftp://h", "/")
    with pytest.raises(URLError, match="no host"):
        build_url("ws://", "/")


def test_headers_merge_case_insensitively() -> None:
    assert merge_headers({"Authorization": "a", "X": "1"}, {"authorization": "b"}) == {
        "authorization": "b",
        "X": "1",
    }
