from django.utils import translation

from autosales.web.templatetags.ui import event_action, state_label


def test_history_shows_actions_and_states_in_the_users_language():
    with translation.override("zh-hans"):
        assert str(event_action("service.part_removed")) != "service.part_removed"
        assert str(event_action("lost_requested")) == "已提交战败申请"
        assert str(state_label("deposit_paid")) != "deposit_paid"
        assert str(state_label("test_drive")) != "test_drive"
    with translation.override("en"):
        assert str(event_action("stage_changed")) == "Stage changed"
        assert str(state_label("pending_approval")) == "Pending approval"


def test_unknown_codes_are_shown_as_they_are():
    assert event_action("something.new") == "something.new"
    assert state_label("") == ""
