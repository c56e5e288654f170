"""The certificate as an Open Badges 3.0 credential (a W3C Verifiable Credential), signed
with Ed25519 as a compact JWT (alg EdDSA, the key's `kid` in the header).

Pure functions of the facts being certified: anyone holding the JWT and the published key
set can check every printed field without trusting the PDF or this server's pages.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

import jwt

from lms.certificates.keys import SigningKey

VC_CONTEXT = "https://www.w3.org/ns/credentials/v2"
OB_CONTEXT = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
ALGORITHM = "EdDSA"
MAX_DESCRIPTION = 1000


@dataclass(frozen=True)
class CredentialFacts:
    number: str
    verify_url: str
    base_url: str
    programme_name: str
    subject_id: str
    holder_name: str
    course_title: str
    course_description: str
    course_slug: str
    provider_name: str
    provider_slug: str
    hours: float
    completed_at: datetime
    issued_at: datetime


def _iso(moment: datetime) -> str:
    return moment.astimezone(timezone.utc).replace(microsecond=0).isoformat().replace(
        "+00:00", "Z")


def issuer_id(facts: CredentialFacts) -> str:
    return f"{facts.base_url}/providers/{facts.provider_slug}"


def open_badge(facts: CredentialFacts) -> dict[str, Any]:
    """The OpenBadgeCredential: the provider issues it as part of the programme."""
    programme = {"id": f"{facts.base_url}/", "type": ["Profile"], "name": facts.programme_name,
                 "url": f"{facts.base_url}/"}
    provider = {"id": issuer_id(facts), "type": ["Profile"], "name": facts.provider_name,
                "parentOrg": programme}
    hours = f"{facts.hours:g}"
    return {
        "@context": [VC_CONTEXT, OB_CONTEXT],
        "id": facts.verify_url,
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": facts.course_title,
        "issuer": provider,
        "validFrom": _iso(facts.issued_at),
        "credentialSubject": {
            "id": facts.subject_id,
            "type": ["AchievementSubject"],
            "identifier": [{"type": "IdentityObject", "identityType": "name", "hashed": False,
                            "identityHash": facts.holder_name}],
            "activityEndDate": _iso(facts.completed_at),
            "achievement": {
                "id": f"{facts.base_url}/courses/{facts.course_slug}",
                "type": ["Achievement"],
                "achievementType": "CertificateOfCompletion",
                "name": facts.course_title,
                "description": facts.course_description[:MAX_DESCRIPTION] or facts.course_title,
                "criteria": {"narrative": (
                    f"Completed every required module of the self-paced course "
                    f"\"{facts.course_title}\" ({hours} hours of content) in sequence, "
                    f"with progress verified on the server by {facts.programme_name}.")},
                "creator": {"id": issuer_id(facts), "type": ["Profile"],
                            "name": facts.provider_name},
                "humanCode": facts.number,
            },
        },
        "evidence": [{"type": ["Evidence"], "name": "Hours of content",
                      "description": f"{hours} hours"}],
    }


def claims(facts: CredentialFacts) -> dict[str, Any]:
    issued = int(facts.issued_at.timestamp())
    return {"iss": issuer_id(facts), "sub": facts.subject_id, "jti": facts.number,
            "iat": issued, "nbf": issued, "vc": open_badge(facts)}


def sign(facts: CredentialFacts, key: SigningKey) -> str:
    return jwt.encode(claims(facts), key.private_key, algorithm=ALGORITHM,
                      headers={"kid": key.kid, "typ": "JWT"})
