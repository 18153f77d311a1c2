"""A 403 or 404 is one line in the log; a 500 keeps its traceback; no request body."""

import io
import logging

import pytest

from xxgk.accounts.roles import Role


@pytest.fixture
def request_log():
    """What the console would show for ``django.request`` (with the settings' filters)."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(logging.Formatter("%(levelname)s %(message)s"))
    logger = logging.getLogger("django.request")
    logger.addHandler(handler)
    try:
        yield stream
    finally:
        logger.removeHandler(handler)


@pytest.mark.django_db
def test_a_403_is_one_line_without_traceback(client, cast, request_log):
    client.force_login(cast.user("subordinate", Role.HANDLER))
    url = f"/workspace/agencies/{cast.subordinate.pk}/audit/"
    assert client.get(url).status_code == 403
    assert client.get("/workspace/agencies/999999/").status_code == 404
    lines = request_log.getvalue().strip().splitlines()
    assert lines == [
        f"WARNING Forbidden (Permission denied): {url}",
        "WARNING Not Found: /workspace/agencies/999999/",
    ]


@pytest.mark.django_db
def test_a_refused_post_does_not_log_its_body(client, cast, request_log):
    client.force_login(cast.user("subordinate", Role.HANDLER))
    url = f"/workspace/agencies/{cast.subordinate.pk}/staff/new/"
    response = client.post(url, {"username": "x", "full_name": "张三 110101199003074514"})
    assert response.status_code == 403
    log = request_log.getvalue()
    assert "Forbidden" in log and "110101199003074514" not in log and "张三" not in log


def test_a_500_keeps_its_traceback(request_log):
    logger = logging.getLogger("django.request")
    try:
        raise ValueError("boom")
    except ValueError:
        logger.error("Internal Server Error: /x", exc_info=True, extra={"status_code": 500})
    assert "Traceback" in request_log.getvalue() and "ValueError: boom" in request_log.getvalue()
