"""The join link and its QR code: what the projector shows so a phone can join in seconds."""

from __future__ import annotations

from urllib.parse import urlencode, urlsplit

import segno


def join_url(*, public_url: str, join_code: str) -> str:
    """`https://host/?code=ALKE25`: the join page is the app's root, short enough to type."""
    return f"{public_url.rstrip('/')}/?{urlencode({'code': join_code})}"


def short_url(*, url: str) -> str:
    """The join URL without its scheme, for printing under the QR code."""
    parts = urlsplit(url)
    return f"{parts.netloc}{parts.path}?{parts.query}" if parts.query else f"{parts.netloc}{parts.path}"


def qr_data_uri(*, url: str) -> str:
    """An SVG QR code as a data URI (medium error correction survives a projector's glare)."""
    return str(segno.make(url, error="m").svg_data_uri(scale=10, border=2))
