"""What the generator draws from: names, places, languages, offences, magistrates."""

import itertools

from casework.models import LegalClass

# --- People: names, places, languages --------------------------------------------------------

MALE = [
    "Mamadou", "Moussa", "Oumar", "Amadou", "Boubacar", "Ibrahim", "Seydou", "Adama", "Bakary",
    "Souleymane", "Modibo", "Sékou", "Drissa", "Abdoulaye", "Issa", "Yacouba", "Lassana", "Siaka",
    "Fousseyni", "Mahamadou", "Mohamed", "Aliou", "Hamidou", "Daouda", "Salif", "Mamoutou",
    "Bourama", "Karim", "Sidiki", "Tiémoko", "Nouhoum", "Cheick Oumar", "Youssouf", "Brahima",
    "Dramane", "Kalifa", "Zoumana", "Mory", "Lamine", "Alou", "Issiaka", "Alassane", "Ousmane",
    "Sory", "Abdoul Karim", "Mohamed Lamine", "Bréhima", "Check", "Oumarou", "Sambou",
]
FEMALE = [
    "Aminata", "Fatoumata", "Mariam", "Awa", "Kadiatou", "Oumou", "Assitan", "Rokia", "Hawa",
    "Djénéba", "Salimata", "Kadidia", "Aïssata", "Nana", "Bintou", "Sitan", "Fanta", "Korotoumou",
    "Ramata", "Mariétou", "Adiaratou", "Safiatou", "Maïmouna", "Tenin", "Coumba", "Fily",
]
ETHNIC = {
    # surnames, extra male first names, extra female first names, languages, home regions
    "bambara": (["Traoré", "Diarra", "Coulibaly", "Koné", "Dembélé", "Samaké", "Doumbia", "Kanté",
                 "Dagnoko", "Bagayoko", "Mariko", "Togola", "Ballo", "Tangara", "Sanogo", "Konaré"],
                [], [], ("bambara",), ("SEG", "KLK", "BKO", "DLA", "SIK", "KIT")),
    "malinke": (["Keïta", "Konaté", "Camara", "Sissoko", "Kouyaté", "Diakité", "Fofana", "Kanté",
                 "Cissoko", "Danioko"], [], [], ("malinké", "bambara"), ("KIT", "KAY", "BGN", "KLK")),
    "peul": (["Diallo", "Barry", "Bah", "Sow", "Sangaré", "Sidibé", "Dicko", "Bocoum", "Tall",
              "Cissé", "Diakité", "Cissouma"], ["Hamadoun", "Hama", "Bocar", "Allaye", "Sambo",
                                                 "Hassane", "Amadou"], ["Kadidia", "Dado", "Penda"],
             ("peul (fulfuldé)", "bambara"), ("MOP", "SEG", "DTZ", "BDG", "NIO", "SAN", "KAY")),
    "soninke": (["Cissé", "Touré", "Sylla", "Doucouré", "Diawara", "Soumaré", "Sacko", "Dramé",
                 "Kanouté", "Tandia", "Gassama", "Niakaté", "Diaby"], ["Samba", "Demba"], ["Diaba"],
                ("soninké", "bambara"), ("KAY", "NIO", "NAR")),
    "songhai": (["Maïga", "Touré", "Cissé", "Haïdara", "Yattara", "Tandina", "Koïta", "Djitèye",
                 "Baby", "Alpha"], ["Boureïma", "Hamma", "Alkaya", "Mahamane", "Almahady",
                                    "Issoufi"], ["Fady", "Haoua"],
                ("songhaï", "bambara"), ("GAO", "TBK", "MOP")),
    "dogon": (["Dolo", "Guindo", "Togo", "Kassogué", "Ongoïba", "Tembely", "Karambé", "Poudiougou",
               "Saye", "Dara"], ["Ogobara", "Antandou", "Amassagou", "Joseph", "Emmanuel"],
              ["Yalèma", "Yassagou"], ("dogon", "bambara"), ("BDG", "MOP", "DTZ")),
    "senoufo": (["Sanogo", "Ouattara", "Koné", "Berthé", "Dao", "Traoré", "Coulibaly", "Diamoutene"],
                ["Zanga", "Nanourou", "Pierre"], ["Nagnouma"], ("sénoufo", "bambara"),
                ("SIK", "KTL")),
    "bozo": (["Kanta", "Tapo", "Nientao", "Karabenta", "Djénépo"], [], [], ("bozo", "bambara"),
             ("MOP", "SEG")),
    "tamasheq": ([], ["Alhousseini", "Attaher", "Assaleh", "Almoustapha", "Bilal", "Aghaly",
                      "Elmehdi", "Hamada", "Mossa", "Rhissa", "Ahmed", "Mohamed", "Ibrahim"],
                 ["Fadimata", "Lalla", "Aminatou", "Tahita"], ("tamasheq", "arabe"),
                 ("KID", "GAO", "MEN", "TBK")),
    "arab": ([], ["Sidi", "Ahmed", "Moulaye", "Baba", "Mahmoud", "Mohamed", "El Hadj", "Cheick",
                  "Abdallah", "Hamoudi"], ["Zeinabou", "Khadija", "Lalla", "Mama"],
             ("arabe (hassanya)", "tamasheq"), ("TBK", "TAO", "GAO")),
    "foreign": (["Ouédraogo", "Sawadogo", "Issoufou", "Ould Brahim", "Bamba", "Condé"], [], [],
                ("français", "mooré"), ()),
}
MIXES = {
    "bamako": {"bambara": 35, "malinke": 12, "peul": 15, "soninke": 10, "songhai": 6, "dogon": 6,
               "senoufo": 6, "bozo": 2, "tamasheq": 2, "arab": 1, "foreign": 3},
    "kayes": {"soninke": 30, "malinke": 25, "peul": 25, "bambara": 15, "arab": 3, "foreign": 2},
    "sikasso": {"senoufo": 35, "bambara": 30, "malinke": 10, "peul": 15, "dogon": 4, "foreign": 6},
    "segou": {"bambara": 42, "peul": 20, "bozo": 8, "soninke": 7, "senoufo": 8, "dogon": 5,
              "songhai": 5, "malinke": 5},
    "mopti": {"peul": 35, "dogon": 20, "bozo": 12, "bambara": 12, "songhai": 15, "tamasheq": 3,
              "arab": 3},
    # People held in terrorism-related cases (DESIGN.md §5 profiles: mostly from the north and centre).
    "veo": {"peul": 40, "tamasheq": 18, "arab": 9, "songhai": 15, "bambara": 7, "dogon": 4,
            "soninke": 3, "foreign": 4},
}
FOREIGN_NATIONALITIES = ["Burkinabè", "Nigérienne", "Mauritanienne", "Guinéenne", "Ivoirienne",
                         "Sénégalaise", "Algérienne"]
