"""The Ed25519 keys that sign credentials, and the public key set verifiers fetch.

Keys come from configuration: a key ring file (CREDENTIAL_KEYS_FILE, JSON, one active key
plus the public halves of retired ones) and/or one PEM key in CREDENTIAL_SIGNING_KEY. A
rotated-out key keeps being published so credentials it signed still verify; its private
half is dropped from the ring, since nothing may sign with it again. Development and tests
create the first key on first use; production refuses to sign without a configured key.
"""
from __future__ import annotations

import base64
import contextlib
import fcntl
import hashlib
import json
import os
import tempfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, Iterator, Mapping

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from flask import Flask

RING_VERSION = 1
ACTIVE = "active"
RETIRED = "retired"


class CredentialKeyMissing(RuntimeError):
    """No signing key is configured and creating one on the fly is not allowed here."""

    def __init__(self, path: str) -> None:
        super().__init__(
            "No credential signing key is configured. Run `flask --app wsgi keys create` "
            f"(writes {path}) or set CREDENTIAL_SIGNING_KEY to an Ed25519 private key in PEM.")


class KeyRingError(RuntimeError):
    """The key ring file or the configured PEM key cannot be used."""


@dataclass(frozen=True)
class SigningKey:
    kid: str
    private_key: Ed25519PrivateKey


@dataclass(frozen=True)
class KeyRing:
    active: SigningKey | None
    jwks: tuple[dict[str, Any], ...]  # every published key, the active one first


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def public_jwk(public_key: Ed25519PublicKey, kid: str) -> dict[str, Any]:
    raw = public_key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return {"kty": "OKP", "crv": "Ed25519", "x": _b64url(raw), "kid": kid, "use": "sig",
            "alg": "EdDSA"}


def thumbprint(public_key: Ed25519PublicKey) -> str:
    """RFC 7638 JWK thumbprint: a key id anyone can recompute from the public key."""
    jwk = public_jwk(public_key, "")
    canonical = json.dumps({k: jwk[k] for k in ("crv", "kty", "x")}, separators=(",", ":"))
    return _b64url(hashlib.sha256(canonical.encode()).digest())


def _load_pem(pem: str) -> Ed25519PrivateKey:
    try:
        key = serialization.load_pem_private_key(pem.encode(), password=None)
    except (ValueError, TypeError) as error:
        raise KeyRingError(f"the credential signing key is not a readable PEM key: {error}") \
            from None
    if not isinstance(key, Ed25519PrivateKey):
        raise KeyRingError("the credential signing key must be an Ed25519 key")
    return key


def _pem(key: Ed25519PrivateKey) -> str:
    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                             serialization.NoEncryption()).decode()


def _read_ring_file(path: Path) -> dict[str, Any]:
    if not path.exists():
        return {"version": RING_VERSION, "keys": []}
    try:
        data = json.loads(path.read_text())
    except (OSError, ValueError) as error:
        raise KeyRingError(f"cannot read the key ring {path}: {error}") from None
    if not isinstance(data, dict) or not isinstance(data.get("keys"), list):
        raise KeyRingError(f"the key ring {path} has no list of keys")
    return data


def _write_ring_file(path: Path, data: dict[str, Any]) -> None:
    """Atomic replace, readable by the owner only: the file holds a private key."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".keys-", suffix=".tmp")
    try:
        with os.fdopen(fd, "w") as out:
            json.dump(data, out, indent=2)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(tmp, 0o600)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


@contextlib.contextmanager
def _ring_lock(path: Path) -> Iterator[None]:
    """Serialises writers (two app processes creating the first key, a rotation) on one host."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(f"{path}.lock", "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def _parse_ring(data: dict[str, Any], path: Path) -> tuple[SigningKey | None, list[dict]]:
    active: SigningKey | None = None
    jwks: list[dict] = []
    for entry in data["keys"]:
        try:
            kid = entry["kid"]
            jwk = dict(entry["public_jwk"])
        except (KeyError, TypeError):
            raise KeyRingError(f"a key in {path} has no kid or public_jwk") from None
        jwk["kid"] = kid
        if entry.get("status") == ACTIVE and entry.get("private_key_pem"):
            if active is not None:
                raise KeyRingError(f"the key ring {path} has more than one active key")
            active = SigningKey(kid, _load_pem(entry["private_key_pem"]))
            jwks.insert(0, jwk)
        else:
            jwks.append(jwk)
    return active, jwks


