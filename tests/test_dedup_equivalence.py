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
from ingest.dedup.minhash import NUM_PERM, fingerprint, minhash_values

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
