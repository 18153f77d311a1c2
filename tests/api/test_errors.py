"""422 answers for requests that do not fit the schema: Chinese, per field, on every router."""

from __future__ import annotations

import json
from datetime import date
from typing import Literal

import pydantic
import pytest

from tests.api.test_views import bearer
from xxgk.accounts.roles import Role
from xxgk.api.errors import MESSAGES, chinese_errors, field_path

ENGLISH = ("Field required", "should", "Input", "valid", "Value error")


class Sample(pydantic.BaseModel):
    name: str = pydantic.Field(min_length=1, max_length=3)
    count: int = pydantic.Field(gt=0, le=10)
    on: date
    kind: Literal["a", "b"]
    items: list[int] = []

    @pydantic.field_validator("items")
    @classmethod
    def _even(cls, v: list[int]) -> list[int]:
        if any(i % 2 for i in v):
            raise ValueError("只能是偶数。")
        return v


def errors_for(**data):
    with pytest.raises(pydantic.ValidationError) as caught:
        Sample(**data)
    return [
        {**e, "loc": ("body", "payload", *e["loc"])} for e in caught.value.errors(include_url=False)
    ]


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({}, "name", "必填。"),
        ({"name": ""}, "name", "不能为空。"),
        ({"name": "abcd"}, "name", "不能超过3个字。"),
        ({"count": "x"}, "count", "应为整数。"),
        ({"count": 0}, "count", "应大于 0。"),
        ({"count": 11}, "count", "应不大于 10。"),
        ({"on": "2026-13-01"}, "on", "日期格式应为 YYYY-MM-DD。"),
        ({"on": "2026-11-02T10:00:00"}, "on", "应为日期，不含时间。"),
        ({"kind": "c"}, "kind", "只能是 'a' 或 'b'。"),
        ({"items": [2, 3]}, "items", "只能是偶数。"),
        ({"items": ["x"]}, "items[0]", "应为整数。"),
    ],
)
def test_common_pydantic_errors_have_chinese_messages(data, field, message):
    body = chinese_errors(errors_for(**data))
    by_field = {e["field"]: e["msg"] for e in body["errors"]}
    assert by_field[field] == message
    assert f"{field}：{message}" in body["detail"]
    for word in ENGLISH:
        assert word not in body["detail"]


def test_an_unknown_error_type_gets_a_generic_message_with_the_field():
    body = chinese_errors([{"type": "brand_new_type", "loc": ("query", "limit"), "msg": "Boo"}])
    assert body["detail"] == "limit：取值无效。"
    assert "brand_new_type" not in MESSAGES


def test_field_paths():
    assert field_path(["body", "payload", "applicant", "id_number"]) == "applicant.id_number"
    assert field_path(["query", "limit"]) == "limit"
    assert field_path(["body", "payload", "roles", 2]) == "roles[2]"
    assert field_path(["body"]) == "请求正文"


@pytest.mark.django_db
def test_api_schema_errors_are_chinese(client, cast):
    auth = bearer(cast.user("subordinate", Role.ADMIN))
    url = f"/api/agencies/{cast.subordinate.pk}/staff"
    response = client.post(
        url, json.dumps({"username": "x"}), content_type="application/json", **auth
    )
    assert response.status_code == 422
    body = response.json()
    assert "Field required" not in json.dumps(body, ensure_ascii=False)
    assert "username：至少2个字。" in body["detail"]
    assert "full_name：必填。" in body["detail"] and "roles：必填。" in body["detail"]
    bad_json = client.post(url, "{", content_type="application/json", **auth)
    assert bad_json.status_code == 400
    assert bad_json.json()["detail"] == "请求正文不是有效的 JSON。"
    assert client.get(url).json()["detail"].startswith("请先登录")
    audit = f"/api/agencies/{cast.subordinate.pk}/audit?limit=many"
    assert client.get(audit, **auth).json()["detail"] == "limit：应为整数。"


@pytest.mark.django_db
def test_other_routers_answer_in_chinese_too(client, cast):
    auth = bearer(cast.user("subordinate", Role.REGISTRAR))
    url = f"/api/agencies/{cast.subordinate.pk}/applications"
    response = client.post(url, json.dumps({}), content_type="application/json", **auth)
    assert response.status_code == 422
    assert "必填" in response.json()["detail"]
    assert "Field required" not in response.content.decode()
