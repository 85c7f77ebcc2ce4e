"""all-MiniLM-L6-v2 in NumPy: the reference for `decisioning embed` (bench/embed.py, the Swift tests' vectors).

Reads model.safetensors by parsing its header (8-byte little-endian length, JSON, raw little-endian tensors),
tokenizes with the `tokenizers` package from tokenizer.json, and runs BERT (6 layers, 12 heads, exact GELU), mean
pooling over the attention mask and L2 normalisation, in float32.
"""

import json
import math
import os
import struct
import sys

import numpy as np


def load_safetensors(path):
    with open(path, "rb") as f:
        (length,) = struct.unpack("<Q", f.read(8))
        header = json.loads(f.read(length))
        data = f.read()
    tensors = {}
    for name, info in header.items():
        if name == "__metadata__" or info["dtype"] != "F32":
            continue
        start, end = info["data_offsets"]
        tensors[name] = np.frombuffer(data, dtype="<f4", count=(end - start) // 4, offset=start).reshape(info["shape"]).copy()
    return tensors


def _erf(x):
    try:
        from scipy.special import erf  # noqa: PLC0415

        return erf(x)
    except ImportError:
        return np.vectorize(math.erf, otypes=[np.float64])(x)


class MiniLM:
    def __init__(self, model_dir):
        from tokenizers import Tokenizer  # noqa: PLC0415

        self.w = load_safetensors(os.path.join(model_dir, "model.safetensors"))
        config = json.load(open(os.path.join(model_dir, "config.json")))
        self.eps = config["layer_norm_eps"]
        self.heads = config["num_attention_heads"]
        self.layers = config["num_hidden_layers"]
        max_len = json.load(open(os.path.join(model_dir, "sentence_bert_config.json")))["max_seq_length"]
        self.tokenizer = Tokenizer.from_file(os.path.join(model_dir, "tokenizer.json"))
        self.tokenizer.enable_truncation(max_length=max_len)
        self.tokenizer.enable_padding(pad_id=0, pad_token="[PAD]")

    def _ln(self, x, name):
        mean = x.mean(-1, keepdims=True)
        var = ((x - mean) ** 2).mean(-1, keepdims=True)
        return (x - mean) / np.sqrt(var + self.eps) * self.w[name + ".weight"] + self.w[name + ".bias"]

    def _dense(self, x, name):
        # Weights transposed once into contiguous (inputs × outputs) copies; rows flattened so BLAS sees one GEMM.
        key = name + ".weight.T"
        if key not in self.w:
            self.w[key] = np.ascontiguousarray(self.w[name + ".weight"].T)
        w = self.w[key]
        return (x.reshape(-1, x.shape[-1]) @ w).reshape(*x.shape[:-1], w.shape[1]) + self.w[name + ".bias"]

    def encode_ids(self, ids, mask):
        w = self.w
        b, n = ids.shape
        x = w["embeddings.word_embeddings.weight"][ids] + w["embeddings.position_embeddings.weight"][:n][None]
        x = x + w["embeddings.token_type_embeddings.weight"][0]
        x = self._ln(x, "embeddings.LayerNorm")
        hidden = x.shape[-1]
        d = hidden // self.heads
        bias = ((1.0 - mask) * np.finfo(np.float32).min)[:, None, None, :].astype(np.float32)
        for i in range(self.layers):
            p = f"encoder.layer.{i}."
            q = self._dense(x, p + "attention.self.query").reshape(b, n, self.heads, d).transpose(0, 2, 1, 3)
            k = self._dense(x, p + "attention.self.key").reshape(b, n, self.heads, d).transpose(0, 2, 1, 3)
            v = self._dense(x, p + "attention.self.value").reshape(b, n, self.heads, d).transpose(0, 2, 1, 3)
            s = q @ k.transpose(0, 1, 3, 2) / np.float32(math.sqrt(d)) + bias
            s = s - s.max(-1, keepdims=True)
            e = np.exp(s)
            a = e / e.sum(-1, keepdims=True)
            c = (a @ v).transpose(0, 2, 1, 3).reshape(b, n, hidden)
            x = self._ln(self._dense(c, p + "attention.output.dense") + x, p + "attention.output.LayerNorm")
            h = self._dense(x, p + "intermediate.dense")
            h = (0.5 * h * (1.0 + _erf(h / math.sqrt(2.0)))).astype(np.float32)
            x = self._ln(self._dense(h, p + "output.dense") + x, p + "output.LayerNorm")
        m = mask[:, :, None].astype(np.float32)
        pooled = (x * m).sum(1) / np.maximum(m.sum(1), 1e-9)
        return pooled / np.maximum(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12)

    def encode(self, texts, batch_size=64):
        out = []
        for start in range(0, len(texts), batch_size):
            encs = self.tokenizer.encode_batch(texts[start : start + batch_size])
            ids = np.array([e.ids for e in encs], dtype=np.int64)
            mask = np.array([e.attention_mask for e in encs], dtype=np.float32)
            out.append(self.encode_ids(ids, mask))
        return np.concatenate(out).astype(np.float32)


if __name__ == "__main__":
    # python3 bench/minilm_numpy.py MODEL_DIR "text"...: one JSON array of vectors on standard output.
    model = MiniLM(sys.argv[1])
    print(json.dumps(model.encode(sys.argv[2:]).tolist()))
