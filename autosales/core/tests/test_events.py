"""``event_record`` writes the row ``Event.objects.create`` writes, with one statement."""

import pytest
from django.db.models.signals import pre_save

from autosales.core.events import event_record
from autosales.core.models import Event, content_type_for
from autosales.core.tests.factories import StoreFactory, UserFactory

pytestmark = pytest.mark.django_db


def _row(event):
    return {
        k: v
        for k, v in Event.objects.filter(pk=event.pk).values().get().items()
        if k not in ("id", "created_at")
    }


@pytest.mark.parametrize(
    "extra",
    [
        {},
        {"from_state": "draft", "to_state": "approved", "reason": "理由 with ünïcode"},
        {"data": {"line": 7, "price": "1.00", "nested": {"a": [1, None, "x"]}}},
    ],
)
def test_lean_row_is_the_orm_row(extra, django_assert_num_queries):
    store, actor = StoreFactory(), UserFactory()
    content_type_for(type(store))  # the content type is read once per process
    with django_assert_num_queries(1):
        ours = event_record(target=store, action="changed", actor=actor, **extra)
    reference = Event.objects.create(
        content_type=ours.content_type,
        object_id=store.pk,
        action="changed",
        actor=actor,
        **{"from_state": "", "to_state": "", "reason": "", "data": {}, **extra},
    )
    assert ours.pk and ours.pk != reference.pk
    assert _row(ours) == _row(reference)
    assert ours.created_at is not None
    assert Event.objects.get(pk=ours.pk).created_at == ours.created_at
    assert (ours._state.adding, ours._state.db) == (False, "default")
    assert ours.actor == actor and ours.target == store


def test_anonymous_actor_and_observed_saves_use_the_orm():
    store = StoreFactory()
    seen = []

    def receiver(sender, instance, **kwargs):
        seen.append(instance.action)

    pre_save.connect(receiver, sender=Event)
    try:
        event = event_record(target=store, action="observed", actor=object())
    finally:
        pre_save.disconnect(receiver, sender=Event)
    assert seen == ["observed"]
    assert event.actor_id is None and Event.objects.get(pk=event.pk).action == "observed"
