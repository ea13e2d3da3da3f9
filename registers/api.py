"""API of the paper-register back-fill, under /api/v1/imports/: the template, upload + check (the
preview), the error workbook, decisions on held duplicates, confirm and cancel; and the imported
records (/api/v1/imports/records/) with their four-eyes verification. The same services as the pages."""

from django.http import FileResponse, HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.response import Response

from accounts.reads import AuditedListMixin
from config.api import router
from core.api import ModelSerializer, StrictCharField, StrictIntegerField, error_responses, require_perms
from prisons.models import Facility

from . import scans, services, workbook
from .models import ImportedRecord, ImportJob, RecordStatus, RegisterScan
from .reads import open_import_job, open_imported_record
from .views import XLSX

XLSX_RESPONSE = OpenApiResponse(OpenApiTypes.BINARY, description="Classeur XLSX.")
SCAN_RESPONSE = OpenApiResponse(OpenApiTypes.BINARY, description="Page scannée (JPEG, PNG ou PDF).")


class ScansSerializer(serializers.Serializer):
    files = serializers.ListField(child=serializers.FileField(), allow_empty=False,
                                  help_text="Pages scannées, nommées volume-page (12-034.jpg).")
    volume = StrictCharField(max_length=20, required=False, allow_blank=True, default="")
    page = StrictIntegerField(min_value=1, max_value=99999, required=False, allow_null=True, default=None)


class ScanSerializer(ModelSerializer):
    class Meta:
        model = RegisterScan
        fields = ["id", "job", "register_volume", "register_page", "file_name", "content_type", "sha256",
                  "uploaded_by", "uploaded_at"]


class RowResultSerializer(serializers.Serializer):
    row = StrictIntegerField(help_text="Numéro de la ligne dans la feuille (2 = première ligne de données).")
    status = serializers.ChoiceField(["new", "updated", "unchanged", "invalid", "held"])
    errors = serializers.DictField(child=serializers.ListField(child=StrictCharField()),
                                   help_text="Par colonne (en-tête en français) : les messages.")
    matches = serializers.ListField(child=serializers.DictField(), help_text="Doublons probables.")


class ImportJobSerializer(ModelSerializer):
    facility = serializers.SlugRelatedField(slug_field="code", read_only=True)
    status_label = StrictCharField(source="get_status_display", read_only=True)
    row_results = RowResultSerializer(many=True, read_only=True)

    class Meta:
        model = ImportJob
        fields = ["id", "facility", "file_name", "sha256", "uploaded_by", "uploaded_at", "status", "status_label",
                  "total_rows", "new_rows", "updated_rows", "unchanged_rows", "invalid_rows", "held_rows", "imported_rows",
                  "row_results", "decisions", "checked_at", "confirmed_by", "confirmed_at", "imported_at", "failure",
                  "check_seconds", "import_seconds", "progress_done", "progress_total"]
        read_only_fields = fields


class UploadSerializer(serializers.Serializer):
    facility = serializers.SlugRelatedField(slug_field="code", queryset=Facility.objects.all(),
                                            help_text="Code de l'établissement.")
    file = serializers.FileField(help_text="Classeur XLSX du modèle, ou CSV.")


class DecisionSerializer(serializers.Serializer):
    row = StrictIntegerField(min_value=1)
    decision = serializers.ChoiceField(["create", "skip"])


class RecordSerializer(ModelSerializer):
    facility = serializers.SlugRelatedField(slug_field="code", read_only=True)
    status_label = StrictCharField(source="get_status_display", read_only=True)
    source = StrictCharField(read_only=True)
    legal_status = StrictCharField(source="custody.legal_status", read_only=True,
                                   help_text="Statut juridique du séjour importé.")

    class Meta:
        model = ImportedRecord
        fields = ["id", "job", "row_number", "facility", "register_volume", "register_page", "register_line",
                  "register_number", "source", "origin", "reliability", "corrected_by_job", "inmate", "custody", "case",
                  "legal_status", "status", "status_label",
                  "imported_by", "imported_at", "verified_by", "verified_at", "verification_note"]
        read_only_fields = fields


class VerifySerializer(serializers.Serializer):
    note = StrictCharField(required=False, allow_blank=True, max_length=2000)


class SendBackSerializer(serializers.Serializer):
    reason = StrictCharField(max_length=2000)


