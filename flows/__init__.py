"""Prefect layer over the `ingest` library: the `ingest-news` flow, its deployments and runners.

The library never imports Prefect; everything Prefect-specific lives here. Importing this
package is cheap: Prefect is only loaded by the submodules that need it.
"""