def create_key(path: str | os.PathLike[str], now: datetime) -> str:
    """Add a new active key to the ring file, retiring the previous one (its public half
    stays published, its private half is deleted). Returns the new key's kid."""
    ring_path = Path(path)
    with _ring_lock(ring_path):
        data = _read_ring_file(ring_path)
        for entry in data["keys"]:
            if entry.get("status") == ACTIVE:
                entry["status"] = RETIRED
                entry["retired_at"] = now.isoformat()
                entry.pop("private_key_pem", None)
        key = Ed25519PrivateKey.generate()
        kid = f"alur-{now:%Y%m%d}-{thumbprint(key.public_key())[:10]}"
        data["keys"].insert(0, {"kid": kid, "status": ACTIVE, "created_at": now.isoformat(),
                                "private_key_pem": _pem(key),
                                "public_jwk": public_jwk(key.public_key(), kid)})
        data["version"] = RING_VERSION
        _write_ring_file(ring_path, data)
    return kid


def _ensure_first_key(path: Path, now: datetime) -> None:
    with _ring_lock(path):
        if any(e.get("status") == ACTIVE for e in _read_ring_file(path)["keys"]):
            return  # another process created it while we waited for the lock
    create_key(path, now)


def _file_stamp(path: Path) -> tuple[int, int] | None:
    try:
        stat = path.stat()
    except FileNotFoundError:
        return None
    return stat.st_mtime_ns, stat.st_size


def load_ring(config: Mapping[str, Any], cache: dict[str, Any] | None = None) -> KeyRing:
    """The ring as configured now. Parsing is cached until the file or the settings change, so
    a rotation made by the CLI is picked up by running processes on their next request."""
    path = Path(config["CREDENTIAL_KEYS_FILE"])
    pem = config.get("CREDENTIAL_SIGNING_KEY") or ""
    env_kid = config.get("CREDENTIAL_KEY_ID") or ""
    stamp = (str(path), _file_stamp(path), pem, env_kid)
    if cache is not None and cache.get("stamp") == stamp:
        return cache["ring"]
    active, jwks = _parse_ring(_read_ring_file(path), path)
    if pem:
        key = _load_pem(pem)
        kid = env_kid or thumbprint(key.public_key())[:16]
        jwks = [public_jwk(key.public_key(), kid)] + [j for j in jwks if j["kid"] != kid]
        active = SigningKey(kid, key)
    ring = KeyRing(active, tuple(jwks))
    if cache is not None:
        cache.update(stamp=stamp, ring=ring)
    return ring


def _app_ring(app: Flask, now: datetime) -> KeyRing:
    cache = app.extensions.setdefault("alur.credential_keys", {})
    ring = load_ring(app.config, cache)
    if ring.active is None and app.config.get("CREDENTIAL_KEYS_AUTOCREATE"):
        _ensure_first_key(Path(app.config["CREDENTIAL_KEYS_FILE"]), now)
        ring = load_ring(app.config, cache)
    return ring


def signing_key(app: Flask, now: datetime) -> SigningKey:
    """The key new credentials are signed with. Raises CredentialKeyMissing if none."""
    ring = _app_ring(app, now)
    if ring.active is None:
        raise CredentialKeyMissing(str(app.config["CREDENTIAL_KEYS_FILE"]))
    return ring.active


def published_jwks(app: Flask, now: datetime) -> dict[str, Any]:
    """The JWK set of every key that signed or signs credentials, active first."""
    return {"keys": list(_app_ring(app, now).jwks)}


def configuration_problem(app: Flask) -> str | None:
    """Why credentials cannot be signed with this configuration, or None if they can."""
    try:
        ring = load_ring(app.config)
    except KeyRingError as error:
        return str(error)
    if ring.active is None and not app.config.get("CREDENTIAL_KEYS_AUTOCREATE"):
        return str(CredentialKeyMissing(str(app.config["CREDENTIAL_KEYS_FILE"])))
    return None
