import pytest
from django.utils import translation

from catalog.i18n import localized
from catalog.models import Concept, Service, Theme
from catalog.services import codelists_load, region_setup

pytestmark = pytest.mark.django_db


def test_migrations_create_eight_themes_with_class_mapping():
    themes = list(Theme.objects.order_by("order"))
    assert len(themes) == 8
    liikunta = Theme.objects.get(slug="liikunta")
    assert "P27.1" in liikunta.service_class_codes
    assert all(t.name_fi and t.name_sv and t.name_en for t in themes)


def test_localized_falls_back_to_finnish_and_says_so():
    service = Service(name_fi="Kuntosali", name_sv="")
    value = localized(service, "name", "sv")
    assert value.text == "Kuntosali"
    assert value.language == "fi"
    assert value.is_fallback is True
    with translation.override("sv"):
        assert service.t("name") == "Kuntosali"


def test_codelists_load_is_idempotent():
    Concept.objects.all().delete()  # the shared demo data may have loaded them already
    first = codelists_load()
    assert first.created > 200
    assert Concept.objects.get(code="P27.1").name_sv
    second = codelists_load()
    assert second.created == 0
    assert second.updated == first.created


def test_codelists_load_rejects_broken_file_and_changes_nothing(tmp_path):
    (tmp_path / "Finto_ServiceClasses.json").write_text("[{}]")
    (tmp_path / "Finto_TargetGroups.json").write_text("{not json")
    (tmp_path / "Finto_LifeEvents.json").write_text("[]")
    from catalog.services import CodelistError

    before = Concept.objects.count()
    with pytest.raises(CodelistError, match="not valid JSON"):
        codelists_load(directory=tmp_path)
    assert Concept.objects.count() == before


def test_region_setup_attaches_configured_municipalities():
    region = region_setup(name="Testialue", municipality_codes=["297", "749"])
    assert sorted(region.municipalities.values_list("code", flat=True)) == ["297", "749"]
    region = region_setup(name="Testialue", municipality_codes=["297"])
    assert list(region.municipalities.values_list("code", flat=True)) == ["297"]
