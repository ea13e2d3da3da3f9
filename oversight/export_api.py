"""API of the background exports: POST /api/v1/export-jobs/ (start), GET /api/v1/export-jobs/
and /{id}/ (one's own, with their progress), GET /api/v1/export-jobs/{id}/download/ (the file).

The same services as the pages (oversight.export_jobs): only the member of staff who asked sees
a job (anyone else, another prison's staff included: 404); the download is audited."""

from django.core.exceptions import ValidationError
from django.http import FileResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError as ApiValidationError
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from config.api import router
from core.api import ModelSerializer, StrictCharField, StrictIntegerField, error_responses
from prisons.models import Facility

from . import export_jobs
from .models import ExportFormat, ExportJob, ExportKind


class ExportJobSerializer(ModelSerializer):
    format = StrictCharField(source="fmt", read_only=True)
    status_label = StrictCharField(source="get_status_display", read_only=True)
    facility_code = StrictCharField(source="facility.code", read_only=True, default=None, allow_null=True)
    page_url = serializers.SerializerMethodField()
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = ExportJob
        fields = ["id", "kind", "report", "format", "facility", "facility_code", "day", "title", "status",
                  "status_label", "progress", "step", "failure", "filename", "content_type", "created_at",
                  "started_at", "finished_at", "page_url", "download_url"]
        read_only_fields = fields

    def get_page_url(self, job) -> str:
        return reverse("oversight:export_detail", args=[job.pk])

    def get_download_url(self, job) -> str | None:
        return reverse("export-job-download", args=[job.pk]) if job.status == "done" else None


class MayExport(IsAuthenticated):
    """Members of staff who may export the backlog or a report (the others have no exports)."""

    def has_permission(self, request, view):
        return super().has_permission(request, view) and export_jobs.may_export_any(request.user)


class ExportStartSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=ExportKind.choices, help_text=_("backlog : le bilan ; report : un rapport."))
    format = serializers.ChoiceField(choices=ExportFormat.choices)
    report = StrictCharField(required=False, default="", allow_blank=True, max_length=32,
                             help_text=_("Pour kind=report : occupancy, roll, separation, activities, profiles, register."))
    facility = StrictIntegerField(required=False, allow_null=True, default=None, min_value=1, max_value=2**31 - 1,
                                  help_text=_("Un établissement (id) ; sinon tous ceux de l'utilisateur."))
    date = serializers.DateField(required=False, allow_null=True, default=None,
                                 help_text=_("Jour du rapport (rapports datés), AAAA-MM-JJ."))


@extend_schema_view(
    list=extend_schema(summary="Mes exports en arrière-plan (les miens seulement)",
                       responses={200: ExportJobSerializer(many=True), **error_responses(403)}),
    retrieve=extend_schema(summary="Un de mes exports : état et avancement",
                           responses={200: ExportJobSerializer, **error_responses(403, 404)}),
    create=extend_schema(summary="Demander un export en arrière-plan (bilan ou rapport, CSV / XLSX / PDF)",
                         request=ExportStartSerializer,
                         responses={202: ExportJobSerializer, **error_responses(400, 403, 404)}),
)
class ExportJobViewSet(mixins.CreateModelMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin,
                       viewsets.GenericViewSet):
    """Every signed-in member of staff has their own exports; the right to export each report is
    checked by the service (the report's permission, the prison served)."""

    permission_classes = [MayExport]
    serializer_class = ExportJobSerializer
    queryset = ExportJob.objects.none()
    filter_backends = []

    def get_queryset(self):
        return export_jobs.exports_of(self.request.user)

    def get_object(self):
        return export_jobs.open_export(self.kwargs["pk"], actor=self.request.user)

    def create(self, request, *args, **kwargs):
        start = ExportStartSerializer(data=request.data)
        start.is_valid(raise_exception=True)
        data = start.validated_data
        facility = None
        if data["facility"] is not None:
            facility = get_object_or_404(Facility.objects.visible_to(request.user), pk=data["facility"])
        job = export_jobs.start_export(actor=request.user, kind=data["kind"], fmt=data["format"],
                                       report=data["report"], facility=facility, day=data["date"])
        job.refresh_from_db()  # prepared already when the task ran eagerly
        return Response(ExportJobSerializer(job).data, status=status.HTTP_202_ACCEPTED)

    @extend_schema(summary="Télécharger le fichier d'un de mes exports (une fois prêt ; enregistré au journal)",
                   responses={(200, "application/octet-stream"): OpenApiResponse(OpenApiTypes.BINARY),
                              **error_responses(400, 403, 404)})
    @action(detail=True, methods=["get"], url_path="download")
    def download(self, request, pk=None):
        try:
            job = export_jobs.download_export(pk, actor=request.user)
        except ValidationError as error:
            raise ApiValidationError({"status": error.messages}) from None
        return FileResponse(job.file.open("rb"), as_attachment=True, filename=job.filename,
                            content_type=job.content_type)


router.register("export-jobs", ExportJobViewSet, basename="export-job")
