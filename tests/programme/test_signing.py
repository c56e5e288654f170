"""The programme's request signature, against the published test vector."""
from __future__ import annotations

import pytest

from lms.programme import client, signing

VECTOR = dict(client_code="myclient_code", timestamp="1516239022",
              path="/api/v1/integration/payment/redeem-code/commit",
              body=b'{"redeem_code":"code"}', sign_key="my_sign_key")


def test_the_published_vector():
    assert signing.signature(**VECTOR) == "943c20a8e36b6243f576404b00fffdc86411ce1f"


def test_the_body_sent_is_the_body_signed():
    assert client.encode({"redeem_code": "code"}) == VECTOR["body"]


def test_signed_headers_carry_code_timestamp_and_signature():
    headers = signing.signed_headers(**VECTOR)
    assert headers["client_code"] == "myclient_code"
    assert headers["timestamp"] == "1516239022"
    assert headers["signature"] == "943c20a8e36b6243f576404b00fffdc86411ce1f"


@pytest.mark.parametrize("change", [
    {"body": b'{"redeem_code":"other"}'},
    {"path": "/api/v1/integration/payment/redeem-code/status"},
    {"timestamp": "1516239023"},
])
def test_any_change_breaks_the_signature(change):
    headers = {**signing.signed_headers(**VECTOR), **({"timestamp": change["timestamp"]}
                                                      if "timestamp" in change else {})}
    checked = {**VECTOR, **change}
    assert not signing.is_valid(headers, checked["path"], checked["body"],
                                VECTOR["client_code"], VECTOR["sign_key"])


def test_a_correct_request_is_valid_and_another_client_is_not():
    headers = signing.signed_headers(**VECTOR)
    assert signing.is_valid(headers, VECTOR["path"], VECTOR["body"], "myclient_code",
                            "my_sign_key")
    assert not signing.is_valid(headers, VECTOR["path"], VECTOR["body"], "someone_else",
                                "my_sign_key")
    assert not signing.is_valid(headers, VECTOR["path"], VECTOR["body"], "myclient_code",
                                "another_key")
