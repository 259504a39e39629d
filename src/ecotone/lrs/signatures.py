"""Signed statements: the JWS a statement carries as a signature attachment is checked, and
verified against the certificate in its ``x5c`` header when there is one.

The specification (xAPI 1.0.3 Data 2.6, xAPI 2.0 / IEEE 9274.1.1 "Statement Signing") asks an LRS
to reject a malformed signature with a 400: the attachment is ``application/octet-stream`` with the
signature usage type, its part is in the request, the JWS is a compact serialisation signed with
RS256, RS384 or RS512, its payload is the statement (compared by the statement comparison rules),
and when the JOSE header carries an X.509 certificate the signature verifies with that
certificate's key. The check "catches mistakes, it is not a security measure": deciding whether
to trust the signer is left to whoever reads the statement. So the chain in ``x5c`` is checked as
far as it can be offline (order, names, issuer signatures, CA flags, key usages), but not against
trust anchors, revocation lists or validity dates (docs/lrs.md, "Signed statements").
"""

from __future__ import annotations

import base64
import binascii
import json
import re
from collections.abc import Mapping, Sequence
from typing import Any

from cryptography import x509
from cryptography.exceptions import InvalidSignature, UnsupportedAlgorithm
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, rsa

from ecotone.lrs import services
from ecotone.lrs.validation import SIGNATURE_USAGE, StatementInvalid

SIGNATURE_MEDIA_TYPE = "application/octet-stream"
ALGORITHMS: dict[str, type[hashes.HashAlgorithm]] = {
    "RS256": hashes.SHA256,
    "RS384": hashes.SHA384,
    "RS512": hashes.SHA512,
}
MIN_RSA_BITS = 2048  # RFC 7518 3.3: "A key of size 2048 bits or larger MUST be used"
MAX_CHAIN = 10
_BASE64URL = re.compile(r"[A-Za-z0-9_-]+")


def check_statements(
    statements: Sequence[dict[str, Any]], attachments: Mapping[str, tuple[str, bytes]]
) -> None:
    """Check every signature attachment of a batch against its part in ``attachments`` (keyed
    by the part's ``X-Experience-API-Hash``). Raises ``StatementInvalid`` naming the attachment:
    ``[0].attachments[1]: the signature does not verify with …``."""
    for index, statement in enumerate(statements):
        listed = statement.get("attachments")
        if not isinstance(listed, list):
            continue  # validation rejects it with a better message
        prefix = f"[{index}]." if len(statements) > 1 else ""
        for position, attachment in enumerate(listed):
            if isinstance(attachment, dict) and attachment.get("usageType") == SIGNATURE_USAGE:
                check_signature(
                    statement, attachment, attachments, where=f"{prefix}attachments[{position}]"
                )


def check_signature(
    statement: dict[str, Any],
    attachment: dict[str, Any],
    attachments: Mapping[str, tuple[str, bytes]],
    *,
    where: str,
) -> None:
    """One signature attachment of ``statement``; see the module docstring for the rules."""
    content_type = attachment.get("contentType")
    if not isinstance(content_type, str) or content_type.strip().lower() != SIGNATURE_MEDIA_TYPE:
        raise StatementInvalid(
            f"a signature must be {SIGNATURE_MEDIA_TYPE}", f"{where}.contentType"
        )
    part = attachments.get(str(attachment.get("sha2")))
    if part is None:
        raise StatementInvalid(
            "the signature has no part in the request (send it in a multipart/mixed body)", where
        )
    header_b64, payload_b64, signature_b64 = _compact_parts(part[1], where)
    header = _json_object(header_b64, "JOSE header", where)
    algorithm = header.get("alg")
    if not isinstance(algorithm, str) or algorithm not in ALGORITHMS:
        raise StatementInvalid(
            f"the signature algorithm must be RS256, RS384 or RS512, not {algorithm!r}", where
        )
    if "crit" in header:
        raise StatementInvalid(
            f"the JOSE header marks extensions critical ({header['crit']!r}) that the LRS "
            "does not understand",
            where,
        )
    payload = _json_object(payload_b64, "signed payload", where)
    if not _signed_matches(payload, statement):
        raise StatementInvalid("the signed payload does not match the statement", where)
    signature = _decode(signature_b64)
    if len(signature) * 8 < MIN_RSA_BITS:
        raise StatementInvalid(
            f"the signature is {len(signature)} bytes: too short for {algorithm} "
            f"(an RSA key of at least {MIN_RSA_BITS} bits signs with {MIN_RSA_BITS // 8})",
            where,
        )
    if "x5c" in header:
        signing_input = f"{header_b64}.{payload_b64}".encode("ascii")
        _verify_with_chain(header["x5c"], signing_input, signature, algorithm, where)


def _compact_parts(content: bytes, where: str) -> tuple[str, str, str]:
    try:
        text = content.decode("ascii").strip()
    except UnicodeDecodeError:
        text = ""
    parts = text.split(".")
    if len(parts) != 3 or not all(
        _BASE64URL.fullmatch(item) and len(item) % 4 != 1 for item in parts
    ):
        raise StatementInvalid(
            "the signature is not a JWS compact serialisation "
            "(three base64url parts, unpadded, separated by dots)",
            where,
        )
    return parts[0], parts[1], parts[2]


