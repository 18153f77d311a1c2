import pytest

pytestmark = pytest.mark.django_db


def test_home_page_answers_in_chinese(client):
    response = client.get("/")
    assert response.status_code == 200
    assert "政府信息公开" in response.content.decode()


def test_home_page_refuses_post(client):
    assert client.post("/").status_code == 405