FIRST_VARIANTS = {
    "Mohamed": ["Mahamadou", "Mohammed", "Mahamed"], "Mahamadou": ["Mohamed", "Mamadou"],
    "Mamadou": ["Mahamadou", "Mohamed"], "Oumar": ["Omar", "Oumarou"], "Ibrahim": ["Brahima",
    "Ibrahima"], "Brahima": ["Ibrahim"], "Bréhima": ["Ibrahim", "Brahima"], "Souleymane":
    ["Souleïmane", "Sulaymane"], "Boubacar": ["Aboubacar", "Bakary"], "Moussa": ["Mousa"],
    "Youssouf": ["Yusuf"], "Abdoulaye": ["Abdallah"], "Aliou": ["Ali"], "Seydou": ["Seïdou"],
    "Fatoumata": ["Fatimata", "Fatouma"], "Aminata": ["Aminatou"], "Mariam": ["Mariame",
    "Maryam"], "Aïssata": ["Aïcha"], "Kadiatou": ["Khadija"], "Hamadoun": ["Amadou"],
}
LAST_VARIANTS = {
    "Traoré": ["Traore", "Trahoré"], "Keïta": ["Keita", "Keyita"], "Coulibaly": ["Kulibali"],
    "Diarra": ["Jara"], "Konaté": ["Konate"], "Maïga": ["Maiga"], "Touré": ["Toure", "Ture"],
    "Cissé": ["Sissé", "Cisse"], "Diallo": ["Jallo", "Dialo"], "Koné": ["Kone"],
    "Sidibé": ["Sidibe"], "Sangaré": ["Sangare"], "Haïdara": ["Haidara"], "Camara": ["Kamara"],
    "Dembélé": ["Dembele"], "Sissoko": ["Cissoko"], "Doumbia": ["Dumbia"],
}
NOMS_DE_GUERRE = ["Abou Hamza", "Abou Yahya", "Abou Talha", "Abou Moussab", "Abou Oubeida",
                  "Abou Bakr", "Abou Dardar", "Abou Hafs", "Abou Zeid", "Abou Leyla", "Al Ansari",
                  "Al Fulani", "Al Targui", "Abou Assim"]
RWANDAN_LAST = ["Habimana", "Niyonzima", "Uwimana", "Nsengiyumva", "Bizimana", "Hakizimana",
                "Ntawukuriryayo", "Munyaneza", "Nzabonimana", "Kayitare"]
