import pytest

from bot.domain.members import MAX_PROFILE_LENGTH, ProfileError, Role, clean_profile_value
from bot.domain.membership import RoleChange
from bot.domain.privacy import PRIVACY_NOTICE_VERSION
from bot.services import Services
from tests.conftest import ANIMATOR_ID, register


def test_profile_values_are_trimmed_and_limited() -> None:
    assert clean_profile_value("display_name", "  Alice   Martin ") == "Alice Martin"
    assert clean_profile_value("organisation", "x" * MAX_PROFILE_LENGTH) == "x" * MAX_PROFILE_LENGTH
    with pytest.raises(ProfileError) as too_long:
        clean_profile_value("organisation", "x" * (MAX_PROFILE_LENGTH + 1))
    assert too_long.value.code == "too_long"
    with pytest.raises(ProfileError) as empty:
        clean_profile_value("territory", " \n ")
    assert empty.value.code == "empty"


async def test_consent_creates_member_with_time_and_version(services: Services) -> None:
    member = await services.members.accept_privacy(1, "en")
    assert member.consent_version == PRIVACY_NOTICE_VERSION
    assert member.consented_at == services.clock.now()
    assert (member.role, member.language, member.is_registered) == (Role.MEMBER, "en", False)
    assert member.missing_fields() == ["display_name", "organisation", "territory", "function"]


async def test_refusal_stores_only_the_refusal(services: Services) -> None:
    await services.members.refuse_privacy(2)
    assert await services.members.get(2) is None
    rows = await services.db.fetchall("SELECT user_id, notice_version FROM consent_refusals")
    assert [tuple(r) for r in rows] == [(2, PRIVACY_NOTICE_VERSION)]


async def test_configured_admins_start_as_animators(services: Services) -> None:
    assert (await services.members.accept_privacy(ANIMATOR_ID, "fr")).role is Role.ANIMATOR


async def test_roles_change_only_by_animators_and_one_animator_remains(services: Services) -> None:
    await register(services, ANIMATOR_ID, "Anne")
    await register(services, 2, "Bruno")
    members = services.members
    assert await members.change_role(2, ANIMATOR_ID, Role.MEMBER) is RoleChange.NOT_ALLOWED
    assert (
        await members.change_role(ANIMATOR_ID, ANIMATOR_ID, Role.MEMBER) is RoleChange.LAST_ANIMATOR
    )
    assert await members.change_role(ANIMATOR_ID, 2, Role.FACILITATOR) is RoleChange.DONE
    assert await members.change_role(ANIMATOR_ID, 2, Role.FACILITATOR) is RoleChange.UNCHANGED
    assert await members.change_role(ANIMATOR_ID, 77, Role.MEMBER) is RoleChange.UNKNOWN_MEMBER
    assert (await members.get(2)).role is Role.FACILITATOR
    audit = await services.audit.recent()
    assert any(
        e.action == "role_change"
        and not e.allowed
        and e.user_id == 2
        and e.target_id == ANIMATOR_ID
        for e in audit
    )
    assert any(e.action == "role_changed" and e.allowed and e.target_id == 2 for e in audit)
    assert not any(str(ANIMATOR_ID) in e.action + e.detail for e in audit)


async def test_search_escapes_like_wildcards(services: Services) -> None:
    await register(services, 1, "Alice 100%")
    await register(services, 2, "Bruno")
    assert [m.user_id for m in await services.members.search("100%")] == [1]
    assert [m.user_id for m in await services.members.search("%")] == [1]
    assert await services.members.search("_") == []


async def test_export_then_erase_leaves_no_personal_data(services: Services) -> None:
    await register(services, 5, "Chloé")
    await services.members.refuse_privacy(5)
    await services.members.authorise(5, Role.ANIMATOR, "roles")
    await services.conversations.save("onboarding", (5, 5), "confirm")
    export = await services.privacy.export(5)
    assert export["member"]["profile"]["display_name"] == "Chloé"
    assert export["member"]["refusals"][0]["notice_version"] == PRIVACY_NOTICE_VERSION
    assert export["audit"][0]["action"] == "roles"

    await services.privacy.erase(5)
    assert await services.members.get(5) is None
    for table in ("consent_refusals", "conversation_states"):
        assert (await services.db.fetchone(f"SELECT COUNT(*) FROM {table}"))[0] == 0
    audit_rows = await services.db.fetchall("SELECT user_id, action FROM audit_log")
    assert [tuple(r) for r in audit_rows] == [(None, "roles")]
