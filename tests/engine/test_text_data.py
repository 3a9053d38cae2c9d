"""Character-level text: check_text's errors, the vocabulary and ids, next-character
windows that never cross the held-out cut, and the built-in corpora."""

import re

import numpy as np
import pytest

from engine.data import text
from engine.data.text import (
    MAX_TEXT_CHARS,
    PYTHON_SOURCE_MODULES,
    TEXT_CORPORA,
    brackets,
    check_text,
    counting,
    decode,
    delayed_copy,
    encode,
    python_source,
    vocabulary,
    windows,
)
from engine.errors import SpecError


def rng(seed=0):
    return np.random.default_rng(seed)


# ---- check_text -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("hello", "hello"),
        (b"hello", "hello"),
        ("\ufeffhello", "hello"),
        (b"\xef\xbb\xbfhello", "hello"),
        ("h\u00e9llo".encode(), "h\u00e9llo"),
        (b"one\r\ntwo\r\n", "one\ntwo\n"),
        (bytearray(b"ab"), "ab"),
    ],
)
def test_check_text_decodes_utf8_and_drops_the_bom(value, expected):
    assert check_text(value, "data.text") == expected


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (b"ab\x00cd", "NUL byte at byte offset 2"),
        ("ab\x00", "NUL character at offset 2"),
        (b"abc\xffdef", "byte 0xff at byte offset 3"),
        ("", "is empty"),
        (b"", "is empty"),
        (" \n\t ", "only whitespace"),
        ("aaaa", "only one distinct character ('a')"),
        (12, "must be text"),
        (None, "must be text"),
    ],
)
def test_check_text_refuses_what_is_not_a_corpus(value, message):
    with pytest.raises(SpecError) as caught:
        check_text(value, "data.text")
    assert caught.value.path == "data.text"
    assert message in caught.value.message


