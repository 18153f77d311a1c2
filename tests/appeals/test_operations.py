"""Appeals (行政复议、行政诉讼) linked to a case: kinds, dates, body, result; roles; audit."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from tests.applications.conftest import person
from xxgk.accounts.roles import Role
from xxgk.appeals import operations
from xxgk.appeals.models import Appeal, AppealResult
from xxgk.applications import operations as applications
from xxgk.audit.models import AuditEvent

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(cast):
    for key in ("subordinate",):
        agency = cast.agency(key)
        agency.channels = ["in_person", "post"]
        agency.save()
    return applications.register_application(
        cast.user("subordinate", Role.REGISTRAR), cast.subordinate, channel="in_person",
        applicant=person(), description="某文件", medium="paper", delivery="post",
        submitted_on=date(2026, 3, 2),
    )  # fmt: skip


def lead(cast):
    return cast.user("subordinate", Role.LEADER)


def test_review_then_suit_after_review(cast, case):
    review = operations.record_appeal(
        lead(cast), case, kind="review", filed_on=date(2026, 4, 1), body="测试区人民政府"
    )
    assert review.result == AppealResult.PENDING and review.agency == cast.subordinate
    with pytest.raises(ValidationError, match="已审结"):
        operations.record_appeal(lead(cast), case, kind="suit_after_review", filed_on=date(2026, 4, 2),
                                 body="测试区人民法院", earlier=review)  # fmt: skip
    review = operations.record_result(
        lead(cast), review, result="upheld", decided_on=date(2026, 5, 20)
    )
    with pytest.raises(ValidationError, match="早于复议决定"):
        operations.record_appeal(lead(cast), case, kind="suit_after_review", filed_on=date(2026, 5, 19),
                                 body="测试区人民法院", earlier=review)  # fmt: skip
    suit = operations.record_appeal(lead(cast), case, kind="suit_after_review", filed_on=date(2026, 6, 1),
                                    body="测试区人民法院", earlier=review)  # fmt: skip
    assert suit.earlier_id == review.pk
    assert set(AuditEvent.objects.filter(action__startswith="appeal.").values_list("action", flat=True)) == {
        "appeal.record", "appeal.record_result"}  # fmt: skip


def test_bad_input_stores_nothing(cast, case):
    h = cast.user("subordinate", Role.HANDLER)
    cases = [
        ({"kind": "petition", "filed_on": date(2026, 4, 1), "body": "x"}, "请选择"),
        ({"kind": "review", "filed_on": date(2026, 4, 1), "body": " "}, "复议机关"),
        ({"kind": "review", "filed_on": date(2099, 1, 1), "body": "x"}, "晚于今天"),
        ({"kind": "review", "filed_on": date(2026, 1, 1), "body": "x"}, "早于收到"),
        (
            {"kind": "suit_after_review", "filed_on": date(2026, 4, 1), "body": "x"},
            "指明本案的行政复议",
        ),
    ]
    for kwargs, message in cases:
        with pytest.raises(ValidationError, match=message):
            operations.record_appeal(h, case, **kwargs)
    assert not Appeal.objects.exists()


def test_roles_and_results(cast, case):
    with pytest.raises(PermissionDenied):
        operations.record_appeal(cast.user("subordinate", Role.REGISTRAR), case, kind="review",
                                 filed_on=date(2026, 4, 1), body="x")  # fmt: skip
    with pytest.raises(PermissionDenied):
        operations.record_appeal(cast.user("district", Role.SUPERVISOR), case, kind="review",
                                 filed_on=date(2026, 4, 1), body="x")  # fmt: skip
    suit = operations.record_appeal(
        lead(cast), case, kind="suit_direct", filed_on=date(2026, 4, 1), body="法院"
    )
    with pytest.raises(ValidationError, match="请选择结果"):
        operations.record_result(lead(cast), suit, result="pending", decided_on=date(2026, 5, 1))
    with pytest.raises(ValidationError, match="早于"):
        operations.record_result(lead(cast), suit, result="other", decided_on=date(2026, 3, 1))
    operations.record_result(lead(cast), suit, result="corrected", decided_on=date(2026, 5, 1))
    with pytest.raises(ValidationError, match="已登记结果"):
        operations.record_result(lead(cast), suit, result="other", decided_on=date(2026, 5, 2))
    assert Appeal.objects.get(pk=suit.pk).result == "corrected"


def test_a_locked_year_cannot_change_through_appeals(cast):
    """Once a year is locked (report published), no appeal filed in it and no result decided
    in it can be recorded; the next year stays open."""
    from xxgk.applications.workflow import lock_year

    agency = cast.subordinate
    agency.channels = ["in_person", "post"]
    agency.save()
    old = applications.register_application(
        cast.user("subordinate", Role.REGISTRAR), agency, channel="in_person",
        applicant=person(), description="某文件", medium="paper", delivery="post",
        submitted_on=date(2025, 3, 2),
    )  # fmt: skip
    open_review = operations.record_appeal(
        lead(cast), old, kind="review", filed_on=date(2025, 4, 1), body="测试区人民政府"
    )
    lock_year(lead(cast), agency, 2025)
    before = Appeal.objects.count()
    with pytest.raises(ValidationError, match="2025年度已锁定"):
        operations.record_appeal(
            lead(cast), old, kind="review", filed_on=date(2025, 5, 1), body="测试区人民政府"
        )
    assert Appeal.objects.count() == before
    with pytest.raises(ValidationError, match="2025年度已锁定"):
        operations.record_result(
            lead(cast), open_review, result="upheld", decided_on=date(2025, 6, 1)
        )
    open_review.refresh_from_db()
    assert open_review.result == AppealResult.PENDING and open_review.decided_on is None
    # 2026 is not locked: a result decided in it, and a new appeal filed in it, are recorded
    done = operations.record_result(
        lead(cast), open_review, result="corrected", decided_on=date(2026, 1, 10)
    )
    assert done.decided_on == date(2026, 1, 10)
    operations.record_appeal(
        lead(cast), old, kind="suit_direct", filed_on=date(2026, 2, 1), body="测试区人民法院"
    )
