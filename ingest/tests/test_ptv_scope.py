"""The PTV scope takes in what each theme's name promises and keeps heavy care out (issue #18)."""

import pytest

from ingest.ptv.mapping import ConceptRef, MunicipalityRef, ServiceRecord
from ingest.ptv.scope import Scope

pytestmark = pytest.mark.django_db


def _record(classes: list[str], name: str, summary: str = "", keywords: list[str] | None = None) -> ServiceRecord:
    concepts = [ConceptRef("service_class", f"uri:{c}", c, {}) for c in classes]
    concepts.append(ConceptRef("target_group", "uri:KR1", "KR1", {}))
    return ServiceRecord(
        source_id="s",
        source_hash="h",
        modified=None,
        publishing_status="Published",
        texts={"name_fi": name, "summary_fi": summary},
        keywords={"fi": keywords or [], "sv": [], "en": []},
        charge_type="",
        languages=["fi"],
        area_type="LimitedType",
        municipalities=[MunicipalityRef("297", {"fi": "Kuopio"})],
        concepts=concepts,
        channel_ids=[],
        organizations=[],
    )


@pytest.fixture
def scope():
    return Scope.build(["297"], include_nationwide=False)


@pytest.mark.parametrize(
    ("classes", "name"),
    [
        (["P3.7"], "Perheneuvola"),
        (["P28.5"], "Ohjaamo Kuopio"),
        (["P4.2"], "Seniorineuvonta"),
        (["P5.14"], "Omaishoitajien tuki ja valmennus"),
        (["P1.4"], "Asumisneuvonta"),
    ],
)
def test_what_the_themes_promise_is_in_scope(scope, classes, name):
    assert scope.reason_to_skip(_record(classes, name)) is None


@pytest.mark.parametrize(
    ("classes", "name", "summary"),
    [
        (["P4.2"], "Tehostettu palveluasuminen", "Ympärivuorokautinen hoiva ikäihmisille."),
        (["P5.14"], "Kotisairaanhoito", "Sairaanhoitaja käy kotona."),
        (["P4.2"], "Kotihoito", ""),
        (["P4.1"], "Asumispalvelut", ""),
    ],
)
def test_heavy_care_stays_out(scope, classes, name, summary):
    assert scope.reason_to_skip(_record(classes, name, summary)) is not None


def test_a_service_with_another_wellbeing_class_is_kept_whatever_its_words(scope):
    record = _record(["P4.2", "P4.13"], "Palveluohjaus", "Neuvoo myös kotihoidon hakemisessa.")
    assert scope.reason_to_skip(record) is None
