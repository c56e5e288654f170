"""The signed credential, checked with an independent JOSE library (joserfc) against the key
set the app publishes: it verifies, it certifies what the page shows, and tampering fails."""
from __future__ import annotations

import base64
import json
import warnings

import jwt as pyjwt  # only to forge a token; verification always goes through joserfc
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from joserfc import jwt
from joserfc.errors import BadSignatureError, JoseError
from joserfc.jwk import KeySet

from lms.certificates import keys, services
from lms.certificates.keys import CredentialKeyMissing
from lms.extensions import db
from lms.learning.models import EnrollmentStatus
from tests import factories
from tests import factories_certificates as fc
from tests import factories_verification as fv

# RFC 9864 prefers the fully-specified "Ed25519" name; "EdDSA" is what verifiers accept today.
pytestmark = pytest.mark.filterwarnings("ignore:EdDSA is deprecated")


@pytest.fixture
def key_file(app, tmp_path):
    path = tmp_path / "keys" / "credential-keys.json"
    app.config["CREDENTIAL_KEYS_FILE"] = str(path)
    return path


def _published(client) -> KeySet:
    response = client.get("/.well-known/alur-keys.json")
    assert response.status_code == 200
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    return KeySet.import_key_set(response.get_json())


def _verify(token: str, key_set: KeySet):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return jwt.decode(token, key_set, algorithms=["EdDSA"])


def _b64(data: dict) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()


def test_the_credential_verifies_against_the_published_keys_and_matches_the_record(
        app, client, clock, key_file):
    certificate = fc.certificate(name="Dewi Lestari", render=False)
    record = client.get(f"/api/v1/certificates/{certificate.number}").get_json()

    token = _verify(record["credential"], _published(client))

    assert token.header["alg"] == "EdDSA" and token.header["kid"] == record["credential_kid"]
    claims = token.claims
    assert claims["jti"] == certificate.number
    vc = claims["vc"]
    assert vc["@context"][0] == "https://www.w3.org/ns/credentials/v2"
    assert "https://purl.imsglobal.org/spec/ob/v3p0/context" in vc["@context"][1]
    assert vc["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    assert vc["id"] == record["verify_url"]
    assert claims["iss"] == vc["issuer"]["id"]
    assert vc["issuer"]["name"] == record["provider_name"]
    assert vc["issuer"]["parentOrg"]["name"] == app.config["PROGRAMME_NAME"]
    subject = vc["credentialSubject"]
    assert claims["sub"] == subject["id"] and certificate.holder.email not in json.dumps(claims)
    assert subject["identifier"][0]["identityHash"] == "Dewi Lestari"
    assert subject["achievement"]["name"] == record["course_title"]
    assert subject["achievement"]["criteria"]["narrative"]
    assert f"{record['hours']:g} hours" in subject["achievement"]["criteria"]["narrative"]
    assert subject["activityEndDate"] == certificate.completed_at.strftime("%Y-%m-%dT%H:%M:%SZ")
    assert claims["iat"] == claims["nbf"] == int(certificate.issued_at.timestamp())


TAMPERING = [
    (("vc", "credentialSubject", "achievement", "name"), "Advanced Brain Surgery"),
    (("vc", "credentialSubject", "identifier", 0, "identityHash"), "Someone Else"),
    (("vc", "evidence", 0, "description"), "900 hours"),
    (("jti",), "ALR-2026-0000-0000-0"),
]


def test_a_tampered_credential_fails_verification(app, client, key_file):
    certificate = fc.certificate(render=False)
    header, payload, signature = certificate.credential.split(".")
    key_set = _published(client)
    for path, value in TAMPERING:
        claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
        target = claims
        for step in path[:-1]:
            target = target[step]
        target[path[-1]] = value
        with pytest.raises(BadSignatureError):
            _verify(f"{header}.{_b64(claims)}.{signature}", key_set)
    assert _verify(certificate.credential, key_set).claims["jti"] == certificate.number


def test_a_credential_signed_with_another_key_under_our_kid_fails(app, client, key_file):
    certificate = fc.certificate(render=False)
    header = json.loads(base64.urlsafe_b64decode(certificate.credential.split(".")[0] + "=="))
    forged = pyjwt.encode({"jti": certificate.number}, Ed25519PrivateKey.generate(),
                          algorithm="EdDSA", headers={"kid": header["kid"]})
    with pytest.raises(JoseError):
        _verify(forged, _published(client))


def test_rotation_keeps_old_credentials_verifiable_and_signs_new_ones_with_the_new_key(
        app, client, runner, key_file):
    old = fc.certificate(render=False)
    old_kid = old.credential_kid

    result = runner.invoke(args=["keys", "create"])
    assert result.exit_code == 0, result.output
    new = fc.certificate(render=False)

    assert new.credential_kid != old_kid and new.credential_kid in result.output
    published = client.get("/.well-known/alur-keys.json").get_json()["keys"]
    assert [k["kid"] for k in published] == [new.credential_kid, old_kid]
    assert all(k["kty"] == "OKP" and k["crv"] == "Ed25519" and "d" not in k for k in published)
    key_set = _published(client)
    assert _verify(old.credential, key_set).claims["jti"] == old.number
    assert _verify(new.credential, key_set).claims["jti"] == new.number
    # The retired private key is gone from the ring: nothing can sign with it any more.
    ring = json.loads(key_file.read_text())
    retired = next(k for k in ring["keys"] if k["kid"] == old_kid)
    assert retired["status"] == "retired" and "private_key_pem" not in retired
    assert oct(key_file.stat().st_mode & 0o777) == "0o600"
    listing = runner.invoke(args=["keys", "list"])
    assert f"{new.credential_kid}\tactive" in listing.output
    assert f"{old_kid}\tretired" in listing.output


def test_a_key_from_the_environment_signs_and_file_keys_stay_published(app, client, key_file):
    file_signed = fc.certificate(render=False)
    pem = Ed25519PrivateKey.generate().private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption()).decode()
    app.config.update(CREDENTIAL_SIGNING_KEY=pem, CREDENTIAL_KEY_ID="hsm-2026")
    env_signed = fc.certificate(render=False)
    assert env_signed.credential_kid == "hsm-2026"
    key_set = _published(client)
    assert _verify(env_signed.credential, key_set).header["kid"] == "hsm-2026"
    assert _verify(file_signed.credential, key_set).claims["jti"] == file_signed.number


