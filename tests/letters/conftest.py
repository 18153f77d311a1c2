"""Fixtures for the letters tests: a registered case of the shared cast's street office.

No Django import at module level: this file may load before Django is set up.
"""

from __future__ import annotations

from datetime import date

import pytest


@pytest.fixture
def make_case(cast):
    """``make_case(**decision)`` → a case received 2026-03-02 in person, with A's fields set
    directly (as the workflow's operations would have)."""
    from xxgk.accounts.roles import Role
    from xxgk.applications.models import Application
    from xxgk.applications.operations import ApplicantData, register_application

    def make(agency_key: str = "subordinate", name: str = "张三", **fields):
        agency = cast.agency(agency_key)
        case = register_application(
            cast.user(agency_key, Role.REGISTRAR),
            agency,
            channel="in_person",
            applicant=ApplicantData(
                kind="natural_person",
                name=name,
                id_type="other",
                id_number="X1234567",
                phone="13800138000",
                address="测试区一号路2号",
            ),
            description="2025年本街道老旧小区改造项目的审批文件",
            submitted_on=date(2026, 3, 2),
        )
        if fields:
            Application.objects.filter(pk=case.pk).update(**fields)
            case.refresh_from_db()
        return case

    return make
