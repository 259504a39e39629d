"""Signed statements over HTTP: JWS checks and verification against the certificate in x5c.

Keys and certificates are made here with `cryptography`; nothing is a fixture file.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.x509.oid import NameOID
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ecotone.lrs.models import AttachmentContent, Statement
from tests.lrs.conftest import make_xapi, new_id, statement

SIGNATURE = "http://adlnet.gov/expapi/attachments/signature"
MULTIPART = 'multipart/mixed; boundary="signed-boundary"'
HASHES = {"RS256": hashes.SHA256, "RS384": hashes.SHA384, "RS512": hashes.SHA512}
NOW = datetime.now(UTC)


# --- Keys, certificates, JWS ------------------------------------------------------------------


@pytest.fixture(scope="module")
def keys() -> dict[str, Any]:
    """RSA key generation costs tens of milliseconds: once per module."""
    return {
        "signer": rsa.generate_private_key(public_exponent=65537, key_size=2048),
        "other": rsa.generate_private_key(public_exponent=65537, key_size=2048),
        "ca": rsa.generate_private_key(public_exponent=65537, key_size=2048),
        "short": rsa.generate_private_key(public_exponent=65537, key_size=1024),
        "ec": ec.generate_private_key(ec.SECP256R1()),
    }


def _name(common_name: str) -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Example Learning Tools"),
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
        ]
    )


def certificate(
    key: Any,
    subject: str = "Signing tool",
    *,
    issuer_key: Any = None,
    issuer: str | None = None,
    ca: bool | None = False,
    key_usage: str | None = "sign",
    not_before: datetime | None = None,
    not_after: datetime | None = None,
) -> x509.Certificate:
    """A certificate for ``key``: self-signed unless ``issuer_key`` signs it.

    ``ca=None`` leaves basicConstraints out; ``key_usage`` is "sign", "certify" or None.
    """
    builder = (
        x509.CertificateBuilder()
        .subject_name(_name(subject))
        .issuer_name(_name(issuer or subject))
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(not_before or NOW - timedelta(days=1))
        .not_valid_after(not_after or NOW + timedelta(days=365))
    )
    if ca is not None:
        builder = builder.add_extension(x509.BasicConstraints(ca=ca, path_length=None), True)
    if key_usage is not None:
        builder = builder.add_extension(
            x509.KeyUsage(
                digital_signature=key_usage == "sign",
                content_commitment=False,
                key_encipherment=key_usage == "encipher",
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=key_usage == "certify",
                crl_sign=key_usage == "certify",
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
    return builder.sign(issuer_key or key, hashes.SHA256())


def x5c(*certificates: x509.Certificate) -> list[str]:
    from cryptography.hazmat.primitives.serialization import Encoding

    return [base64.b64encode(item.public_bytes(Encoding.DER)).decode() for item in certificates]


def b64url(value: bytes) -> str:
    return base64.urlsafe_b64encode(value).rstrip(b"=").decode()


def jws(
    payload: dict[str, Any] | bytes,
    key: Any,
    alg: str = "RS256",
    *,
    header: dict[str, Any] | None = None,
    sign_with: str | None = None,
) -> str:
    """A JWS compact serialisation of ``payload`` signed by ``key`` (RSA PKCS#1 v1.5)."""
    head = b64url(json.dumps({"alg": alg, **(header or {})}).encode())
    body = b64url(payload if isinstance(payload, bytes) else json.dumps(payload).encode())
    signing_input = f"{head}.{body}".encode()
    digest = HASHES[sign_with or alg]()
    return f"{head}.{body}.{b64url(key.sign(signing_input, padding.PKCS1v15(), digest))}"


def signature_attachment(content: bytes, **overrides: Any) -> dict[str, Any]:
    return {
        "usageType": SIGNATURE,
        "display": {"en-US": "Signature"},
        "contentType": "application/octet-stream",
        "length": len(content),
        "sha2": hashlib.sha256(content).hexdigest(),
        **overrides,
    }


def multipart(statements: Any, parts: list[bytes]) -> bytes:
    chunks = [
        b"--signed-boundary\r\nContent-Type: application/json\r\n\r\n",
        json.dumps(statements).encode(),
        b"\r\n",
    ]
    for content in parts:
        chunks += [
            (
                "--signed-boundary\r\nContent-Type: application/octet-stream\r\n"
                "Content-Transfer-Encoding: binary\r\n"
                f"X-Experience-API-Hash: {hashlib.sha256(content).hexdigest()}\r\n\r\n"
            ).encode(),
            content,
            b"\r\n",
        ]
    chunks.append(b"--signed-boundary--\r\n")
    return b"".join(chunks)


@dataclass
class Signed:
    statement: dict[str, Any]
    token: bytes

    def body(self) -> bytes:
        return multipart(self.statement, [self.token])


def signed(original: dict[str, Any], token: str | bytes) -> Signed:
    """``original`` with a signature attachment whose part is ``token``."""
    raw = token.encode() if isinstance(token, str) else token
    return Signed({**original, "attachments": [signature_attachment(raw)]}, raw)


def post(xapi, request: Signed):
    return xapi.post("statements", request.body(), content_type=MULTIPART)


def assert_rejected(response, message: str, where: str = "attachments[0]") -> None:
    assert response.status_code == 400, response.content
    text = response.json()["error"]["message"]
    assert text.startswith(f"{where}: "), text
    assert message in text, text
    assert Statement.objects.count() == 0
    assert AttachmentContent.objects.count() == 0


# --- Accepted ---------------------------------------------------------------------------------


@pytest.mark.parametrize("version", ["2.0.0", "1.0.3"])
@pytest.mark.parametrize("alg", ["RS256", "RS384", "RS512"])
def test_valid_signature_is_accepted_and_kept(lrs_admin, keys, alg, version):
    xapi = make_xapi(lrs_admin, version=version)
    original = statement(id=new_id())
    token = jws(original, keys["signer"], alg, header={"x5c": x5c(certificate(keys["signer"]))})
    request = signed(original, token)
    response = post(xapi, request)
    assert response.status_code == 200, response.content
    assert response.json() == [original["id"]]
    assert response["X-Experience-API-Version"] == version
    stored = AttachmentContent.objects.get(sha2=request.statement["attachments"][0]["sha2"])
    assert bytes(stored.content) == request.token
    fetched = xapi.get("statements", {"statementId": original["id"], "attachments": "true"})
    assert request.token in fetched.content


def test_signature_without_an_id_in_the_payload_is_accepted(xapi, keys):
    original = statement()
    token = jws(original, keys["signer"], header={"x5c": x5c(certificate(keys["signer"]))})
    assert post(xapi, signed({**original, "id": new_id()}, token)).status_code == 200


def test_signed_put_is_accepted(xapi, keys):
    original = statement(id=new_id())
    token = jws(original, keys["signer"], header={"x5c": x5c(certificate(keys["signer"]))})
    request = signed(original, token)
    response = xapi.put(
        "statements", request.body(), f"statementId={original['id']}", content_type=MULTIPART
    )
    assert response.status_code == 204, response.content
    assert Statement.objects.count() == 1


def test_chain_of_signer_and_issuer_is_accepted(xapi, keys):
    ca = certificate(keys["ca"], "Example CA", ca=True, key_usage="certify")
    leaf = certificate(keys["signer"], issuer_key=keys["ca"], issuer="Example CA")
    original = statement(id=new_id())
    token = jws(original, keys["signer"], "RS384", header={"x5c": x5c(leaf, ca)})
    assert post(xapi, signed(original, token)).status_code == 200


def test_without_x5c_the_signature_is_accepted_unverified(xapi, keys):
    # The specification verifies only against a certificate in the header; without one the
    # LRS checks the form and the payload, and leaves trusting the signer to the reader.
    original = statement(id=new_id())
    token = jws(original, keys["signer"], "RS512", header={"kid": "tool-2026"})
    assert post(xapi, signed(original, token)).status_code == 200


def test_expired_certificate_is_accepted(xapi, keys):
    # A signature is durable evidence: the LRS cannot tell when the statement was signed, and
    # the x5c check catches mistakes rather than authenticating (docs/lrs.md).
    expired = certificate(
        keys["signer"], not_before=NOW - timedelta(days=800), not_after=NOW - timedelta(days=400)
    )
    original = statement(id=new_id())
    token = jws(original, keys["signer"], header={"x5c": x5c(expired)})
    assert post(xapi, signed(original, token)).status_code == 200


def test_signature_costs_no_query(xapi, keys):
    """A signed statement stores with the queries of one carrying any other attachment."""
    plain_content = b"x" * 600
    plain = statement(
        id=new_id(),
        object={"objectType": "Activity", "id": "http://example.com/courses/plain"},
        attachments=[
            signature_attachment(plain_content, usageType="http://example.com/attachments/cert")
        ],
    )
    with CaptureQueriesContext(connection) as unsigned_queries:
        response = xapi.post(
            "statements", multipart(plain, [plain_content]), content_type=MULTIPART
        )
    assert response.status_code == 200, response.content
    original = statement(
        id=new_id(), object={"objectType": "Activity", "id": "http://example.com/courses/signed"}
    )
    token = jws(original, keys["signer"], header={"x5c": x5c(certificate(keys["signer"]))})
    with CaptureQueriesContext(connection) as signed_queries:
        assert post(xapi, signed(original, token)).status_code == 200
    assert len(signed_queries) == len(unsigned_queries)


# --- Rejected: the signature does not verify ----------------------------------------------------


def test_tampered_payload_that_still_matches_does_not_verify(xapi, keys):
    original = statement(id=new_id())
    token = jws(original, keys["signer"], header={"x5c": x5c(certificate(keys["signer"]))})
    head, _, signature = token.split(".")
    # The same statement serialised differently: it matches, but these are not the signed bytes.
    reserialised = b64url(json.dumps(original, indent=1, sort_keys=True).encode())
    response = post(xapi, signed(original, f"{head}.{reserialised}.{signature}"))
    assert_rejected(response, "the signature does not verify with the key of the certificate")
    assert "CN=Signing tool" in response.json()["error"]["message"]


def test_tampered_payload_that_differs_is_400(xapi, keys):
    original = statement(id=new_id())
    token = jws(original, keys["signer"], header={"x5c": x5c(certificate(keys["signer"]))})
    head, _, signature = token.split(".")
    forged = b64url(json.dumps({**original, "verb": {"id": "http://example.com/passed"}}).encode())
    response = post(xapi, signed(original, f"{head}.{forged}.{signature}"))
    assert_rejected(response, "the signed payload does not match the statement")


def test_statement_changed_after_signing_is_400(xapi, keys):
    original = statement(id=new_id())
    token = jws(original, keys["signer"], header={"x5c": x5c(certificate(keys["signer"]))})
    changed = {**original, "result": {"success": True}}
    assert_rejected(post(xapi, signed(changed, token)), "does not match the statement")


def test_tampered_signature_does_not_verify(xapi, keys):
    original = statement(id=new_id())
    token = jws(original, keys["signer"], header={"x5c": x5c(certificate(keys["signer"]))})
    head, body, signature = token.split(".")
    raw = bytearray(base64.urlsafe_b64decode(signature + "=="))
    raw[10] ^= 0x01
    response = post(xapi, signed(original, f"{head}.{body}.{b64url(bytes(raw))}"))
    assert_rejected(response, "the signature does not verify")


@pytest.mark.parametrize("version", ["2.0.0", "1.0.3"])
def test_wrong_key_in_x5c_does_not_verify(lrs_admin, keys, version):
    xapi = make_xapi(lrs_admin, version=version)
    original = statement(id=new_id())
    token = jws(original, keys["signer"], header={"x5c": x5c(certificate(keys["other"]))})
    assert_rejected(post(xapi, signed(original, token)), "the signature does not verify")


def test_header_naming_another_rsa_algorithm_does_not_verify(xapi, keys):
    original = statement(id=new_id())
    header = {"x5c": x5c(certificate(keys["signer"]))}
    token = jws(original, keys["signer"], "RS512", header=header, sign_with="RS256")
    assert_rejected(post(xapi, signed(original, token)), "the signature does not verify")


def test_bad_signature_in_a_batch_names_its_statement_and_stores_nothing(xapi, keys):
    good = statement(id=new_id())
    good_token = jws(good, keys["signer"], header={"x5c": x5c(certificate(keys["signer"]))})
    bad = statement(id=new_id(), verb={"id": "http://example.com/attempted"})
    bad_token = jws(bad, keys["signer"], header={"x5c": x5c(certificate(keys["other"]))})
    first, second = signed(good, good_token), signed(bad, bad_token)
    plain = b"ordinary attachment"
    second.statement["attachments"].insert(
        0, signature_attachment(plain, usageType="http://example.com/attachments/cert")
    )
    body = multipart([first.statement, second.statement], [first.token, plain, second.token])
    response = xapi.post("statements", body, content_type=MULTIPART)
    assert_rejected(response, "does not verify", where="[1].attachments[1]")


# --- Rejected: algorithm and header -------------------------------------------------------------


def test_alg_none_is_400(xapi, keys):
    original = statement(id=new_id())
    head = b64url(json.dumps({"alg": "none"}).encode())
    body = b64url(json.dumps(original).encode())
    # An unsecured JWS has an empty signature part; with something in it, the alg is named.
    assert_rejected(post(xapi, signed(original, f"{head}.{body}.")), "not a JWS compact")
    response = post(xapi, signed(original, f"{head}.{body}.{b64url(b'x' * 256)}"))
    assert_rejected(response, "must be RS256, RS384 or RS512, not 'none'")


def test_hs256_is_400(xapi):
    original = statement(id=new_id())
    head = b64url(json.dumps({"alg": "HS256"}).encode())
    body = b64url(json.dumps(original).encode())
    mac = hmac.new(b"shared secret", f"{head}.{body}".encode(), hashlib.sha256).digest()
    response = post(xapi, signed(original, f"{head}.{body}.{b64url(mac)}"))
    assert_rejected(response, "must be RS256, RS384 or RS512, not 'HS256'")


def test_hmac_labelled_rs256_is_too_short(xapi):
    original = statement(id=new_id())
    head = b64url(json.dumps({"alg": "RS256"}).encode())
    body = b64url(json.dumps(original).encode())
    mac = hmac.new(b"shared secret", f"{head}.{body}".encode(), hashlib.sha256).digest()
    response = post(xapi, signed(original, f"{head}.{body}.{b64url(mac)}"))
    assert_rejected(response, "the signature is 32 bytes: too short for RS256")


def test_missing_alg_is_400(xapi, keys):
    original = statement(id=new_id())
    head = b64url(json.dumps({"typ": "JWT"}).encode())
    token = jws(original, keys["signer"])
    _, body, signature = token.split(".")
    assert_rejected(post(xapi, signed(original, f"{head}.{body}.{signature}")), "not None")


@pytest.mark.parametrize("alg", [["RS256"], {"name": "RS256"}, 256])
def test_alg_that_is_not_a_string_is_400(xapi, keys, alg):
    original = statement(id=new_id())
    _, body, signature = jws(original, keys["signer"]).split(".")
    head = b64url(json.dumps({"alg": alg}).encode())
    response = post(xapi, signed(original, f"{head}.{body}.{signature}"))
    assert_rejected(response, f"must be RS256, RS384 or RS512, not {alg!r}")


def test_critical_header_extension_is_400(xapi, keys):
    original = statement(id=new_id())
    token = jws(original, keys["signer"], header={"crit": ["b64"], "b64": True})
    assert_rejected(post(xapi, signed(original, token)), "marks extensions critical")


def test_duplicate_header_member_is_400(xapi, keys):
    original = statement(id=new_id())
    head = b64url(b'{"alg":"RS256","alg":"none"}')
    _, body, signature = jws(original, keys["signer"]).split(".")
    response = post(xapi, signed(original, f"{head}.{body}.{signature}"))
    assert_rejected(response, "duplicate member 'alg'")


# --- Rejected: malformed ------------------------------------------------------------------------


def _valid_token(keys) -> tuple[dict[str, Any], str]:
    original = statement(id=new_id())
    return original, jws(original, keys["signer"])


NOT_JSON = b64url(b"not json")
ARRAY = b64url(b"[1]")


@pytest.mark.parametrize(
    ("mangle", "message"),
    [
        (lambda head, body, sig: "not a jws", "not a JWS compact serialisation"),
        (lambda head, body, sig: f"{head}.{body}", "not a JWS compact serialisation"),
        (lambda head, body, sig: f"{head}.{body}.{sig}.{sig}", "not a JWS compact serialisation"),
        (lambda head, body, sig: f"{head}.{body}.{sig}==", "not a JWS compact serialisation"),
        (lambda head, body, sig: f"{head}.+{body}.{sig}", "not a JWS compact serialisation"),
        (lambda head, body, sig: f"é{head}.{body}.{sig}", "not a JWS compact serialisation"),
        (lambda head, body, sig: f".{body}.{sig}", "not a JWS compact serialisation"),
        (lambda head, body, sig: f"{head}.{body}.{sig}AAA", "not a JWS compact serialisation"),
        (lambda head, body, sig: f"{NOT_JSON}.{body}.{sig}", "JOSE header of the signature is not"),
        (lambda head, body, sig: f"{ARRAY}.{body}.{sig}", "JOSE header of the signature is not"),
        (lambda head, body, sig: f"{head}.{NOT_JSON}.{sig}", "signed payload of the signature"),
        (lambda head, body, sig: f"{head}.{ARRAY}.{sig}", "signed payload of the signature"),
    ],
    ids=[
        "not-a-jws",
        "two-parts",
        "four-parts",
        "padded",
        "bad-alphabet",
        "not-ascii",
        "empty-header",
        "impossible-length",
        "header-not-json",
        "header-not-object",
        "payload-not-json",
        "payload-not-object",
    ],
)
def test_malformed_jws_is_400(xapi, keys, mangle, message):
    original, token = _valid_token(keys)
    request = signed(original, mangle(*token.split(".")).encode())
    assert_rejected(post(xapi, request), message)


def test_signature_without_its_part_is_400(xapi, keys):
    original, token = _valid_token(keys)
    request = signed(original, token)
    response = xapi.post("statements", request.statement)
    assert_rejected(response, "the signature has no part in the request")
    with_url = {
        **original,
        "attachments": [
            signature_attachment(request.token, fileUrl="http://example.com/signature.jws")
        ],
    }
    assert_rejected(xapi.post("statements", with_url), "the signature has no part")


def test_signature_that_is_not_octet_stream_is_400(xapi, keys):
    original, token = _valid_token(keys)
    request = signed(original, token)
    request.statement["attachments"][0]["contentType"] = "application/jose"
    response = post(xapi, request)
    assert_rejected(
        response, "a signature must be application/octet-stream", "attachments[0].contentType"
    )


# --- Rejected: x5c ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("chain", "message"),
    [
        ([], "x5c must be a non-empty array of certificates"),
        ("MIIB", "x5c must be a non-empty array of certificates"),
        (["not base64!"], "x5c[0] is not a base64-encoded DER X.509 certificate"),
        ([base64.b64encode(b"not DER").decode()], "x5c[0] is not a base64-encoded DER"),
        ([7], "x5c[0] is not a base64-encoded DER X.509 certificate"),
    ],
    ids=["empty", "not-array", "not-base64", "not-der", "not-string"],
)
def test_malformed_x5c_is_400(xapi, keys, chain, message):
    original = statement(id=new_id())
    token = jws(original, keys["signer"], header={"x5c": chain})
    assert_rejected(post(xapi, signed(original, token)), message)