RWANDAN_FIRST = ["Jean", "Emmanuel", "Théoneste", "Augustin", "Joseph", "Callixte", "Aloys"]

TOWNS = {
    "BKO": ["Bamako"], "KAY": ["Kayes", "Bafoulabé", "Diéma", "Kéniéba", "Yélimané"],
    "KLK": ["Koulikoro", "Kati", "Kangaba", "Kolokani", "Banamba"], "SIK": ["Sikasso", "Kadiolo",
    "Kolondiéba", "Yanfolila"], "BGN": ["Bougouni", "Yanfolila", "Kolondiéba"], "DLA":
    ["Dioïla", "Fana", "Massigui"], "KTL": ["Koutiala", "Yorosso", "M'Pessoba"], "KIT": ["Kita",
    "Sagabari", "Toukoto"], "NIO": ["Nioro du Sahel", "Diéma"], "NAR": ["Nara", "Mourdiah"],
    "SEG": ["Ségou", "Niono", "Macina", "Markala", "Barouéli", "Bla"], "SAN": ["San", "Tominian"],
    "MOP": ["Mopti", "Sévaré", "Djenné", "Ténenkou", "Youwarou"], "BDG": ["Bandiagara", "Bankass",
    "Koro"], "DTZ": ["Douentza", "Boni", "Hombori", "Boré"], "TBK": ["Tombouctou", "Goundam",
    "Niafunké", "Léré", "Diré"], "TAO": ["Taoudénit", "Foum-Elba", "Achouratt"], "GAO": ["Gao",
    "Bourem", "Ansongo", "Tessit"], "MEN": ["Ménaka", "Anderamboukane", "Tidermène"], "KID":
    ["Kidal", "Tessalit", "Aguelhok", "Abeïbara"],
}
BAMAKO_QUARTERS = ["Commune I (Banconi)", "Commune I (Djélibougou)", "Commune II (Bagadadji)",
                   "Commune II (Médina Coura)", "Commune III (Bamako-Coura)", "Commune IV (Lafiabougou)",
                   "Commune IV (Sébénikoro)", "Commune V (Kalaban Coura)", "Commune V (Daoudabougou)",
                   "Commune VI (Niamakoro)", "Commune VI (Sogoniko)", "Commune VI (Faladié)"]
# Arrests in the north and centre (terrorism-related), with their region.
CONFLICT_PLACES = [("Gao", "GAO"), ("Ansongo", "GAO"), ("Bourem", "GAO"), ("Tessit", "GAO"),
                   ("Tombouctou", "TBK"), ("Léré", "TBK"), ("Goundam", "TBK"), ("Kidal", "KID"),
                   ("Tessalit", "KID"), ("Ménaka", "MEN"), ("Mopti", "MOP"), ("Sévaré", "MOP"),
                   ("Djenné", "MOP"), ("Ténenkou", "MOP"), ("Boni", "DTZ"), ("Douentza", "DTZ"),
                   ("Hombori", "DTZ"), ("Bandiagara", "BDG"), ("Niono", "SEG"), ("Macina", "SEG"),
                   ("Diafarabé", "MOP"), ("Nampala", "SEG"), ("Boulkessi", "DTZ")]
MILITARY_CAMPS = {"GAO": "Camp militaire Firhoun Ag Alinsar, Gao", "MOP": "Camp militaire de Sévaré",
                  "TBK": "Camp militaire de Tombouctou", "DTZ": "Camp militaire de Douentza",
                  "SEG": "Camp militaire de Ségou", "KID": "Camp militaire de Kidal",
                  "BDG": "Camp militaire de Bandiagara", "MEN": "Camp militaire de Ménaka"}

# --- Offences --------------------------------------------------------------------------------

