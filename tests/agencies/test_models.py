import pytest
from django.core.exceptions import ValidationError

from xxgk.agencies.models import Agency

pytestmark = pytest.mark.django_db


def make(slug, parent=None):
    return Agency.objects.create(name=slug, kind="other", slug=slug, parent=parent)


def test_path_tracks_the_tree_and_moves_rewrite_the_subtree():
    a, b = make("a"), make("b")
    child = make("child", a)
    leaf = make("leaf", child)
    assert leaf.path == f"/{a.pk}/{child.pk}/{leaf.pk}/" and leaf.depth == 2
    assert set(a.subtree()) == {a, child, leaf}
    child.parent = b
    child.save()
    leaf.refresh_from_db()
    assert leaf.path == f"/{b.pk}/{child.pk}/{leaf.pk}/"
    assert list(leaf.ancestors()) == [b, child]


def test_an_agency_cannot_move_under_itself():
    a = make("a")
    child = make("child", a)
    a.parent = child
    with pytest.raises(ValidationError):
        a.save()


def test_mandatory_channels_are_always_accepted():
    """国办公开办函〔2017〕19号：当面提交和邮政寄送不得拒绝。"""
    a = Agency.objects.create(name="x", kind="other", slug="x", channels=["online"])
    assert a.channels == ["in_person", "post", "online"]
    assert a.accepted_channel_labels() == ["当面提交", "邮政寄送", "在线申请"]


def test_unknown_channel_fails_validation():
    a = Agency(name="x", kind="other", slug="x", channels=["pigeon"])
    with pytest.raises(ValidationError):
        a.full_clean()


def test_slug_must_be_lowercase_ascii():
    a = Agency(name="x", kind="other", slug="Dong Feng")
    with pytest.raises(ValidationError):
        a.full_clean()
