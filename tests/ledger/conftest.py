"""Fixtures for the ledger tests: a year of varied cases at the cast's street office.

No Django import at module level: this file may load before Django is set up.
"""

from __future__ import annotations

import itertools
from datetime import date

import pytest


@pytest.fixture
def make_case(cast):
    """``make_case(received, name=…, kind=…, **fields)``: an in-person case received on
    ``received``, then the workflow's fields set directly (as its operations would have)."""
    from xxgk.accounts.roles import Role
    from xxgk.applications import clock
    from xxgk.applications.models import Application
    from xxgk.applications.operations import ApplicantData, register_application

    serial = itertools.count(1)

    def make(received: date, *, name="张三", kind="natural_person", agency="subordinate", **fields):
        from xxgk.applications.validation import credit_code_check_char

        org = kind != "natural_person"
        credit = f"913501{next(serial):011d}"
        channel = fields.pop("channel", "in_person")
        description = fields.pop("description", "老旧小区改造项目的审批文件")
        case = register_application(
            cast.user(agency, Role.REGISTRAR),
            cast.agency(agency),
            channel=channel,
            applicant=ApplicantData(
                kind=kind,
                name=name,
                id_type="credit_code" if org else "other",
                id_number=credit + credit_code_check_char(credit)
                if org
                else f"X{next(serial):07d}",
                phone="13800138000",
                address="测试区一号路2号",
                legal_representative="李某" if org else "",
                contact_name="王某" if org else "",
            ),
            description=description,
            oral_record=description if channel == "oral" else "",
            submitted_on=received,
        )
        if fields:
            Application.objects.filter(pk=case.pk).update(**fields)
            case.refresh_from_db()
            clock.apply_clock(case)
            case.save(update_fields=clock.CLOCK_FIELDS)
        return case

    return make