def test_check_text_names_the_limit_and_the_size_of_a_too_long_text():
    with pytest.raises(SpecError, match=f"{MAX_TEXT_CHARS + 1:,} characters; the limit"):
        check_text("ab" * (MAX_TEXT_CHARS // 2) + "c", "data.text")
    assert len(check_text("ab" * (MAX_TEXT_CHARS // 2), "data.text")) == MAX_TEXT_CHARS


# ---- vocabulary, encode, decode -------------------------------------------------------


def test_vocabulary_is_sorted_distinct_characters_and_ids_round_trip():
    corpus = "hello, w\u00f6rld\n"
    vocab = vocabulary(corpus)
    assert vocab == sorted(set(corpus)) and len(vocab) == len(set(corpus))
    ids = encode(corpus, vocab)
    assert ids.dtype == np.int64 and ids.shape == (len(corpus),)
    assert [vocab[i] for i in ids] == list(corpus)
    assert decode(ids, vocab) == corpus
    assert decode(ids.reshape(1, -1), vocab) == corpus
    assert decode(np.array([], dtype=np.int64), vocab) == ""


def test_encode_names_a_character_outside_the_vocabulary():
    with pytest.raises(SpecError, match=r"'z' at offset 2 is not in the vocabulary") as caught:
        encode("abz", ["a", "b"], "priming")
    assert caught.value.path == "priming"
    with pytest.raises(SpecError, match="'~'"):  # past the vocabulary's last character
        encode("a~", ["a", "b"])


def test_decode_refuses_ids_outside_the_vocabulary():
    with pytest.raises(ValueError, match="past the vocabulary"):
        decode(np.array([0, 2]), ["a", "b"])
    with pytest.raises(ValueError, match="non-negative"):
        decode(np.array([-1]), ["a", "b"])


# ---- windows --------------------------------------------------------------------------


def test_windows_targets_are_the_next_character_at_every_position():
    corpus = "the quick brown fox jumps over the lazy dog" * 3
    vocab = vocabulary(corpus)
    X, y, X_test, y_test = windows(corpus, vocab, 10, 0.25, "data")
    assert X.shape == y.shape and X.shape[1] == 10 and X.dtype == np.int64
    assert np.array_equal(X[:, 1:], y[:, :-1])
    assert np.array_equal(X[1:, 0], y[:-1, -1])  # stride seq_len: windows share one char
    assert decode(X[0], vocab) == corpus[:10] and decode(y[0], vocab) == corpus[1:11]
    assert np.array_equal(X_test[:, 1:], y_test[:, :-1])


def test_windows_never_cross_the_cut_and_hold_out_the_end():
    corpus = "".join(chr(ord("A") + i % 50) for i in range(1000))  # ids tell the position
    vocab = vocabulary(corpus)
    seq_len, fraction = 7, 0.3
    cut = round(len(corpus) * (1 - fraction))
    X, y, X_test, y_test = windows(corpus, vocab, seq_len, fraction, "data")
    train_text = "".join(decode(row, vocab) for row in X) + decode(y[-1, -1:], vocab)
    assert corpus.startswith(train_text) and len(train_text) <= cut
    assert len(X) == (cut - 1) // seq_len
    test_text = "".join(decode(row, vocab) for row in X_test) + decode(y_test[-1, -1:], vocab)
    assert corpus[cut:].startswith(test_text) and len(X_test) == (len(corpus) - cut - 1) // 7


def test_windows_with_nothing_held_out_give_empty_test_arrays():
    X, _, X_test, y_test = windows("abcdefghij" * 5, vocabulary("abcdefghij"), 8, 0.0, "d")
    assert X.shape == (6, 8) and X_test.shape == y_test.shape == (0, 8)


@pytest.mark.parametrize(
    ("length", "fraction", "part"), [(60, 0.25, "held-out"), (10, 0.1, "training")]
)
def test_windows_say_how_many_characters_a_part_needs(length, fraction, part):
    corpus = ("ab" * length)[:length]
    with pytest.raises(SpecError, match=f"the {part} part .* seq_len \\+ 1 = 21") as caught:
        windows(corpus, vocabulary(corpus), 20, fraction, "data.params.seq_len")
    assert caught.value.path == "data.params.seq_len"


# ---- the built-in corpora -------------------------------------------------------------


def test_python_source_is_the_standard_librarys_own_files_in_a_fixed_order():
    import argparse
    import inspect

    corpus = python_source(5000)
    assert len(corpus) == 5000
    with open(inspect.getsourcefile(argparse), encoding="utf-8") as f:
        assert corpus == f.read()[:5000]  # argparse is first
    assert python_source(100_000) == python_source(100_000)
    assert PYTHON_SOURCE_MODULES[0] == "argparse"


def test_python_source_gives_all_there_is_when_asked_for_more():
    whole = python_source(10**9)
    assert len(whole) > 500_000 and python_source(len(whole) + 1) == whole


def test_python_source_says_when_a_module_has_no_source(monkeypatch):
    monkeypatch.setattr(text.inspect, "getsourcefile", lambda module: None)
    monkeypatch.setattr(text, "PYTHON_SOURCE_MODULES", ("textwrap",))
    text._stdlib_source.cache_clear()
    try:
        monkeypatch.setattr(text.importlib, "import_module", lambda name: object())
        with pytest.raises(SpecError, match="source of the standard library's textwrap"):
            python_source(100)
    finally:
        text._stdlib_source.cache_clear()


GENERATED = [
    (brackets, {"max_depth": 3}),
    (counting, {"max_n": 6}),
    (delayed_copy, {"delay": 5, "symbols": 4}),
]


@pytest.mark.parametrize(("generate", "params"), GENERATED)
def test_generated_corpora_are_deterministic_given_the_rng(generate, params):
    first = generate(rng(3), 5000, **params)
    assert first == generate(rng(3), 5000, **params)
    assert first != generate(rng(4), 5000, **params)
    assert 4900 <= len(first) <= 5000


def _balanced(line, max_depth):
    stack, pairs = [], {")": "(", "]": "[", "}": "{"}
    for char in line:
        if char in "([{":
            stack.append(char)
            if len(stack) > max_depth:
                return False
        elif not stack or stack.pop() != pairs[char]:
            return False
    return not stack


@pytest.mark.parametrize("max_depth", [1, 3, 6])
def test_bracket_lines_are_balanced_and_no_deeper_than_max_depth(max_depth):
    corpus = brackets(rng(), 20_000, max_depth)
    assert corpus.endswith("\n") and set(corpus) <= set("()[]{}\n")
    lines = corpus[:-1].split("\n")
    assert all(line and _balanced(line, max_depth) for line in lines)
    assert max(len(line) for line in lines) <= 4 * max_depth
    assert len(set("".join(lines))) == 6  # all three kinds appear
    assert any(not _balanced(line, max_depth - 1) for line in lines) or max_depth == 1


def test_counting_examples_are_a_n_b_n_with_n_up_to_max_n():
    corpus = counting(rng(), 10_000, 7)
    examples = corpus.split(".")
    assert examples[-1] == "" and set(corpus) == set("ab.")
    lengths = set()
    for example in examples[:-1]:
        match = re.fullmatch(r"(a+)(b+)", example)
        assert match and len(match[1]) == len(match[2])
        lengths.add(len(match[1]))
    assert lengths == set(range(1, 8))


@pytest.mark.parametrize(("delay", "symbols"), [(0, 2), (5, 4), (30, 26)])
def test_delayed_copy_repeats_the_symbol_after_exactly_delay_fillers(delay, symbols):
    corpus = delayed_copy(rng(), 20_000, delay, symbols)
    examples = corpus.split("\n")
    assert examples[-1] == ""
    for example in examples[:-1]:
        assert len(example) == delay + 2
        assert example[0] == example[delay + 1] and example[1 : delay + 1] == "." * delay
    assert {e[0] for e in examples[:-1]} == set("abcdefghijklmnopqrstuvwxyz"[:symbols])


@pytest.mark.parametrize("name", list(TEXT_CORPORA))
def test_every_corpus_at_its_defaults_passes_check_text_and_fills_whole_windows(name):
    corpus = TEXT_CORPORA[name]
    params = {key: p[1] for key, p in corpus.params.items()}
    assert "seq_len" in params and "chars" in params
    for kind, default, low, high, description in corpus.params.values():
        assert kind in ("int", "float") and low <= default <= high and description
    body = check_text(corpus.text(rng(), params), "data.text")
    assert len(body) <= params["chars"]
    X, _, X_test, _ = windows(body, vocabulary(body), params["seq_len"], 0.2, "data")
    assert len(X) > 100 and len(X_test) > 20
    if name != "python-source":  # a window holds at least one whole example
        longest = max(len(example) for example in re.split(r"(?<=[.\n])", body))
        assert params["seq_len"] >= longest