def test_base64url_certificate_in_x5c_is_400(xapi, keys):
    der = base64.b64decode(x5c(certificate(keys["signer"]))[0])
    urlsafe = base64.urlsafe_b64encode(der).decode()
    assert urlsafe != base64.b64encode(der).decode()  # the certificate holds + or /
    original = statement(id=new_id())
    token = jws(original, keys["signer"], header={"x5c": [urlsafe]})
    assert_rejected(post(xapi, signed(original, token)), "x5c[0] is not a base64-encoded DER")


def test_certificate_without_an_rsa_key_is_400(xapi, keys):
    original = statement(id=new_id())
    token = jws(original, keys["signer"], header={"x5c": x5c(certificate(keys["ec"]))})
    assert_rejected(post(xapi, signed(original, token)), "x5c[0] holds no RSA key")


def test_short_rsa_key_is_400(xapi, keys):
    original = statement(id=new_id())
    # A 1024-bit key signs 128 bytes: too short before the certificate is even read.
    token = jws(original, keys["short"], header={"x5c": x5c(certificate(keys["short"]))})
    assert_rejected(post(xapi, signed(original, token)), "the signature is 128 bytes")
    padded_token = token.rsplit(".", 1)[0] + "." + b64url(b"\0" * 256)
    response = post(xapi, signed(original, padded_token))
    assert_rejected(response, "the RSA key in x5c[0] has 1024 bits; RS256 needs 2048")