def test_without_a_configured_key_production_refuses_clearly_and_issues_nothing(
        app, client, runner, key_file, caplog, monkeypatch):
    # Alembic's logging set-up (run by the migrated_database fixture) disables earlier loggers.
    monkeypatch.setattr(services.log, "disabled", False)
    app.config["CREDENTIAL_KEYS_AUTOCREATE"] = False
    assert "keys create" in keys.configuration_problem(app)
    learner = factories.learner()
    enrollment = factories.enrollment(learner, factories.course())
    enrollment.status = EnrollmentStatus.COMPLETED
    fv.completion(enrollment)
    with pytest.raises(CredentialKeyMissing, match="keys create"):
        services.issue_certificate(enrollment, enrollment.enrolled_at)
    db.session.rollback()
    assert client.get("/.well-known/alur-keys.json").get_json() == {"keys": []}
    assert not key_file.exists()

    # Completing a course meanwhile keeps the completion and says loudly what is missing.
    other = fc.completed_enrollment(render=False)
    assert other.status == EnrollmentStatus.COMPLETED
    assert services.certificate_of(other) is None
    assert "No credential signing key is configured" in caplog.text
    asked = client.post(f"/api/v1/enrollments/{other.id}/certificate",
                        headers=factories.api_token(other.user))
    assert asked.status_code == 503
    assert asked.get_json()["error"] == "certificates_unavailable"

    assert runner.invoke(args=["keys", "create"]).exit_code == 0
    assert keys.configuration_problem(app) is None
    result = runner.invoke(args=["certificates", "issue-missing"])
    assert result.exit_code == 0, result.output
    db.session.expire_all()
    issued = [services.certificate_of(e) for e in (enrollment, other)]
    assert all(issued) and {c.number for c in issued} <= set(result.output.split())


def test_a_broken_key_ring_is_reported_not_silently_replaced(app, clock, key_file):
    key_file.parent.mkdir(parents=True)
    key_file.write_text("{not json")
    with pytest.raises(keys.KeyRingError, match="cannot read the key ring"):
        keys.signing_key(app, clock.now())
    assert key_file.read_text() == "{not json"
