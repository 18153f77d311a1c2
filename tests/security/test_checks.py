"""Start-up checks xxgk.W101–W104 (plain tests, no database)."""

from xxgk.security.checks import check_platform_security, platform_security_findings

SAFE = {
    "production": True,
    "engine": "django.db.backends.postgresql",
    "idle_minutes": 30,
    "max_failures": 5,
    "min_length": 10,
}


def ids(**changes):
    return {m.id for m in platform_security_findings(**{**SAFE, **changes})}


def test_a_sound_production_set_up_is_clean():
    assert ids() == set()


def test_production_on_sqlite_warns_but_the_embedded_default_does_not():
    assert ids(engine="django.db.backends.sqlite3") == {"xxgk.W101"}
    assert ids(engine="django.db.backends.sqlite3", production=False) == set()


def test_turning_protections_off_in_production_warns():
    assert ids(idle_minutes=0, max_failures=0, min_length=6) == {
        "xxgk.W102",
        "xxgk.W103",
        "xxgk.W104",
    }


def test_the_test_settings_pass_the_registered_check():
    assert check_platform_security() == []
