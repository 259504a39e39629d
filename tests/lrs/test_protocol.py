"""Attachments, the alternate request syntax, sessions and CORS (signatures: test_signatures.py)."""

from __future__ import annotations

import hashlib
import json
from urllib.parse import urlencode

from ecotone.lrs.models import AttachmentContent
from ecotone.people.models import Person, RoleGrant, User
from tests.lrs.conftest import attachment, new_id, statement


def _multipart(statements, parts, boundary="xapi-boundary", encoding=True) -> bytes:
    chunks = [
        f"--{boundary}\r\nContent-Type: application/json\r\n\r\n".encode(),
        json.dumps(statements).encode(),
        b"\r\n",
    ]
    for content_type, content, sha2 in parts:
        headers = f"--{boundary}\r\nContent-Type: {content_type}\r\n"
        if encoding:
            headers += "Content-Transfer-Encoding: binary\r\n"
        headers += f"X-Experience-API-Hash: {sha2}\r\n\r\n"
        chunks += [headers.encode(), content, b"\r\n"]
    chunks.append(f"--{boundary}--\r\n".encode())
    return b"".join(chunks)


MULTIPART = 'multipart/mixed; boundary="xapi-boundary"'


def test_attachments_round_trip(xapi):
    content = b"certified"
    body = statement(attachments=[attachment(content)])
    sha2 = body["attachments"][0]["sha2"]
    response = xapi.post(
        "statements", _multipart(body, [("text/plain", content, sha2)]), content_type=MULTIPART
    )
    assert response.status_code == 200, response.content
    statement_id = response.json()[0]
    assert AttachmentContent.objects.get(sha2=sha2).content_type == "text/plain"
    fetched = xapi.get("statements", {"statementId": statement_id, "attachments": "true"})
    assert fetched["Content-Type"].startswith("multipart/mixed; boundary=")
    assert f"X-Experience-API-Hash: {sha2}".encode() in fetched.content
    assert b"\r\n\r\ncertified\r\n" in fetched.content
    plain = xapi.get("statements", {"statementId": statement_id})
    assert plain["Content-Type"] == "application/json"


def test_attachment_with_file_url_needs_no_part(xapi):
    body = statement(attachments=[attachment(b"x", fileUrl="http://example.com/cert.txt")])
    assert xapi.post("statements", body).status_code == 200


def test_attachment_without_its_part_is_400(xapi):
    body = statement(attachments=[attachment(b"certified")])
    assert xapi.post("statements", body).status_code == 400


def test_attachment_part_must_match_its_hash(xapi):
    body = statement(attachments=[attachment(b"certified")])
    sha2 = body["attachments"][0]["sha2"]
    tampered = _multipart(body, [("text/plain", b"forged!!!", sha2)])
    assert xapi.post("statements", tampered, content_type=MULTIPART).status_code == 400


def test_attachment_part_needs_binary_transfer_encoding(xapi):
    content = b"certified"
    body = statement(attachments=[attachment(content)])
    sha2 = body["attachments"][0]["sha2"]
    request = _multipart(body, [("text/plain", content, sha2)], encoding=False)
    assert xapi.post("statements", request, content_type=MULTIPART).status_code == 400


def test_stray_attachment_part_is_400(xapi):
    extra = b"nobody asked"
    sha2 = hashlib.sha256(extra).hexdigest()
    request = _multipart(statement(), [("text/plain", extra, sha2)])
    assert xapi.post("statements", request, content_type=MULTIPART).status_code == 400


def _form(xapi, **fields) -> dict:
    return {"Authorization": xapi.headers()["Authorization"], **fields}


def test_alternate_request_syntax_put(xapi1):
    statement_id = new_id()
    form = _form(
        xapi1,
        **{
            "X-Experience-API-Version": "1.0.3",
            "Content-Type": "application/json",
            "content": json.dumps(statement()),
            "statementId": statement_id,
        },
    )
    response = xapi1.http.post(
        "/xapi/statements?method=PUT",
        urlencode(form),
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 204, response.content
    assert response["X-Experience-API-Version"] == "1.0.3"
    got = xapi1.http.post(
        "/xapi/statements?method=GET",
        urlencode(
            _form(xapi1, **{"X-Experience-API-Version": "1.0.3", "statementId": statement_id})
        ),
        content_type="application/x-www-form-urlencoded",
    )
    assert got.json()["id"] == statement_id


def test_alternate_request_syntax_rejects_query_parameters_and_2_0(xapi1):
    form = urlencode(_form(xapi1, **{"X-Experience-API-Version": "1.0.3"}))
    response = xapi1.http.post(
        f"/xapi/statements?method=GET&statementId={new_id()}",
        form,
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 400
    modern = urlencode(_form(xapi1, **{"X-Experience-API-Version": "2.0.0"}))
    response = xapi1.http.post(
        "/xapi/statements?method=GET", modern, content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 400


def test_signed_in_ld_may_read_but_not_write(client, xapi):
    user = User.objects.create_user("lena@example.com")
    person = Person.objects.create(user=user, display_name="Lena")
    RoleGrant.objects.create(person=person, role=RoleGrant.Role.LEARNING)
    client.force_login(user)
    headers = {"X-Experience-API-Version": "2.0.0"}
    assert client.get("/xapi/statements", headers=headers).status_code == 200
    response = client.post(
        "/xapi/statements",
        json.dumps(statement()),
        content_type="application/json",
        headers=headers,
    )
    assert response.status_code == 403


def test_signed_in_learner_may_not_read(client, db):
    user = User.objects.create_user("leo@example.com")
    Person.objects.create(user=user, display_name="Leo")
    client.force_login(user)
    response = client.get("/xapi/statements", headers={"X-Experience-API-Version": "2.0.0"})
    assert response.status_code == 401


def test_cors_preflight(client, db):
    response = client.options("/xapi/statements", headers={"Origin": "https://tool.example"})
    assert response.status_code == 204
    assert response["Access-Control-Allow-Origin"] == "https://tool.example"
    assert "X-Experience-API-Version" in response["Access-Control-Allow-Headers"]


def test_wrong_method_is_405(xapi):
    assert xapi.delete("statements").status_code == 405


def test_unsupported_content_type_is_400(xapi):
    response = xapi.post("statements", "a=b", content_type="application/x-www-form-urlencoded")
    assert response.status_code == 400


def test_client_requests_skip_the_site_middleware(xapi, client, lrs_admin):
    response = xapi.post("statements", statement())
    assert response.status_code == 200
    assert "Cookie" not in response.get("Vary", "")
    assert "Content-Security-Policy" not in response
    # the HTML pages under /xapi/ keep the whole chain, Basic credentials or not
    page = client.get("/xapi/browse/", headers=xapi.headers())
    assert page.status_code == 302
    # so does a browser reading statements with its session
    client.force_login(lrs_admin)
    read = client.get("/xapi/statements", headers={"X-Experience-API-Version": "2.0.0"})
    assert read.status_code == 200
    assert "Cookie" in read.get("Vary", "")


def test_client_requests_still_check_the_host(xapi):
    response = xapi.http.get("/xapi/statements", headers={**xapi.headers(), "Host": "evil.example"})
    assert response.status_code == 400
