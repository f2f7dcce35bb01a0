"""Find input files and read them into decoded records."""

from ingest.sources.discover import InputFile, Plan, discover, file_hash, plan_inputs
from ingest.sources.readers import folder_site, read_input, read_path

__all__ = [
    "InputFile",
    "Plan",
    "discover",
    "file_hash",
    "folder_site",
    "plan_inputs",
    "read_input",
    "read_path",
]
