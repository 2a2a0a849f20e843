"""Catalog interchange: domains and data products from Backstage, ODPS and ODCS files, and back.

- ``sources``: read files, uploads and zips into YAML/JSON documents (bounded, never fetching URLs);
- ``parsers``: detect each document's format and map it to plain specs, naming the field at fault;
- ``plan``: compare the specs with the catalog (a bounded number of queries) and decide;
- ``services``: the one import service (plan, then apply in bulk in one transaction);
- ``export``: the catalog written back as Backstage, ODPS and ODCS documents.
"""