# offence, legal class, max penalty (months; None = life or death), terrorism-related, weight
ORDINARY = [
    ("Vol simple", LegalClass.DELIT, 60, 22), ("Vol qualifié (vol aggravé)", LegalClass.CRIME, 240, 10),
    ("Vol de bétail", LegalClass.DELIT, 60, 6), ("Coups et blessures volontaires", LegalClass.DELIT, 60, 10),
    ("Escroquerie", LegalClass.DELIT, 60, 7), ("Abus de confiance", LegalClass.DELIT, 60, 5),
    ("Détention et usage de stupéfiants", LegalClass.DELIT, 60, 7),
    ("Trafic de stupéfiants", LegalClass.CRIME, 240, 4), ("Recel", LegalClass.DELIT, 60, 3),
    ("Outrage à agent de la force publique", LegalClass.DELIT, 12, 2),
    ("Menaces", LegalClass.DELIT, 12, 1), ("Destruction de biens d'autrui", LegalClass.DELIT, 24, 2),
    ("Port illégal d'arme", LegalClass.DELIT, 24, 2), ("Faux et usage de faux", LegalClass.DELIT, 60, 2),
    ("Émission de chèque sans provision", LegalClass.DELIT, 60, 2),
    ("Association de malfaiteurs", LegalClass.CRIME, 120, 3), ("Meurtre", LegalClass.CRIME, None, 3),
    ("Assassinat", LegalClass.CRIME, None, 1), ("Viol", LegalClass.CRIME, 240, 3),
    ("Coups mortels", LegalClass.CRIME, 240, 2), ("Détournement de deniers publics", LegalClass.CRIME, 240, 1),
    ("Enlèvement et séquestration", LegalClass.CRIME, 240, 1),
    ("Ivresse publique et tapage nocturne", LegalClass.CONTRAVENTION, 1, 1),
]
WOMEN = [
    ("Vol simple", LegalClass.DELIT, 60, 20), ("Escroquerie", LegalClass.DELIT, 60, 12),
    ("Abus de confiance", LegalClass.DELIT, 60, 10), ("Coups et blessures volontaires", LegalClass.DELIT, 60, 10),
    ("Infanticide", LegalClass.CRIME, 240, 12), ("Avortement", LegalClass.DELIT, 60, 6),
    ("Trafic de stupéfiants", LegalClass.CRIME, 240, 8), ("Complicité de vol", LegalClass.DELIT, 60, 6),
    ("Meurtre", LegalClass.CRIME, None, 4),
]
MINORS = [("Vol simple", LegalClass.DELIT, 60, 40), ("Coups et blessures volontaires", LegalClass.DELIT, 60, 20),
          ("Détention et usage de stupéfiants", LegalClass.DELIT, 60, 15),
          ("Vol qualifié (vol aggravé)", LegalClass.CRIME, 240, 10)]
TERRORISM = [
    ("Association de malfaiteurs en relation avec une entreprise terroriste", LegalClass.CRIME, 240, 40),
    ("Actes de terrorisme", LegalClass.CRIME, None, 20),
    ("Détention illégale d'armes de guerre en relation avec une entreprise terroriste",
     LegalClass.CRIME, 240, 15),
    ("Financement du terrorisme", LegalClass.CRIME, 240, 6),
    ("Apologie du terrorisme", LegalClass.DELIT, 60, 4),
]
REBELLION = ("Atteinte à la sûreté intérieure de l'État", LegalClass.CRIME, 240, False)
GENOCIDE = ("Génocide et crimes contre l'humanité (TPIR)", LegalClass.CRIME, None, False)

JUDGE_NAMES = ["Mamadou Diarra", "Assitan Koné", "Boubacar Sidibé", "Mariam Maïga", "Ousmane Traoré",
               "Kadidia Sangaré", "Ibrahim Touré", "Aïssata Coulibaly", "Lassana Keïta", "Youssouf Diakité",
               "Hawa Dembélé", "Abdoulaye Cissé", "Salif Samaké", "Adama Kanté"]
LAWYERS = ["Me Abdoulaye Konaté", "Me Mariam Diawara", "Me Moussa Traoré", "Me Hamidou Maïga",
           "Me Fatoumata Sylla", "Me Cheick Oumar Sidibé", "Me Bréhima Coulibaly",
           "Me Aminata Keïta", "Me Seydou Doumbia", "Commis d'office — Me Issa Sangaré"]
CABINETS = ["1er cabinet", "2e cabinet", "3e cabinet", "4e cabinet", "5e cabinet"]
FOREIGN_OPERATIONS = [(2013, 2014, "Opération Serval (France)"), (2014, 2022, "Opération Barkhane (France)"),
                      (2020, 2022, "Task Force Takuba")]


def _weighted(items, terrorism=False):
    """(offences, cumulative weights) for rng.choices; an offence is (name, class, max, terrorism)."""
    values = [(*i[:-1], terrorism) for i in items]
    cum, total = [], 0
    for i in items:
        total += i[-1]
        cum.append(total)
    return values, cum


ORDINARY_W, WOMEN_W, MINORS_W = (_weighted(t) for t in (ORDINARY, WOMEN, MINORS))
TERRORISM_W = _weighted(TERRORISM, terrorism=True)
MIXES_W = {k: (list(v), list(itertools.accumulate(v.values()))) for k, v in MIXES.items()}
