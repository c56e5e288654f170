"""The programme's request signature: lowercase hex HMAC-SHA1 over client code, timestamp,
method, path and the exact body bytes sent, keyed with the provider's sign key."""
from __future__ import annotations

import hashlib
import hmac

METHOD = "POST"


def signature(client_code: str, timestamp: str, path: str, body: bytes, sign_key: str) -> str:
    message = client_code.encode() + timestamp.encode() + METHOD.encode() + path.encode() + body
    return hmac.new(sign_key.encode(), message, hashlib.sha1).hexdigest()


def signed_headers(client_code: str, timestamp: str, path: str, body: bytes,
                   sign_key: str) -> dict[str, str]:
    return {"client_code": client_code, "timestamp": timestamp,
            "signature": signature(client_code, timestamp, path, body, sign_key),
            "Content-Type": "application/json"}


def is_valid(headers: dict[str, str], path: str, body: bytes, client_code: str,
             sign_key: str) -> bool:
    """Whether a request carries this client's code and a correct signature (constant time)."""
    given_code = headers.get("client_code", "")
    timestamp = headers.get("timestamp", "")
    given = headers.get("signature", "")
    if given_code != client_code or not timestamp.isdigit():
        return False
    return hmac.compare_digest(given, signature(client_code, timestamp, path, body, sign_key))
