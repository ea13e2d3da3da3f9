"""What each category of sensitive data is processed for (LAW.md, personal data: sensitive data
processed only for its stated purpose), who may read it, and on what ground. One table, shown
in every subject-access export (page, PDF, API) and on the forms that collect such data; a test
requires a purpose for every need-to-know permission (accounts.need_to_know)."""

from django.utils.translation import gettext_lazy as _

from . import need_to_know

# key: (the need-to-know permission that guards it, category, purpose, who reads it, ground)
PURPOSES = {
    "medical": (
        need_to_know.MEDICAL, _("Examen médical d'entrée et suivi de santé"),
        _("Soigner la personne, dépister les maladies, mauvais traitements et besoins (Règles Nelson Mandela "
          "24 à 35) ; jamais pour la discipline ni le classement de sécurité."),
        _("Le personnel médical de l'établissement."),
        _("Règles Nelson Mandela 30 à 32 ; secret médical."),
    ),
    "social_report": (
        need_to_know.SOCIAL_REPORT, _("Entretien social d'entrée"),
        _("Connaître la situation familiale et les besoins de la personne pour préparer son suivi et sa "
          "sortie (Règles 89 à 92, 107 et 108)."),
        _("Le service social et la direction de l'établissement."),
        _("Règles Nelson Mandela 89 à 94."),
    ),
    "social_profile": (
        need_to_know.SOCIAL_PROFILE,
        _("Profil : religion, groupe ethnique, appartenances, rôle dans un groupe armé"),
        _("Respecter la religion (alimentation, culte : Règles 65 et 66) ; séparer les catégories et évaluer "
          "les risques (Règles 11 et 93) ; statistiques anonymes de la DNAPES sans aucun effectif inférieur à 5. "
          "Jamais pour une décision judiciaire ni une sanction."),
        _("Le service social, la direction ; la DNAPES en statistiques seulement."),
        _("Règles Nelson Mandela 2, 11, 65, 66 et 93 ; protection des données à caractère personnel."),
    ),
    "confidential_complaint": (
        need_to_know.CONFIDENTIAL_COMPLAINT, _("Plaintes confidentielles"),
        _("Instruire la plainte et y répondre sans exposer son auteur (Règles 56 et 57)."),
        _("La direction et le destinataire de la plainte."),
        _("Règles Nelson Mandela 56 et 57."),
    ),
    "allegation": (
        need_to_know.ALLEGATION, _("Allégations de torture ou de mauvais traitements"),
        _("Transmettre sans délai à une autorité indépendante et protéger la personne (Règle 57.3, Règle 71)."),
        _("La direction de l'établissement et la DNAPES."),
        _("Règles Nelson Mandela 57 et 71 ; Convention contre la torture."),
    ),
}


def purpose_rows():
    """The table as plain rows (for the export, page and API alike)."""
    return [{"key": key, "permission": perm, "category": str(category), "purpose": str(purpose),
             "readers": str(readers), "ground": str(ground)}
            for key, (perm, category, purpose, readers, ground) in PURPOSES.items()]


def purpose_of(key: str) -> str:
    return str(PURPOSES[key][2])
