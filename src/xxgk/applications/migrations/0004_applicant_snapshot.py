"""Per-case snapshot of the applicant's details as given on that application."""

from django.db import migrations, models

FIELDS = (
    "kind",
    "name",
    "legal_representative",
    "contact_name",
    "phone",
    "email",
    "address",
    "postcode",
)


def fill(apps, schema_editor):
    """Existing cases get the register's details as they stand (the best record there is)."""
    Application = apps.get_model("applications", "Application")
    for case in Application.objects.select_related("applicant").iterator(chunk_size=500):
        a = case.applicant
        case.applicant_snapshot = {f: str(getattr(a, f) or "") for f in FIELDS}
        case.save(update_fields=["applicant_snapshot"])


class Migration(migrations.Migration):
    dependencies = [("applications", "0003_deferred_answer")]

    operations = [
        migrations.AddField(
            model_name="application",
            name="applicant_snapshot",
            field=models.JSONField(blank=True, default=dict, verbose_name="申请时的申请人信息"),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
