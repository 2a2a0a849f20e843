"""Catalog interchange API: import files (Backstage, ODPS, ODCS) and export the catalog."""

from __future__ import annotations

from django.http import HttpResponse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from products.interchange import export
from products.interchange.services import catalog_import, catalog_import_check

CONTENT_TYPES = {"zip": "application/zip", "yaml": "application/yaml"}


class ImportRequestSerializer(serializers.Serializer):
    """An upload: one YAML/JSON file (multi-document allowed) or a .zip of a tree."""

    file = serializers.FileField()
    domain = serializers.CharField(
        required=False, allow_blank=True, help_text=_("Domain for ODPS files that name none.")
    )
    dry_run = serializers.BooleanField(required=False, default=False)


class CountsSerializer(serializers.Serializer):
    domains = serializers.IntegerField()
    data_products = serializers.IntegerField()
    output_ports = serializers.IntegerField()
    contracts = serializers.IntegerField()


class ProblemSerializer(serializers.Serializer):
    file = serializers.CharField()
    entity = serializers.CharField()
    field = serializers.CharField()
    message = serializers.CharField()


class ImportReportSerializer(serializers.Serializer):
    """What an import created, updated, left unchanged and skipped (per kind)."""

    dry_run = serializers.BooleanField()
    created = CountsSerializer()
    updated = CountsSerializer()
    unchanged = CountsSerializer()
    skipped = serializers.DictField(child=serializers.IntegerField())
    warnings = ProblemSerializer(many=True)
    errors = ProblemSerializer(many=True)


class CatalogImportView(APIView):
    """Import domains and data products; all or nothing (400 lists every error)."""

    # JSON is parsed only to answer a clear 400 ("file: no file was submitted"), not a 415.
    parser_classes = [MultiPartParser, FormParser, JSONParser]

    @extend_schema(
        request={"multipart/form-data": ImportRequestSerializer},
        responses={
            200: ImportReportSerializer,
            400: OpenApiResponse(description="Errors in the files; nothing was written."),
            403: OpenApiResponse(description="Not a lead of that domain, or not staff."),
            413: OpenApiResponse(description="The upload or archive is too large."),
        },
    )
    def post(self, request):
        catalog_import_check(actor=request.user)
        serializer = ImportRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        upload = serializer.validated_data["file"]
        report = catalog_import(
            actor=request.user,
            name=upload.name,
            content=upload.read(),
            domain=serializer.validated_data.get("domain") or None,
            dry_run=serializer.validated_data["dry_run"],
        )
        return Response(report.as_dict())


class _FormatIsTheCatalogFormat(DefaultContentNegotiation):
    """``?format=`` names the catalog format here (DESIGN), not DRF's renderer override."""

    def select_renderer(self, request, renderers, format_suffix=None):
        return renderers[0], renderers[0].media_type


class CatalogExportView(APIView):
    """The whole catalog as Backstage or ODPS files (ODCS for contracts)."""

    content_negotiation_class = _FormatIsTheCatalogFormat

    @extend_schema(
        parameters=[
            OpenApiParameter("format", enum=export.FORMATS, default="backstage"),
            OpenApiParameter("bundle", enum=("zip", "yaml"), default="zip"),
        ],
        responses={(200, "application/zip"): OpenApiTypes.BINARY},
    )
    def get(self, request):
        fmt = request.query_params.get("format", "backstage")
        bundle = request.query_params.get("bundle", "zip")
        if fmt not in export.FORMATS:
            raise ValidationError(
                {
                    "format": [
                        gettext("Valid choices: %(join)s.") % {"join": ", ".join(export.FORMATS)}
                    ]
                }
            )
        if bundle not in CONTENT_TYPES:
            raise ValidationError({"bundle": [gettext("Valid choices: zip, yaml.")]})
        body = export.catalog_export(fmt=fmt, bundle=bundle)
        response = HttpResponse(body, content_type=CONTENT_TYPES[bundle])
        response["Content-Disposition"] = f'attachment; filename="catalog-{fmt}.{bundle}"'
        return response