def test_certificate_not_for_signing_is_400(xapi, keys):
    cert = certificate(keys["signer"], key_usage="encipher")
    original = statement(id=new_id())
    token = jws(original, keys["signer"], header={"x5c": x5c(cert)})
    assert_rejected(post(xapi, signed(original, token)), "x5c[0] may not sign")


def test_chain_in_the_wrong_order_is_400(xapi, keys):
    ca = certificate(keys["ca"], "Example CA", ca=True, key_usage="certify")
    leaf = certificate(keys["signer"], issuer_key=keys["ca"], issuer="Example CA")
    original = statement(id=new_id())
    token = jws(original, keys["signer"], header={"x5c": x5c(ca, leaf)})
    response = post(xapi, signed(original, token))
    assert_rejected(response, "does not verify with the key of the certificate in x5c[0]")
    assert "CN=Example CA" in response.json()["error"]["message"]


def test_chain_with_an_unrelated_second_certificate_is_400(xapi, keys):
    leaf = certificate(keys["signer"], issuer_key=keys["ca"], issuer="Example CA")
    stranger = certificate(keys["other"], "Another CA", ca=True, key_usage="certify")
    original = statement(id=new_id())
    token = jws(original, keys["signer"], header={"x5c": x5c(leaf, stranger)})
    assert_rejected(post(xapi, signed(original, token)), "x5c[1] did not issue x5c[0]")