def _pk(pk):
    if not str(pk or "").isdigit():
        raise NotFound()
    return int(pk)


@extend_schema_view(
    list=extend_schema(summary="Imports de registres (établissements de l'utilisateur)",
                       responses={200: ImportJobSerializer(many=True), **error_responses(403)}),
    retrieve=extend_schema(summary="Un import et son aperçu ligne par ligne (consultation inscrite au journal)",
                           responses={200: ImportJobSerializer, **error_responses(403, 404)}),
    create=extend_schema(summary="Déposer un fichier du registre : conservé et contrôlé, rien d'autre n'est écrit",
                         request={"multipart/form-data": UploadSerializer},
                         responses={201: ImportJobSerializer, **error_responses(400, 403)}),
)
class ImportJobViewSet(AuditedListMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
                       viewsets.GenericViewSet):
    queryset = ImportJob.objects.none()
    serializer_class = ImportJobSerializer
    http_method_names = ["get", "post", "head", "options"]
    permission_classes = [require_perms("registers.view_importjob")]
    person_field = None
    audit_kind = "imports de registres"

    def get_queryset(self):
        return ImportJob.objects.visible_to(self.request.user).select_related("facility").order_by("-uploaded_at", "-id")

    def get_permissions(self):
        if self.action == "create":
            return [require_perms("registers.add_importjob")()]
        return super().get_permissions()

    def retrieve(self, request, pk=None):
        return Response(ImportJobSerializer(open_import_job(_pk(pk), actor=request.user)).data)

    def create(self, request, *args, **kwargs):
        serializer = UploadSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        upload = serializer.validated_data["file"]
        job = services.upload_register_file(facility=serializer.validated_data["facility"], content=upload.read(),
                                            name=upload.name, actor=request.user)
        job.refresh_from_db()  # checked on commit by a worker (in-process on the embedded default): poll it
        return Response(ImportJobSerializer(job).data, status=status.HTTP_201_CREATED)

    @extend_schema(summary="Le modèle XLSX en français (colonnes, listes, explications)", responses={(200, XLSX): XLSX_RESPONSE})
    @action(detail=False, methods=["get"])
    def template(self, request):
        facility = Facility.objects.visible_to(request.user).order_by("name").first()
        response = HttpResponse(workbook.build_template(services.choice_lists(facility) if facility else {}),
                                content_type=XLSX)
        response["Content-Disposition"] = 'attachment; filename="modele-registre-ecrou.xlsx"'
        return response

    @extend_schema(summary="Le classeur des erreurs (lignes invalides, colonne « Erreurs »)",
                   responses={(200, XLSX): XLSX_RESPONSE, **error_responses(403, 404)})
    @action(detail=True, methods=["get"])
    def errors(self, request, pk=None):
        job = open_import_job(_pk(pk), actor=request.user)
        response = HttpResponse(services.error_workbook(job), content_type=XLSX)
        response["Content-Disposition"] = f'attachment; filename="erreurs-import-{job.pk}.xlsx"'
        return response

    def _act(self, request, pk, service, serializer_class=None):
        job = open_import_job(_pk(pk), actor=request.user)
        extra = {}
        if serializer_class:
            serializer = serializer_class(data=request.data)
            serializer.is_valid(raise_exception=True)
            extra = serializer.validated_data
        job = service(job, actor=request.user, **extra)
        job.refresh_from_db()
        return Response(ImportJobSerializer(job).data)

    @extend_schema(summary="Confirmer l'import (tâche Celery ; idempotente et reprise sans doublon)", request=None,
                   responses={200: ImportJobSerializer, **error_responses(400, 403, 404)})
    @action(detail=True, methods=["post"], permission_classes=[require_perms("registers.change_importjob")])
    def confirm(self, request, pk=None):
        return self._act(request, pk, services.confirm_import)

    @extend_schema(summary="Annuler un import non lancé", request=None,
                   responses={200: ImportJobSerializer, **error_responses(400, 403, 404)})
    @action(detail=True, methods=["post"], permission_classes=[require_perms("registers.change_importjob")])
    def cancel(self, request, pk=None):
        return self._act(request, pk, services.cancel_import)

    @extend_schema(summary="Trancher un doublon probable : importer (create) ou laisser (skip)",
                   request=DecisionSerializer, responses={200: ImportJobSerializer, **error_responses(400, 403, 404)})
    @action(detail=True, methods=["post"], permission_classes=[require_perms("registers.change_importjob")])
    def decide(self, request, pk=None):
        return self._act(request, pk, services.decide_duplicate, DecisionSerializer)

    @extend_schema(summary="Déposer des pages scannées du registre (nommées volume-page, ou une seule avec "
                           "volume et page)", request={"multipart/form-data": ScansSerializer},
                   responses={201: ScanSerializer(many=True), **error_responses(400, 403, 404)})
    @action(detail=True, methods=["post"], permission_classes=[require_perms("registers.change_importjob")])
    def scans(self, request, pk=None):
        job = open_import_job(_pk(pk), actor=request.user)
        data = request.data.copy()
        serializer = ScansSerializer(data={"files": request.FILES.getlist("files"), "volume": data.get("volume", ""),
                                           "page": data.get("page") or None})
        serializer.is_valid(raise_exception=True)
        kept = scans.upload_register_scans(
            job, files=[(f.name, f.read()) for f in serializer.validated_data["files"]], actor=request.user,
            volume=serializer.validated_data["volume"], page=serializer.validated_data["page"])
        return Response(ScanSerializer(kept, many=True).data, status=status.HTTP_201_CREATED)


