"""Raw files in object storage: a real S3 API (moto in server mode on 127.0.0.1, started here),
reached through s3fs with nothing but the usual environment (AWS_ENDPOINT_URL, keys)."""

from __future__ import annotations

import contextlib
import gzip
import os
import socket
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ingest import store
from ingest.cli import app
from ingest.options import Options
from ingest.pipeline import run_pipeline

boto3 = pytest.importorskip("boto3")
pytest.importorskip("s3fs")
moto_server = pytest.importorskip("moto.server")

BUCKET = "newsroom"
STORIES = {
    "alden/library.html": (
        "Ferry terminal becomes a library",
        "The harbour council of Port Alden voted on Tuesday to turn the old ferry terminal into "
        "a public library, ending a debate that had run for almost six years.\n\n"
        "Work on the building is to start in the autumn and should take about eighteen months.",
    ),
    "alden/market.html": (
        "Fish market reopens on the east quay",
        "The covered fish market on the east quay opened again on Saturday after a winter of "
        "repairs to its roof and cold rooms.\n\n"
        "Eleven stalls sold the morning's catch, and the first crates were gone by eight.",
    ),
    "lindenau/bruecke.html": (
        "Neue Brücke in Lindenau eröffnet",
        "Die Stadt Lindenau hat am Mittwoch die neue Fußgängerbrücke über den Fluss eröffnet, "
        "nachdem die Bauarbeiten fast drei Jahre gedauert hatten.\n\n"
        "Hunderte Menschen überquerten sie am ersten Tag, Radfahrer müssen absteigen.",
    ),
}


def page(title: str, body: str) -> bytes:
    paragraphs = "".join(f"<p>{p}</p>" for p in body.split("\n\n"))
    html = (
        f"<html><head><meta charset='utf-8'><title>{title}</title></head><body>"
        f"<nav><a href='/'>Home</a></nav><article><h1>{title}</h1>{paragraphs}</article>"
        "<footer>© 2026 Harbour Media</footer></body></html>"
    )
    return html.encode()


def raw_files() -> dict[str, bytes]:
    files = {key: page(*story) for key, story in STORIES.items()}
    library = files["alden/library.html"]
    files["alden/library-copy.html.gz"] = gzip.compress(library)
    files["feeds/wire.jsonl"] = (
        b'{"title": "Tide tables", "text": "'
        + b"The tide tables for the coming month were published by the port office today. " * 3
        + b'"}\n{broken\n'
    )
    files["alden/picture.html"] = b"\x89PNG\r\n\x1a\n" + bytes(range(200))
    files["alden/scan.pdf"] = b"%PDF-1.4"
    files[".hidden/skip.html"] = library
    return files


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def s3_endpoint() -> Iterator[str]:
    """A moto S3 server on 127.0.0.1, and the environment every S3 client reads."""
    port = _free_port()
    server = moto_server.ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    endpoint = f"http://127.0.0.1:{port}"
    with pytest.MonkeyPatch.context() as env:
        env.setenv("AWS_ENDPOINT_URL", endpoint)
        env.setenv("AWS_ACCESS_KEY_ID", "testing")
        env.setenv("AWS_SECRET_ACCESS_KEY", "testing")
        env.setenv("AWS_DEFAULT_REGION", "us-east-1")
        env.delenv("AWS_PROFILE", raising=False)
        yield endpoint
    server.stop()


@pytest.fixture()
def bucket(s3_endpoint: str, request: pytest.FixtureRequest) -> Iterator[tuple[object, str]]:
    """A fresh prefix holding the raw files, and a client to change it."""
    client = boto3.client("s3")
    with contextlib.suppress(client.exceptions.BucketAlreadyOwnedByYou):
        client.create_bucket(Bucket=BUCKET)
    prefix = f"{request.node.name}/raw"
    for key, data in raw_files().items():
        client.put_object(Bucket=BUCKET, Key=f"{prefix}/{key}", Body=data)
    _forget_listings()
    yield client, prefix


def _forget_listings() -> None:
    """s3fs caches listings per process; a test that changes the bucket behind its back drops
    them, as a new `ingest run` process would start without them."""
    import s3fs

    s3fs.S3FileSystem.clear_instance_cache()


def write_local(root: Path) -> Path:
    for key, data in raw_files().items():
        path = root / key
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    return root


def outcomes(out: Path) -> dict[str, list[tuple]]:
    articles = store.read_table(out, "articles").to_pylist()
    duplicates = store.read_table(out, "duplicates").to_pylist()
    rejects = store.read_table(out, "rejects").to_pylist()
    return {
        "articles": sorted((r["doc_id"], r["source"], r["title"], r["text"]) for r in articles),
        "duplicates": sorted((r["doc_id"], r["duplicate_of"], r["match"]) for r in duplicates),
        "rejects": sorted((r["source"], r["doc_id"] or "", r["reason"]) for r in rejects),
    }


def test_a_bucket_prefix_gives_what_the_same_files_on_disk_give(bucket, tmp_path: Path) -> None:
    _, prefix = bucket
    local = run_pipeline(
        Options(
            raw_dir=write_local(tmp_path / "raw"), out_dir=tmp_path / "local", write_report=False
        )
    )
    remote = run_pipeline(
        Options(raw_dir=f"s3://{BUCKET}/{prefix}", out_dir=tmp_path / "s3", write_report=False)
    )

    assert remote.n_files == local.n_files == 6
    assert outcomes(tmp_path / "s3") == outcomes(tmp_path / "local")
    reasons = {source: reason for source, _, reason in outcomes(tmp_path / "s3")["rejects"]}
    assert reasons["alden/picture.html"] == "binary" and reasons["alden/scan.pdf"] == "unsupported"
    assert outcomes(tmp_path / "s3")["duplicates"]  # the gzipped copy