def test_issuer_with_the_right_name_but_another_key_is_400(xapi, keys):
    leaf = certificate(keys["signer"], issuer_key=keys["ca"], issuer="Example CA")
    impostor = certificate(keys["other"], "Example CA", ca=True, key_usage="certify")
    original = statement(id=new_id())
    token = jws(original, keys["signer"], header={"x5c": x5c(leaf, impostor)})
    assert_rejected(post(xapi, signed(original, token)), "x5c[1] did not issue x5c[0]")


@pytest.mark.parametrize(
    ("ca", "key_usage", "message"),
    [
        (False, "certify", "x5c[1] is not a CA certificate"),
        (None, "certify", "x5c[1] is not a CA certificate"),
        (True, "sign", "x5c[1] may not sign certificates"),
    ],
    ids=["ca-false", "no-basic-constraints", "no-key-cert-sign"],
)
def test_issuer_that_may_not_issue_is_400(xapi, keys, ca, key_usage, message):
    issuer = certificate(keys["ca"], "Example CA", ca=ca, key_usage=key_usage)
    leaf = certificate(keys["signer"], issuer_key=keys["ca"], issuer="Example CA")
    original = statement(id=new_id())
    token = jws(original, keys["signer"], header={"x5c": x5c(leaf, issuer)})
    assert_rejected(post(xapi, signed(original, token)), message)


def test_overlong_chain_is_400(xapi, keys):
    cert = certificate(keys["signer"])
    original = statement(id=new_id())
    token = jws(original, keys["signer"], header={"x5c": x5c(*[cert] * 11)})
    assert_rejected(post(xapi, signed(original, token)), "x5c holds more than 10 certificates")