@extend_schema_view(
    list=extend_schema(summary="Enregistrements repris des registres (filtre status)",
                       responses={200: RecordSerializer(many=True), **error_responses(403)}),
    retrieve=extend_schema(summary="Un enregistrement repris (consultation inscrite au journal)",
                           responses={200: RecordSerializer, **error_responses(403, 404)}),
)
class ImportedRecordViewSet(AuditedListMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin,
                            viewsets.GenericViewSet):
    queryset = ImportedRecord.objects.none()
    serializer_class = RecordSerializer
    http_method_names = ["get", "post", "head", "options"]
    permission_classes = [require_perms("registers.view_importedrecord")]
    person_field = "inmate_id"
    audit_kind = "enregistrements repris des registres"

    def get_queryset(self):
        queryset = ImportedRecord.objects.visible_to(self.request.user).select_related("facility", "custody")
        wanted = self.request.query_params.get("status")
        if wanted in RecordStatus.values:
            queryset = queryset.filter(status=wanted)
        return queryset.order_by("pk")

    def retrieve(self, request, pk=None):
        return Response(RecordSerializer(open_imported_record(_pk(pk), actor=request.user)).data)

    def _act(self, request, pk, service, serializer_class):
        record = open_imported_record(_pk(pk), actor=request.user)
        serializer = serializer_class(data=request.data)
        serializer.is_valid(raise_exception=True)
        record = service(record, actor=request.user, **serializer.validated_data)
        return Response(RecordSerializer(record).data)

    @extend_schema(summary="La page scannée du registre où figure la ligne (personnel de l'établissement ; "
                           "consultation inscrite au journal)", responses={(200, "*/*"): SCAN_RESPONSE,
                                                                           **error_responses(403, 404)})
    @action(detail=True, methods=["get"])
    def scan(self, request, pk=None):
        scan = scans.open_record_scan(open_imported_record(_pk(pk), actor=request.user), actor=request.user)
        response = FileResponse(scan.file.open("rb"), content_type=scan.content_type)
        response["X-Content-Type-Options"] = "nosniff"
        response["Cache-Control"] = "private, no-store"
        return response

    @extend_schema(summary="Vérifié sur le registre (second greffier ; refusé à celui qui l'a importé)",
                   request=VerifySerializer, responses={200: RecordSerializer, **error_responses(400, 403, 404)})
    @action(detail=True, methods=["post"], permission_classes=[require_perms("registers.verify_importedrecord")])
    def verify(self, request, pk=None):
        return self._act(request, pk, services.verify_record, VerifySerializer)

    @extend_schema(summary="Renvoyer pour correction, avec le motif", request=SendBackSerializer,
                   responses={200: RecordSerializer, **error_responses(400, 403, 404)})
    @action(detail=True, methods=["post"], url_path="send-back",
            permission_classes=[require_perms("registers.verify_importedrecord")])
    def send_back(self, request, pk=None):
        return self._act(request, pk, services.send_back_record, SendBackSerializer)


# Records first: "imports/records/" must not be read as the job "records".
router.register("imports/records", ImportedRecordViewSet, basename="imported-record")
router.register("imports", ImportJobViewSet, basename="import-job")
