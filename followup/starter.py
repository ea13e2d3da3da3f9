"""The neutral starter instrument of needs and the intervention catalogue, as plain data: the data
migration loads them (DNAPES edits the instrument afterwards through new versions). Written for
this product, copied from no proprietary tool; no item scores risk."""

NEED_SCALE = [
    {"value": "none", "label": "Pas de besoin"},
    {"value": "some", "label": "Besoin partiel"},
    {"value": "high", "label": "Besoin important"},
    {"value": "unknown", "label": "Ne sait pas / à vérifier"},
]
YES_NO_SCALE = [
    {"value": "yes", "label": "Oui"},
    {"value": "no", "label": "Non"},
    {"value": "unknown", "label": "Ne sait pas / à vérifier"},
]

GUIDANCE = (
    "Entretien individuel, dans une langue que la personne comprend. Chaque réponse décrit un besoin, "
    "jamais un risque. La conclusion est le jugement de l'évaluateur, qu'il motive : l'outil ne calcule "
    "aucun score ni aucun classement."
)

# (code, name, guidance, [(code, question, scale code)])
DOMAINS = [
    ("education", "Scolarité", "Niveau atteint, souhait de reprendre une scolarité.", [
        ("schooling", "La personne souhaite-t-elle reprendre ou poursuivre une scolarité ?", "need"),
        ("level_known", "Le niveau scolaire atteint est-il connu ?", "yes_no"),
    ]),
    ("literacy", "Alphabétisation", "Lecture et écriture, en français ou dans une langue nationale.", [
        ("reading", "Besoin d'apprendre à lire ou à écrire", "need"),
    ]),
    ("health", "Santé", "Sans détail médical : un besoin à signaler au service médical.", [
        ("care_follow_up", "Besoin d'un suivi de santé à organiser (à signaler au service médical)", "need"),
        ("psycho_social", "Besoin d'un soutien psycho-social", "need"),
    ]),
    ("family", "Famille", "Liens avec la famille, enfants à charge, médiation.", [
        ("contact", "Besoin d'aide pour garder ou rétablir le contact avec la famille", "need"),
        ("dependants", "La personne a-t-elle des enfants ou des proches à charge ?", "yes_no"),
    ]),
    ("work", "Compétences professionnelles", "Métier exercé, formation souhaitée.", [
        ("training", "Besoin d'une formation professionnelle", "need"),
        ("trade", "La personne a-t-elle un métier ?", "yes_no"),
    ]),
    ("legal_aid", "Aide juridique", "Avocat, compréhension de la procédure, recours.", [
        ("lawyer", "Besoin d'un avocat ou d'une aide juridictionnelle", "need"),
        ("procedure", "Besoin d'explications sur sa procédure", "need"),
    ]),
]

# (code, name, provider kinds, activity kinds of detention.ActivityKind)
INTERVENTIONS = [
    ("literacy", "Alphabétisation et scolarité", ["staff", "ngo"], ["schooling", "library"]),
    ("tailoring", "Formation professionnelle — couture", ["staff", "ngo"], ["tailoring", "training"]),
    ("mechanics", "Formation professionnelle — mécanique", ["staff", "ngo"], ["mechanics", "training"]),
    ("farming", "Formation professionnelle — agriculture", ["staff", "ngo"], ["farm", "training"]),
    ("kitchen", "Formation professionnelle — cuisine", ["staff", "ngo"], ["kitchen", "training"]),
    ("religious", "Accompagnement religieux par des leaders religieux reconnus", ["religious"],
     ["mosque", "church"]),
    ("psycho_social", "Soutien psycho-social", ["staff", "ngo"], []),
    ("family", "Contact familial et médiation", ["staff", "ngo"], []),
    ("legal_aid", "Aide juridique", ["ngo", "staff"], []),
]
