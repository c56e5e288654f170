"""Whether uploaded bytes are an image of an accepted format, judged by Pillow from the bytes
(never the file's name), with a bound on pixels against decompression bombs."""
from __future__ import annotations

import io
from collections.abc import Collection

from PIL import Image, UnidentifiedImageError

from lms.errors import Invalid

MAX_PIXELS = 40_000_000


def image_format(data: bytes, accepted: Collection[str], not_an_image: Invalid,
                 too_many_pixels: Invalid) -> str:
    """Pillow's format name (JPEG, PNG, WEBP, GIF…) when it is one of `accepted`; raises
    `not_an_image` otherwise and `too_many_pixels` above MAX_PIXELS."""
    try:
        with Image.open(io.BytesIO(data)) as image:
            if image.width * image.height > MAX_PIXELS:
                raise too_many_pixels
            image.verify()
            kind = image.format or ""
    except (UnidentifiedImageError, OSError, SyntaxError, Image.DecompressionBombError):
        raise not_an_image from None
    if kind not in accepted:
        raise not_an_image
    return kind
