"""Catalog files the interchange tests import: Backstage, ODPS and ODCS, as a user writes them."""

from __future__ import annotations

import io
import zipfile

BACKSTAGE = b"""\
apiVersion: backstage.io/v1alpha1
kind: Domain
metadata:
  name: payments
  title: Payments
  description: Money moving through the marketplace.
spec:
  owner: group:payments-team
---
apiVersion: backstage.io/v1alpha1
kind: System
metadata:
  name: payment-events
  title: Payment events
  description: Every payment attempt, as events.
  tags: [payments, events]
spec:
  owner: group:payments-team
  domain: payments
---
apiVersion: backstage.io/v1alpha1
kind: API
metadata:
  name: payment-events-api
  description: REST access
  annotations:
    upstream/location: https://payments.internal/api/events
spec:
  type: openapi
  lifecycle: production
  owner: group:payments-team
  system: payment-events
  definition: "openapi: 3.0.0"
---
apiVersion: backstage.io/v1alpha1
kind: Resource
metadata:
  name: payment-events-topic
  annotations:
    upstream/location: payments.events.v1
spec:
  type: kafka-topic
  owner: group:payments-team
  system: payment-events
---
apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: payments-service
spec:
  type: service
  lifecycle: production
  owner: group:payments-team
"""

ODPS = b"""\
apiVersion: v1.0.0
kind: DataProduct
id: 6f1c3a52-payouts
name: Seller payouts
domain: payments
status: active
description:
  purpose: Payouts to sellers, one row per transfer.
  usage: Join on seller_id.
tags: [finance]
outputPorts:
  - name: dwh.payments.payouts
    type: tables
    description: Daily table
support:
  - channel: "#payments-data"
    url: https://chat.example/payments-data
team:
  name: payments-team
customProperties:
  - property: upstreamClassification
    value: confidential
"""

ODCS = b"""\
apiVersion: v3.0.2
kind: DataContract
id: payouts-contract
version: 1.0.0
status: active
domain: payments
dataProduct: 6f1c3a52-payouts
schema:
  - name: payouts
    properties:
      - name: seller_id
        logicalType: string
slaProperties:
  - property: latency
    value: 1
    unit: d
  - property: availability
    value: 99.5
support:
  - channel: "#payments-data"
    url: https://chat.example/payments-data
"""


def zip_of(files: dict[str, bytes]) -> bytes:
    """A .zip holding ``files`` (path → content)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for path, content in files.items():
            archive.writestr(path, content)
    return buffer.getvalue()


def odps_products(n: int, domain: str = "payments") -> bytes:
    """``n`` ODPS products in one multi-document file."""
    docs = [
        f"apiVersion: v1.0.0\nkind: DataProduct\nid: p-{i}\nname: Product {i}\n"
        f"domain: {domain}\nstatus: draft\ntags: [t{i % 7}, bulk]\n"
        f"outputPorts:\n  - name: dwh.bulk.p_{i}\n    type: table\n"
        for i in range(n)
    ]
    return "---\n".join(docs).encode()
