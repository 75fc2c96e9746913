"""The JSON handler wrapper rejects bad requests before the handler body runs."""

import json

from webob import Request

from digital_skills_xblocks.common.handlers import HandlerError, validated_json_handler


class FakeBlock:
    def __init__(self):
        self.calls = []

    @validated_json_handler(max_bytes=100)
    def echo(self, data, suffix):
        if data.get("fail"):
            raise HandlerError("nope", status=409, code="conflict")
        self.calls.append(data)
        return {"echo": data}


def post(body, method="POST"):
    request = Request.blank("/", method=method, body=body if isinstance(body, bytes) else body.encode("utf-8"))
    return request


def error_of(response):
    return json.loads(response.body)["error"]


def test_valid_request_reaches_handler():
    block = FakeBlock()

    response = block.echo(post('{"a": "Việt"}'))

    assert response.status_code == 200
    assert json.loads(response.body) == {"echo": {"a": "Việt"}}
    assert block.calls == [{"a": "Việt"}]


def test_rejects_get_with_405():
    block = FakeBlock()

    response = block.echo(post("{}", method="GET"))

    assert response.status_code == 405
    assert error_of(response)["code"] == "method_not_allowed"
    assert block.calls == []


def test_rejects_oversized_body_with_413():
    block = FakeBlock()

    response = block.echo(post(json.dumps({"a": "x" * 200})))

    assert response.status_code == 413
    assert block.calls == []


def test_rejects_malformed_json_with_400():
    block = FakeBlock()

    for body in ("{not json", b"\xff\xfe", "[1, 2]", '"text"'):
        response = block.echo(post(body))
        assert response.status_code == 400, body
        assert response.content_type == "application/json"
    assert block.calls == []


def test_handler_error_becomes_json():
    block = FakeBlock()

    response = block.echo(post('{"fail": true}'))

    assert response.status_code == 409
    assert error_of(response) == {"code": "conflict", "message": "nope"}
