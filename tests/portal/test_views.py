"""The public portal: district home, agency pages, 指南 and 目录 placeholders."""

import pytest

pytestmark = pytest.mark.django_db

PAGES = [
    "/",
    "/org/cast-subordinate/",
    "/org/cast-subordinate/guide/",
    "/org/cast-subordinate/catalogue/",
]


def test_home_page_answers_in_chinese_without_agencies(client):
    response = client.get("/")
    assert response.status_code == 200
    assert "政府信息公开" in response.content.decode()


def test_home_shows_the_district_and_its_agencies_by_kind(client, cast):
    page = client.get("/").content.decode()
    assert "测试区人民政府 · 政府信息公开" in page
    assert "街道办事处" in page and "/org/cast-subordinate/" in page


@pytest.mark.parametrize("url", PAGES)
def test_pages_are_public_and_read_only(client, cast, url):
    assert client.get(url).status_code == 200
    assert client.head(url).status_code == 200
    for method in ("post", "put", "delete"):
        assert getattr(client, method)(url).status_code == 405


@pytest.mark.parametrize("url", ["/org/nope/", "/org/nope/guide/", "/org/nope/catalogue/"])
def test_unknown_agency_is_404_in_chinese(client, cast, url):
    response = client.get(url)
    assert response.status_code == 404
    assert "页面不存在" in response.content.decode()


def test_inactive_agency_is_not_public(client, cast):
    from xxgk.agencies.models import Agency

    Agency.objects.filter(pk=cast.subordinate.pk).update(is_active=False)
    assert client.get("/org/cast-subordinate/").status_code == 404
    assert "/org/cast-subordinate/" not in client.get("/").content.decode()


def test_guide_shows_the_office_block_and_channels(client, cast):
    """条例第十二条：指南包括工作机构的名称、办公地址、办公时间、联系电话、传真号码、互联网联系方式。"""
    page = client.get("/org/cast-subordinate/guide/").content.decode()
    assert "向阳街道党政办" in page and "010-2" in page
    assert "当面提交、邮政寄送" in page


@pytest.mark.parametrize(
    "asset",
    ["/static/xxgk/css/site.css", "/static/xxgk/vendor/htmx.min.js", "/static/xxgk/favicon.svg"],
)
def test_assets_are_served_locally(client, asset):
    """No CDN: the stylesheet and htmx ship in the repository."""
    response = client.get(asset)
    assert response.status_code == 200
    assert len(b"".join(response.streaming_content)) > 100
