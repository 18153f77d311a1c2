"""Request and response shapes of the REST API."""

from __future__ import annotations

from datetime import datetime

from ninja import Field, Schema


class RoleAt(Schema):
    agency_id: int
    agency_name: str
    role: str
    role_label: str


class Me(Schema):
    id: int
    username: str
    full_name: str
    totp_enabled: bool
    roles: list[RoleAt]


class AgencyOut(Schema):
    id: int
    name: str
    short_name: str
    kind: str
    kind_label: str
    parent_id: int | None
    slug: str
    office_name: str
    office_address: str
    office_postcode: str
    office_hours: str
    office_phone: str
    office_fax: str
    office_email: str
    office_website: str
    channels: list[str]


class AgencyPatch(Schema):
    """Only the fields given are changed."""

    short_name: str | None = None
    office_name: str | None = None
    office_address: str | None = None
    office_postcode: str | None = None
    office_hours: str | None = None
    office_phone: str | None = None
    office_fax: str | None = None
    office_email: str | None = None
    office_website: str | None = None
    channels: list[str] | None = None


class AgencyIn(Schema):
    name: str = Field(..., min_length=1, max_length=100)
    short_name: str = ""
    kind: str
    slug: str


class StaffOut(Schema):
    id: int
    username: str
    full_name: str
    is_active: bool
    locked: bool
    must_change_password: bool
    roles: list[str]


class StaffIn(Schema):
    username: str = Field(..., min_length=2, max_length=150, pattern=r"^[A-Za-z0-9_.@+-]+$")
    full_name: str = Field(..., min_length=1, max_length=50)
    roles: list[str]


class ActiveIn(Schema):
    active: bool


class RolesIn(Schema):
    roles: list[str]


class OneTimePassword(Schema):
    user: StaffOut
    one_time_password: str


class AuditOut(Schema):
    id: int
    at: datetime
    actor: str
    action: str
    action_label: str
    target_type: str
    target_id: str
    target: str
    ip_address: str | None
    details: dict[str, object]


class PasswordIn(Schema):
    old_password: str
    new_password: str


class TotpSetup(Schema):
    """A fresh secret (base32) and its otpauth:// URI for an authenticator app; not stored."""

    secret: str
    uri: str


class TotpEnableIn(Schema):
    secret: str = Field(..., min_length=16, max_length=64, pattern=r"^[A-Z2-7]+=*$")
    code: str = Field(..., min_length=6, max_length=6, pattern=r"^[0-9]{6}$")


class TotpCodeIn(Schema):
    code: str = Field(..., min_length=6, max_length=6, pattern=r"^[0-9]{6}$")


class TokenIn(Schema):
    name: str = Field(..., min_length=1, max_length=60)


class TokenOut(Schema):
    id: int
    name: str
    hint: str
    created_at: datetime
    last_used_at: datetime | None


class TokenCreated(TokenOut):
    key: str


class Message(Schema):
    detail: str
