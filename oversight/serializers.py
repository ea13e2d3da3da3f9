"""The filters every report takes (facility, date), validated the same way on both doors."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers


class ReportQuerySerializer(serializers.Serializer):
    etablissement = serializers.IntegerField(
        required=False, min_value=1, help_text=_("Identifiant de l'établissement (par défaut : tous ceux visibles)."),
        error_messages={"invalid": _("Établissement invalide.")},
    )
    date = serializers.DateField(
        required=False, help_text=_("Jour du rapport, AAAA-MM-JJ (par défaut : aujourd'hui)."),
        error_messages={"invalid": _("Date invalide : utilisez le format AAAA-MM-JJ.")},
    )

    def validate_date(self, value):
        if value > timezone.localdate():
            raise serializers.ValidationError(_("La date ne peut pas être dans le futur."))
        return value


class QueueSerializer(serializers.Serializer):
    """One work queue of the signed-in user (oversight.queues): a count and the list it opens."""

    key = serializers.CharField(help_text="Identifiant stable de la file (ex. intake_administration).")
    label = serializers.CharField(help_text="Libellé, dans la langue de la requête.")
    count = serializers.IntegerField(min_value=0)
    url = serializers.CharField(help_text="La page de la liste filtrée qui montre ces dossiers.")
    facility = serializers.CharField(allow_blank=True, help_text="Code de l'établissement ; vide : national.")
    facility_name = serializers.CharField(allow_blank=True)
    urgent = serializers.BooleanField()


class MyQueuesSerializer(serializers.Serializer):
    queues = QueueSerializer(many=True)
