from __future__ import annotations

from urllib.parse import unquote

import pytest

from alkedash import invite


@pytest.mark.parametrize(
    ("public", "code", "url", "short"),
    [
        ("http://localhost:8501", "ALKE25", "http://localhost:8501/?code=ALKE25", "localhost:8501/?code=ALKE25"),
        ("https://alke.example.fi/", "ALKE25", "https://alke.example.fi/?code=ALKE25", "alke.example.fi/?code=ALKE25"),
    ],
)
def test_the_join_url_carries_the_join_code(public: str, code: str, url: str, short: str) -> None:
    assert invite.join_url(public_url=public, join_code=code) == url
    assert invite.short_url(url=url) == short


def test_the_qr_code_is_an_svg_data_uri() -> None:
    uri = invite.qr_data_uri(url="http://localhost:8501/?code=ALKE25")
    assert uri.startswith("data:image/svg+xml")
    assert "<svg" in unquote(uri)
