"""Our numpy MinHash and connected components give exactly what datasketch and scipy give.

Both were computed with those libraries before; the run's signatures, band keys and cluster
numbering (and with them the persistent index and the duplicates table) must not change.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ingest.dedup.clusters import _components
from ingest.dedup.minhash import BANDS, NUM_PERM, ROWS, band_keys, fingerprint, minhash_values
from ingest.dedup.shingles import shingle_hashes

datasketch = pytest.importorskip("datasketch")
csgraph = pytest.importorskip("scipy.sparse.csgraph")
sparse = pytest.importorskip("scipy.sparse")

hash_sets = st.lists(st.integers(0, (1 << 32) - 1), max_size=300, unique=True)


def _datasketch_values(hashes: list[int], num_perm: int) -> np.ndarray:
    minhash = datasketch.MinHash(num_perm=num_perm, seed=1, hashfunc=int, scheme="affine32")
    if hashes:
        minhash.update_batch(hashes)
    return minhash.hashvalues


@settings(max_examples=60, deadline=None)
@given(hash_sets, st.sampled_from([16, 64, NUM_PERM]))
def test_minhash_values_are_datasketchs(hashes: list[int], num_perm: int) -> None:
    ours = minhash_values(np.array(hashes, dtype=np.uint32), num_perm)
    theirs = _datasketch_values(hashes, num_perm)
    assert ours.dtype == theirs.dtype
    assert np.array_equal(ours, theirs)


def test_minhash_values_of_a_long_text_span_several_chunks() -> None:
    hashes = np.random.default_rng(7).integers(0, 1 << 32, 10_000, dtype=np.uint64)
    hashes = np.unique(hashes).astype(np.uint32)
    assert np.array_equal(minhash_values(hashes), _datasketch_values(hashes.tolist(), NUM_PERM))


def test_fingerprint_of_an_empty_text_has_the_empty_signature() -> None:
    empty = fingerprint("")
    assert empty.n_shingles == 0
    assert empty.sketch == bytes([0xFF]) * NUM_PERM


def _datasketch_fingerprint(text: str) -> tuple[np.ndarray, bytes]:
    """Band keys and sketch from datasketch's signature of the text's shingle hashes."""
    values = _datasketch_values(shingle_hashes(text).tolist(), NUM_PERM)
    return band_keys(values, BANDS, ROWS), (values & np.uint32(0xFF)).astype(np.uint8).tobytes()


def _assert_fingerprint_is_datasketchs(text: str) -> None:
    ours = fingerprint(text)
    keys, sketch = _datasketch_fingerprint(text)
    assert np.array_equal(ours.band_keys, keys)
    assert ours.sketch == sketch


WORDS = [
    "harbour",
    "council",
    "tram",
    "vote",
    "ferry",
    "depot",
    "union",
    "strike",
    "roster",
    "budget",
    "bridge",
    "river",
    "mayor",
    "school",
    "hospital",
    "winter",
    "storm",
    "market",
    "festival",
    "museum",
    "library",
    "railway",
    "station",
    "police",
    "Straße",
    "Übergang",
    "café",
    "naïve",
    "Ελλάδα",
    "Москва",
    "القدس",
    "港北",
    "図書館",
    "ภาษา",
    "हिन्दी",
]

documents = st.lists(
    st.lists(st.sampled_from(WORDS), min_size=1, max_size=40).map(" ".join),
    min_size=1,
    max_size=8,
).map("\n\n".join)


@settings(max_examples=80, deadline=None)
@given(documents)
def test_fingerprints_of_documents_are_datasketchs(text: str) -> None:
    _assert_fingerprint_is_datasketchs(text)


def test_fingerprints_of_many_articles_are_datasketchs() -> None:
    rng = np.random.default_rng(11)
    for _ in range(300):
        paragraphs = [
            " ".join(rng.choice(WORDS, int(rng.integers(5, 80)))) for _ in range(rng.integers(1, 9))
        ]
        _assert_fingerprint_is_datasketchs("\n\n".join(paragraphs))


# computed by the datasketch-backed fingerprint before it moved to numpy (commit c27d4e1~1)
PINNED_KEYS = [3670732330, 6391941676, 10074246955, 14344356539]
PINNED_SKETCH = "1b9021201e5619566bf1fd08ed9c962f"


def test_signatures_stay_those_of_earlier_runs_indexes() -> None:
    """Pinned values of one story, as the datasketch-backed fingerprint of earlier releases
    computed them: rows of an existing `_state/dedup/` index must still match new copies."""
    story = (
        "Port Ellery city council voted 31 to 12 on Tuesday night to fund a four-kilometre\n"
        "extension of the eastern tram line, ending a dispute that has divided the harbour\n"
        "districts for two years. The line will run from the ferry terminal to the hospital."
    )
    fp = fingerprint(story)
    assert [int(key) for key in fp.band_keys[:4]] == PINNED_KEYS
    assert fp.sketch[:16].hex() == PINNED_SKETCH


def _scipy_labels(count: int, pairs: np.ndarray) -> np.ndarray:
    ones = np.ones(len(pairs), dtype=np.int8)
    graph = sparse.coo_matrix((ones, (pairs[:, 0], pairs[:, 1])), shape=(count, count))
    return csgraph.connected_components(graph, directed=False)[1]


@st.composite
def graphs(draw: st.DrawFn) -> tuple[int, np.ndarray]:
    count = draw(st.integers(1, 40))
    node = st.integers(0, count - 1)
    edges = draw(st.lists(st.tuples(node, node), max_size=60))
    return count, np.array(edges, dtype=np.int64).reshape(-1, 2)


@settings(max_examples=200, deadline=None)
@given(graphs())
def test_components_number_clusters_as_scipy_does(graph: tuple[int, np.ndarray]) -> None:
    count, pairs = graph
    assert np.array_equal(_components(count, pairs), _scipy_labels(count, pairs))


def test_components_of_a_long_shuffled_chain_are_one() -> None:
    order = np.random.default_rng(3).permutation(5_000)
    pairs = np.column_stack([order[:-1], order[1:]])
    assert not _components(5_000, pairs).any()


def test_components_of_nothing() -> None:
    assert len(_components(0, np.empty((0, 2), dtype=np.int64))) == 0
