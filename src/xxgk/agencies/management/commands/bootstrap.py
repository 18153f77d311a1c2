"""``xxgk manage bootstrap``: the first agency and its administrator on an empty production
database. Prints a one-time password that must be changed at first login."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from xxgk import audit
from xxgk.accounts.models import Membership, User
from xxgk.accounts.roles import Role
from xxgk.agencies.models import Agency, AgencyKind
from xxgk.security.passwords import generate_password


class Command(BaseCommand):
    help = "Create the top agency and its first administrator (one-time password)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--name", required=True, help="机关全称, e.g. 某某区人民政府")
        parser.add_argument("--slug", required=True, help="portal address, e.g. mouqu")
        parser.add_argument(
            "--kind", default=AgencyKind.GOVERNMENT, choices=AgencyKind.values, help="agency kind"
        )
        parser.add_argument("--admin", required=True, help="username of the administrator")
        parser.add_argument("--admin-name", default="", help="姓名 of the administrator")

    def handle(self, *args: Any, **options: Any) -> None:
        agency, password = self.bootstrap(
            name=options["name"],
            slug=options["slug"],
            kind=options["kind"],
            username=options["admin"],
            full_name=options["admin_name"],
        )
        self.stdout.write(
            f"Created {agency.name} (/org/{agency.slug}/) and administrator "
            f"{options['admin']} with one-time password: {password}\n"
            "It must be changed at first login."
        )

    @staticmethod
    def bootstrap(
        *, name: str, slug: str, kind: str, username: str, full_name: str
    ) -> tuple[Agency, str]:
        """The work of the command; refuses to run twice for the same slug or username."""
        if Agency.objects.filter(slug=slug).exists():
            raise CommandError(f"an agency with slug {slug!r} already exists")
        if User.objects.filter(username__iexact=username).exists():
            raise CommandError(f"a user named {username!r} already exists")
        agency = Agency(name=name, kind=kind, slug=slug)
        user = User(username=username, full_name=full_name, must_change_password=True)
        try:
            agency.full_clean(exclude=["path"])
            user.full_clean(exclude=["password"])
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages)) from None
        password = generate_password()
        user.set_password(password)
        with transaction.atomic():
            agency.save()
            user.save()
            Membership.objects.create(user=user, agency=agency, role=Role.ADMIN)
            audit.record(None, "agency.create", agency, actor_label="xxgk manage bootstrap")
            audit.record(
                None,
                "user.create",
                user,
                agency=agency,
                actor_label="xxgk manage bootstrap",
                roles=["admin"],
            )
        return agency, password
