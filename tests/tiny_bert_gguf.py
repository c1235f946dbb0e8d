"""Write tiny XLM-RoBERTa-shaped GGUFs (~0.3 MB): an embedder and a cross-encoder reranker.

The same layout as the GGUF conversions of BAAI/bge-m3 and BAAI/bge-reranker-v2-m3: GGUF
arch "bert", a "t5" (sentencepiece unigram) vocabulary with XLM-R's special tokens, and for
the reranker the RoBERTa classification head (`cls`, `cls.output`) with pooling RANK.
The embedder has random weights; the reranker's are built so that a pair scores higher the
larger the share of one chosen word's token in it, so tests can predict its order.
"""

from __future__ import annotations

from pathlib import Path

import gguf
import numpy as np

N_EMBD, N_LAYERS, N_HEAD, N_FF, N_CTX = 64, 2, 4, 128, 512
SPECIALS = ("<s>", "<pad>", "</s>", "<unk>")  # XLM-R's ids 0..3
_WORDS = (
    "the of and to in is for on that with as by this are be it from or at an not was have "
    "debian package install system file user data source page answer question kernel stone "
    "violet grey borscht menu garden path canteen every day "
    "пакет установка система файл данные вопрос ответ договор камень борщ сад меню"
).split()


def _vocabulary() -> tuple[list[str], list[float], list[int]]:
    """XLM-R-ordered tokens, unigram scores (longer pieces likelier) and token types."""
    letters = [chr(c) for c in range(ord("a"), ord("z") + 1)]
    letters += [chr(c) for c in range(ord("а"), ord("я") + 1)] + ["ё"]
    letters += list("0123456789.,;:!?-'\"()")
    pieces = ["▁", *letters, *("▁" + c for c in letters), *("▁" + w for w in _WORDS)]
    tokens = [*SPECIALS, *pieces, "<mask>"]
    scores = [0.0] * len(SPECIALS) + [-12.0 + 1.5 * len(p) for p in pieces] + [0.0]
    types = [gguf.TokenType.CONTROL, gguf.TokenType.CONTROL, gguf.TokenType.CONTROL]
    types += [gguf.TokenType.UNKNOWN] + [gguf.TokenType.NORMAL] * len(pieces)
    types += [gguf.TokenType.USER_DEFINED]
    return tokens, scores, [int(t) for t in types]


def write_tiny_bert(path: Path, *, favourite: str | None = None, seed: int = 0) -> Path:
    """Write an embedder GGUF (random weights), or a reranker one when `favourite` is a word.

    The reranker scores a (query, passage) pair by the share of `favourite`'s token in it.
    """
    rng = np.random.default_rng(seed)
    tokens, scores, types = _vocabulary()
    w = gguf.GGUFWriter(str(path), "bert")
    w.add_name("tiny-xlm-roberta-reranker" if favourite else "tiny-xlm-roberta")
    w.add_context_length(N_CTX)
    w.add_embedding_length(N_EMBD)
    w.add_feed_forward_length(N_FF)
    w.add_block_count(N_LAYERS)
    w.add_head_count(N_HEAD)
    w.add_layer_norm_eps(1e-5)
    w.add_causal_attention(False)
    w.add_pooling_type(gguf.PoolingType.RANK if favourite else gguf.PoolingType.CLS)
    w.add_file_type(gguf.LlamaFileType.ALL_F32)
    w.add_tokenizer_model("t5")
    w.add_tokenizer_pre("default")
    w.add_token_list(tokens)
    w.add_token_scores(scores)
    w.add_token_types(types)
    w.add_add_space_prefix(True)
    w.add_remove_extra_whitespaces(True)
    w.add_token_type_count(1)
    w.add_bos_token_id(0)
    w.add_pad_token_id(1)
    w.add_eos_token_id(2)
    w.add_sep_token_id(2)
    w.add_unk_token_id(3)
    w.add_mask_token_id(len(tokens) - 1)
    w.add_add_bos_token(True)
    w.add_add_eos_token(True)
    w.add_add_sep_token(True)  # pairs read "<s> query </s></s> passage </s>", as in XLM-R
    if favourite:
        w.add_classifier_output_labels(["LABEL_0"])
        _add_ranking_tensors(w, rng, tokens.index("▁" + favourite), len(tokens))
    else:
        _add_random_tensors(w, rng, len(tokens))
    w.write_header_to_file()
    w.write_kv_data_to_file()
    w.write_tensors_to_file()
    w.close()
    return path