def _decode(value: str) -> bytes:
    """base64url without padding (RFC 7515 2); ``value`` has a valid alphabet and length."""
    return base64.urlsafe_b64decode(value + "=" * (-len(value) % 4))


def _json_object(value: str, what: str, where: str) -> dict[str, Any]:
    def no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        found: dict[str, Any] = {}
        for key, item in pairs:
            if key in found:
                raise ValueError(f"duplicate member {key!r}")
            found[key] = item
        return found

    try:
        parsed = json.loads(_decode(value).decode("utf-8"), object_pairs_hook=no_duplicates)
    except (ValueError, UnicodeDecodeError, binascii.Error) as error:
        raise StatementInvalid(
            f"the {what} of the signature is not valid JSON ({error})", where
        ) from None
    if not isinstance(parsed, dict):
        raise StatementInvalid(f"the {what} of the signature is not a JSON object", where)
    return parsed


def _signed_matches(payload: dict[str, Any], statement: dict[str, Any]) -> bool:
    """The statement comparison rules, ignoring what the LRS sets, the attachments (the payload
    was signed before the signature was attached) and an id only one side has."""

    def strip(value: dict[str, Any]) -> dict[str, Any]:
        return {key: item for key, item in value.items() if key not in ("attachments", "id")}

    if (
        "id" in payload
        and "id" in statement
        and str(payload["id"]).lower() != str(statement["id"]).lower()
    ):
        return False
    try:
        return services.same_statement(strip(payload), strip(statement))
    except (ValueError, KeyError, TypeError, AttributeError):
        return False


def _verify_with_chain(
    chain: Any, signing_input: bytes, signature: bytes, algorithm: str, where: str
) -> None:
    """RFC 7515 4.1.6: ``x5c`` holds base64 (not base64url) DER certificates, the signer's first,
    each followed by the one that certified it."""
    if not isinstance(chain, list) or not chain:
        raise StatementInvalid("x5c must be a non-empty array of certificates", where)
    if len(chain) > MAX_CHAIN:
        raise StatementInvalid(f"x5c holds more than {MAX_CHAIN} certificates", where)
    certificates = [_certificate(item, f"x5c[{index}]", where) for index, item in enumerate(chain)]
    signer = certificates[0]
    key = signer.public_key()
    if not isinstance(key, rsa.RSAPublicKey):
        raise StatementInvalid(
            f"the certificate in x5c[0] holds no RSA key, so it cannot have signed {algorithm}",
            where,
        )
    if key.key_size < MIN_RSA_BITS:
        raise StatementInvalid(
            f"the RSA key in x5c[0] has {key.key_size} bits; {algorithm} needs {MIN_RSA_BITS} "
            "or more",
            where,
        )
    try:
        key.verify(signature, signing_input, padding.PKCS1v15(), ALGORITHMS[algorithm]())
    except InvalidSignature:
        raise StatementInvalid(
            f"the signature does not verify with the key of the certificate in x5c[0] "
            f"({signer.subject.rfc4514_string() or 'no subject'})",
            where,
        ) from None
    usage = _key_usage(signer)
    if usage is not None and not (usage.digital_signature or usage.content_commitment):
        raise StatementInvalid(
            "the certificate in x5c[0] may not sign (its key usage has neither "
            "digitalSignature nor nonRepudiation)",
            where,
        )
    for index in range(1, len(certificates)):
        _check_issued(certificates[index - 1], certificates[index], index, where)


def _certificate(value: Any, name: str, where: str) -> x509.Certificate:
    try:
        if not isinstance(value, str):
            raise ValueError("not a string")
        certificate = x509.load_der_x509_certificate(base64.b64decode(value, validate=True))
        # Extensions and the key are parsed lazily: a malformed one fails here, not later.
        _ = certificate.extensions, certificate.public_key()
    except (ValueError, binascii.Error, UnsupportedAlgorithm):
        raise StatementInvalid(
            f"{name} is not a base64-encoded DER X.509 certificate", where
        ) from None
    return certificate


def _key_usage(certificate: x509.Certificate) -> x509.KeyUsage | None:
    try:
        return certificate.extensions.get_extension_for_class(x509.KeyUsage).value
    except x509.ExtensionNotFound:
        return None


def _check_issued(
    subject: x509.Certificate, issuer: x509.Certificate, index: int, where: str
) -> None:
    """``x5c[index]`` issued ``x5c[index - 1]``: names, signature, and it is a CA (RFC 5280 6.1)."""
    try:
        subject.verify_directly_issued_by(issuer)
    except (ValueError, TypeError, InvalidSignature, UnsupportedAlgorithm):
        raise StatementInvalid(
            f"x5c[{index}] did not issue x5c[{index - 1}]: the chain must start with the "
            "signer's certificate, each followed by the certificate of its issuer",
            where,
        ) from None
    if issuer.version == x509.Version.v3:
        try:
            constraints = issuer.extensions.get_extension_for_class(x509.BasicConstraints).value
        except x509.ExtensionNotFound:
            constraints = None
        if constraints is None or not constraints.ca:
            raise StatementInvalid(
                f"x5c[{index}] is not a CA certificate (basicConstraints cA is not set), "
                f"so it cannot have issued x5c[{index - 1}]",
                where,
            )
    usage = _key_usage(issuer)
    if usage is not None and not usage.key_cert_sign:
        raise StatementInvalid(
            f"x5c[{index}] may not sign certificates (its key usage lacks keyCertSign)", where
        )
