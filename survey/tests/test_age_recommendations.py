"""Recommendations use the age band and the card's answers against the services' target groups,
on top of the engine's ranking (issue #16: a 65–74-year-old with sleep trouble got baby cafés)."""

import pytest

from catalog.selectors import service_target_groups
from survey.services import Answers, recommendations

pytestmark = pytest.mark.django_db


def _groups(services):
    return service_target_groups(service_ids=[s.id for s in services])


def _only_for_families(codes: set[str]) -> bool:
    sub = {c for c in codes if c.startswith("KR1.")}
    return bool(sub) and sub <= {"KR1.2", "KR1.3"}


def test_older_person_with_sleep_trouble_gets_unikoulu_and_no_baby_cafes(demo_catalog):
    answers = Answers(municipality="297", age_band="65-74", values={"elintavat_1": 0})
    recs = recommendations(answers)
    assert [r.theme.key for r in recs] == ["elintavat"]
    services = recs[0].services
    names = [s.name_fi for s in services]
    assert any("Unikoulu" in name for name in names), names
    assert not any("vauva" in name.lower() or "perhekahvila" in name.lower() for name in names), names
    groups = _groups(services)
    assert not any(_only_for_families(groups[s.id]) for s in services)
    assert "kerroit, ettet saa nukuttua tarpeeksi" in recs[0].reasons


def _service_with_groups(wanted: set[str]):
    from catalog.models import Service

    for service in Service.objects.filter(is_public=True, concepts__kind="target_group").distinct():
        codes = _groups([service])[service.id]
        if {c for c in codes if c.startswith("KR1.")} == wanted:
            return service
    raise AssertionError(f"the demo catalog has no service for exactly {wanted}")


@pytest.mark.parametrize(
    ("band", "family_kept", "senior_first"),
    [("", True, False), ("30-44", True, False), ("65-74", False, True), ("75+", False, True), ("alle-18", True, False)],
)
def test_age_band_leaves_out_services_only_for_other_ages(demo_catalog, band, family_kept, senior_first):
    from survey.services import _fit_to_age

    family, senior = _service_with_groups({"KR1.2"}), _service_with_groups({"KR1.1"})
    kept, reasons = _fit_to_age([family, senior], band)
    assert (family in kept) == family_kept
    assert (kept[0] == senior) == senior_first
    assert (senior.id in reasons) == senior_first


def test_services_for_the_persons_own_age_group_come_first_with_the_reason(demo_catalog):
    recs = recommendations(Answers(age_band="75+", values={"osallisuus_1": 0, "liikunta_1": 0}))
    for rec in recs:
        groups = _groups(rec.services)
        own = [any(c.startswith("KR1.1") for c in groups[s.id]) for s in rec.services]
        # Those meant for older people form the head of the list.
        assert own == sorted(own, reverse=True), rec.theme.key
        for service, is_own in zip(rec.services, own, strict=True):
            reasons = rec.service_reasons.get(service.id, [])
            assert any("sopii ikäryhmällesi 75 tai yli" in r for r in reasons) == is_own


def test_result_page_shows_each_services_reasons(client, demo_catalog):
    token = Answers(municipality="297", age_band="65-74", values={"elintavat_1": 0}).to_token()
    html = client.get(f"/kartoitus/tulos/{token}/").content.decode()
    assert "Miksi ehdotamme:" in html
    assert "Unikoulu" in html
