"""newsclean: multilingual news ingestion and cleaning into typed Parquet."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("newsclean")
except PackageNotFoundError:  # running from a source tree without installing
    __version__ = "0.0.0+source"