def test_worker_processes_read_objects_too(bucket, tmp_path: Path) -> None:
    _, prefix = bucket
    url = f"s3://{BUCKET}/{prefix}"
    run_pipeline(Options(raw_dir=url, out_dir=tmp_path / "one", write_report=False))
    _forget_listings()
    run_pipeline(
        Options(raw_dir=url, out_dir=tmp_path / "two", write_report=False, workers=2, batch_size=2)
    )

    assert outcomes(tmp_path / "two") == outcomes(tmp_path / "one")


def test_later_runs_read_only_new_or_changed_objects(bucket, tmp_path: Path) -> None:
    client, prefix = bucket
    options = Options(
        raw_dir=f"s3://{BUCKET}/{prefix}", out_dir=tmp_path / "out", write_report=False
    )
    run_pipeline(options)

    _forget_listings()
    again = run_pipeline(options)
    assert (again.n_files, again.n_unchanged_files) == (0, 6)

    time.sleep(1.1)  # S3 times have whole seconds: the copy must look modified
    same = page(*STORIES["alden/market.html"])
    client.put_object(Bucket=BUCKET, Key=f"{prefix}/alden/market.html", Body=same)
    title, body = STORIES["lindenau/bruecke.html"]
    client.put_object(
        Bucket=BUCKET,
        Key=f"{prefix}/lindenau/bruecke.html",
        Body=page(title, body + "\n\nDie Brücke ist nachts beleuchtet."),
    )
    _forget_listings()
    changed = run_pipeline(options)

    assert (changed.n_files, changed.n_unchanged_files) == (1, 5)  # same bytes, same ETag
    rows = [
        row
        for table in ("articles", "duplicates")
        for row in store.read_table(tmp_path / "out", table).to_pylist()
    ]
    versions = {r["doc_id"] for r in rows if r["source"] == "lindenau/bruecke.html"}
    assert len(versions) == 2  # the changed page is a new document (a near copy of the old one)


def test_object_storage_inputs_keep_the_size_limits(bucket, tmp_path: Path) -> None:
    client, prefix = bucket
    big = page("A long story", "Paragraph of a long story about the harbour. " * 40_000)
    client.put_object(Bucket=BUCKET, Key=f"{prefix}/big.html", Body=big)
    _forget_listings()

    run_pipeline(
        Options(
            raw_dir=f"s3://{BUCKET}/{prefix}",
            out_dir=tmp_path / "out",
            write_report=False,
            max_file_bytes=1 << 20,
        )
    )

    rejects = {r["source"]: r for r in store.read_table(tmp_path / "out", "rejects").to_pylist()}
    assert rejects["big.html"]["reason"] == "too_large"


def test_a_file_url_reads_like_the_folder(tmp_path: Path) -> None:
    raw = write_local(tmp_path / "raw")
    run_pipeline(Options(raw_dir=raw, out_dir=tmp_path / "local", write_report=False))
    run_pipeline(Options(raw_dir=raw.as_uri(), out_dir=tmp_path / "url", write_report=False))

    assert outcomes(tmp_path / "url") == outcomes(tmp_path / "local")


def test_an_empty_prefix_is_named_and_exits_zero(s3_endpoint: str, tmp_path: Path) -> None:
    client = boto3.client("s3")
    with contextlib.suppress(client.exceptions.BucketAlreadyOwnedByYou):
        client.create_bucket(Bucket=BUCKET)
    url = f"s3://{BUCKET}/nothing-yet"

    result = CliRunner().invoke(app, ["run", url, "--out", str(tmp_path / "out")])

    assert result.exit_code == 0, result.output
    assert f"no input files found in {url}" in result.output


def test_the_worker_probe_reads_a_bucket_and_names_a_missing_one(bucket, tmp_path: Path) -> None:
    from ingest.access import check_access

    _, prefix = bucket

    assert check_access(f"s3://{BUCKET}/{prefix}", str(tmp_path)) is None
    assert check_access(f"s3://{BUCKET}/no-object-yet", str(tmp_path)) is None
    problem = check_access("s3://no-such-bucket/raw", str(tmp_path))
    assert "s3://no-such-bucket/raw" in problem and "credentials" in problem


def test_cli_runs_a_bucket_and_names_a_missing_one(bucket, tmp_path: Path) -> None:
    _, prefix = bucket
    runner = CliRunner()

    ok = runner.invoke(app, ["run", f"s3://{BUCKET}/{prefix}", "--out", str(tmp_path / "out")])
    missing = runner.invoke(app, ["run", "s3://no-such-bucket/raw", "--out", str(tmp_path / "o")])

    assert ok.exit_code == 0, ok.output
    assert "articles" in ok.stdout and os.path.isdir(tmp_path / "out" / "articles")
    assert missing.exit_code == 2
    assert "s3://no-such-bucket/raw" in missing.output and "Traceback" not in missing.output


@pytest.mark.prefect
def test_a_tracked_flow_run_reads_a_bucket(bucket, prefect_harness, tmp_path: Path) -> None:
    from flows.ingest_flow import run_tracked

    _, prefix = bucket
    url = f"s3://{BUCKET}/{prefix}"
    run_pipeline(Options(raw_dir=url, out_dir=tmp_path / "plain", write_report=False))
    _forget_listings()

    summary = run_tracked(Options(raw_dir=url, out_dir=tmp_path / "flow", write_report=False))

    assert summary.n_files == 6
    assert outcomes(tmp_path / "flow") == outcomes(tmp_path / "plain")
