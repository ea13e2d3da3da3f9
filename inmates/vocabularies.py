"""Controlled lists for the profile's answers that were free text (DESIGN.md §5): ethnic group,
religion, occupation, organisational role.

Each list ends with "other" and its free text (`<field>_other`), so that an answer outside
the list is kept as said, but counted under one code: the profile report groups by the code,
and "Touareg" and "Tamasheq (Touareg)" are one line. `classify` maps a free answer onto a
The data migration of the existing answers (inmates 0008_profile_vocabularies) maps each onto
its list, case, accents, punctuation and known synonyms ignored, with a frozen copy of these
codes; an answer it does not recognise becomes "other" with the original text.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

OTHER = "other"


class EthnicGroup(models.TextChoices):
    BAMBARA = "bambara", _("Bambara")
    MALINKE = "malinke", _("Malinké")
    PEUL = "peul", _("Peul")
    SONINKE = "soninke", _("Soninké (Sarakolé)")
    SONGHAI = "songhai", _("Songhaï")
    TOUAREG = "touareg", _("Touareg (Tamasheq)")
    BELLA = "bella", _("Bella")
    ARABE = "arabe", _("Arabe (Maure)")
    DOGON = "dogon", _("Dogon")
    BOZO = "bozo", _("Bozo")
    SENOUFO = "senoufo", _("Sénoufo")
    MINIANKA = "minianka", _("Minianka")
    BOBO = "bobo", _("Bobo")
    KHASSONKE = "khassonke", _("Khassonké")
    OTHER = OTHER, _("Autre (préciser)")


class Religion(models.TextChoices):
    ISLAM = "islam", _("Islam")
    CHRISTIANITY = "christianity", _("Christianisme")
    TRADITIONAL = "traditional", _("Religion traditionnelle")
    NONE = "none", _("Sans religion")
    OTHER = OTHER, _("Autre (préciser)")


class Occupation(models.TextChoices):
    HERDER = "herder", _("Éleveur / berger")
    FARMER = "farmer", _("Cultivateur")
    FISHER = "fisher", _("Pêcheur")
    TRADER = "trader", _("Commerçant")
    ARTISAN = "artisan", _("Artisan / ouvrier")
    DRIVER = "driver", _("Chauffeur / transporteur")
    GOLD_MINER = "gold_miner", _("Orpailleur")
    KORANIC_TEACHER = "koranic_teacher", _("Maître coranique / marabout")
    KORANIC_STUDENT = "koranic_student", _("Élève coranique (talibé)")
    STUDENT = "student", _("Élève / étudiant")
    CIVIL_SERVANT = "civil_servant", _("Fonctionnaire / salarié")
    ARMED_FORCES = "armed_forces", _("Ancien militaire / membre des forces armées")
    UNEMPLOYED = "unemployed", _("Sans emploi")
    OTHER = OTHER, _("Autre (préciser)")


class OrganisationalRole(models.TextChoices):
    FIGHTER = "fighter", _("Combattant")
    LEADER = "leader", _("Chef (groupe, unité, katiba)")
    LOGISTICS = "logistics", _("Logistique / soutien (ravitaillement, transport, cuisine)")
    INFORMANT = "informant", _("Informateur / guetteur")
    RECRUITER = "recruiter", _("Recruteur")
    PREACHER = "preacher", _("Prêcheur / idéologue")
    FINANCIER = "financier", _("Financement")
    NONE_KNOWN = "none_known", _("Aucun rôle connu")
    OTHER = OTHER, _("Autre (préciser)")


VOCABULARIES = {
    "ethnic_group": EthnicGroup, "religion": Religion, "occupation": Occupation,
    "organisational_role": OrganisationalRole,
}