def _add_random_tensors(w: gguf.GGUFWriter, rng: np.random.Generator, n_vocab: int) -> None:
    def t(*shape: int) -> np.ndarray:
        return rng.normal(0, 0.5, size=shape).astype(np.float32)

    _add_embeddings(w, t(n_vocab, N_EMBD), t(N_CTX, N_EMBD) * 0.1)
    for i in range(N_LAYERS):
        _add_block(w, i, {"attn_q": t(N_EMBD, N_EMBD), "attn_k": t(N_EMBD, N_EMBD)}, t)


def _add_ranking_tensors(
    w: gguf.GGUFWriter, rng: np.random.Generator, favourite: int, n_vocab: int
) -> None:
    """Weights under which a pair's score grows with the share of `favourite` in it.

    Zero queries and keys make attention a plain average over the pair's tokens, so the
    first token's state carries that share in dimension 0, which the head reads.
    """
    words = rng.normal(0, 0.5, size=(n_vocab, N_EMBD)).astype(np.float32)
    words[:, 0] = 0.0
    words[favourite, 0] = 8.0
    _add_embeddings(w, words, np.zeros((N_CTX, N_EMBD), dtype=np.float32))
    eye = np.eye(N_EMBD, dtype=np.float32)
    for i in range(N_LAYERS):
        zero = np.zeros((N_EMBD, N_EMBD), dtype=np.float32)
        _add_block(w, i, {"attn_q": zero, "attn_k": zero, "attn_v": eye, "attn_output": eye})
    w.add_tensor("cls.weight", eye)
    w.add_tensor("cls.bias", np.zeros(N_EMBD, dtype=np.float32))
    head = np.zeros((1, N_EMBD), dtype=np.float32)
    head[0, 0] = 1.0
    w.add_tensor("cls.output.weight", head)
    w.add_tensor("cls.output.bias", np.zeros(1, dtype=np.float32))


def _add_embeddings(w: gguf.GGUFWriter, words: np.ndarray, positions: np.ndarray) -> None:
    w.add_tensor("token_embd.weight", words)
    w.add_tensor("position_embd.weight", positions)
    w.add_tensor("token_types.weight", np.zeros((1, N_EMBD), dtype=np.float32))
    w.add_tensor("token_embd_norm.weight", np.ones(N_EMBD, dtype=np.float32))
    w.add_tensor("token_embd_norm.bias", np.zeros(N_EMBD, dtype=np.float32))


def _add_block(w: gguf.GGUFWriter, i: int, given: dict[str, np.ndarray], t: object = None) -> None:
    """One encoder block; weights not `given` are random (`t`) or zero (no FFN, no bias)."""
    shapes = {
        "attn_q": (N_EMBD, N_EMBD),
        "attn_k": (N_EMBD, N_EMBD),
        "attn_v": (N_EMBD, N_EMBD),
        "attn_output": (N_EMBD, N_EMBD),
        "ffn_up": (N_FF, N_EMBD),
        "ffn_down": (N_EMBD, N_FF),
    }
    for name, shape in shapes.items():
        weight = given.get(name)
        if weight is None:
            weight = t(*shape) if callable(t) else np.zeros(shape, dtype=np.float32)
        w.add_tensor(f"blk.{i}.{name}.weight", weight)
        w.add_tensor(f"blk.{i}.{name}.bias", np.zeros(shape[0], dtype=np.float32))
    for norm in ("attn_output_norm", "layer_output_norm"):
        w.add_tensor(f"blk.{i}.{norm}.weight", np.ones(N_EMBD, dtype=np.float32))
        w.add_tensor(f"blk.{i}.{norm}.bias", np.zeros(N_EMBD, dtype=np.float32))
