import pytest

from bot.domain.members import Role
from bot.domain.segment_members import Segments
from bot.domain.segments import Segment, SegmentField, value_key
from bot.seed import Profile, seed_member
from bot.services import Services


@pytest.fixture
async def segments(services: Services) -> Segments:
    people = [
        (1, Profile("Alice", "France Services Die", "Drôme", "Agent"), Role.ANIMATOR),
        (2, Profile("Bruno", "France Services Die", "Drôme", "Agent"), None),
        (3, Profile("Chloé", "Mairie de Privas", "Ardèche", "DGS"), Role.FACILITATOR),
    ]
    for user_id, profile, role in people:
        await seed_member(services, user_id, profile, role=role)
    await services.members.accept_privacy(4, "fr")  # consented, never registered
    await services.members.set_profile_field(4, "territory", "Drôme")
    return services.segments


async def test_everyone_means_every_registered_member(segments: Segments) -> None:
    assert await segments.member_ids(Segment()) == [1, 2, 3]


async def test_one_field_selects_registered_members_only(segments: Segments) -> None:
    assert await segments.member_ids(Segment(SegmentField.TERRITORY, "Drôme")) == [1, 2]
    assert await segments.member_ids(Segment(SegmentField.ROLE, "facilitator")) == [3]
    assert await segments.member_ids(Segment(SegmentField.ORGANISATION, "Nulle part")) == []


async def test_choices_list_existing_values_with_counts(segments: Segments) -> None:
    choices = await segments.choices(SegmentField.TERRITORY)
    assert [(c.segment.value, c.members) for c in choices] == [("Ardèche", 1), ("Drôme", 2)]
    roles = await segments.choices(SegmentField.ROLE)
    assert [(c.segment.value, c.members) for c in roles] == [
        ("animator", 1),
        ("facilitator", 1),
        ("member", 1),
    ]


async def test_a_choice_is_found_again_by_its_short_key(segments: Segments) -> None:
    found = await segments.find(SegmentField.ORGANISATION, value_key("Mairie de Privas"))
    assert found is not None and found.segment == Segment(
        SegmentField.ORGANISATION, "Mairie de Privas"
    )
    assert await segments.find(SegmentField.ORGANISATION, "0000000000") is None


def test_segments_round_trip_through_their_stored_form() -> None:
    for segment in (Segment(), Segment(SegmentField.TERRITORY, "Drôme = 26 : sud")):
        assert Segment.decode(segment.encode()) == segment
    assert len(Segment(SegmentField.ORGANISATION, "x" * 100).key) == 10
    with pytest.raises(ValueError, match="not a segment"):
        Segment.decode("nowhere")
    with pytest.raises(ValueError, match="non-empty value"):
        Segment(SegmentField.ROLE)
