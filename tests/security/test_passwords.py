"""Password policy (等保2.0 身份鉴别): plain tests, no database."""

import pytest
from django.core.exceptions import ValidationError

from xxgk.security.passwords import CharacterClassValidator, character_classes, generate_password


@pytest.mark.parametrize(
    ("password", "classes"),
    [("abc", 1), ("abcDEF", 2), ("abcDEF12", 3), ("aB1!", 4), ("密码Ab1", 4)],
)
def test_character_classes(password, classes):
    assert character_classes(password) == classes


def test_two_classes_are_refused_three_accepted():
    with pytest.raises(ValidationError):
        CharacterClassValidator().validate("abcdefghij12")
    CharacterClassValidator().validate("abcdefghiJ12")


def test_generated_passwords_satisfy_the_policy_and_differ():
    seen = {generate_password() for _ in range(50)}
    assert len(seen) == 50
    for p in seen:
        assert len(p) >= 10 and character_classes(p) == 4
        assert not set(p) & set("0O1lI")
