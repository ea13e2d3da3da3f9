"""The people the generator draws: identity, other names, family and contacts."""

import datetime as dt

from demo.rows import R
from demo.vocabulary import (
    BAMAKO_QUARTERS,
    ETHNIC,
    FEMALE,
    FIRST_VARIANTS,
    FOREIGN_NATIONALITIES,
    LAST_VARIANTS,
    MALE,
    NOMS_DE_GUERRE,
    RWANDAN_FIRST,
    RWANDAN_LAST,
    TOWNS,
)
from inmates.models import Alias, AliasKind, Inmate, Relation, Relative
from inmates.names import name_fields


class PeopleRows:
    """The identity, aliases and relatives of one person (a part of `Generator`)."""

    def identity(self, rng, facility, sex, minor, ethnic, veo, un):
        nationality = "Malienne"
        if un:
            last, first = rng.choice(RWANDAN_LAST), rng.choice(RWANDAN_FIRST)
            father = rng.choice(RWANDAN_FIRST)
            mother = f"{rng.choice(['Marie', 'Agnès', 'Immaculée', 'Béatrice'])} {rng.choice(RWANDAN_LAST)}"
            nationality, languages, origin = "Rwandaise", "kinyarwanda, français", None
        else:
            surnames, extra_m, extra_f, langs, homes = ETHNIC[ethnic]
            if ethnic in ("tamasheq", "arab"):  # names of their own, with a few shared ones
                males, females = extra_m + ["Moussa", "Oumar", "Ibrahim"], extra_f + ["Fatoumata", "Mariam"]
            else:
                males, females = MALE + extra_m * 3, FEMALE + extra_f * 3
            father = rng.choice(males)
            if ethnic == "tamasheq":
                last = ("Ag " if sex == "M" else "Walet ") + father
            elif ethnic == "arab":
                last = ("Ould " if sex == "M" else "Mint ") + father
            else:
                last = rng.choice(surnames)
            first = rng.choice(males if sex == "M" else females)
            if ethnic == "tamasheq":
                mother_last = f"Walet {rng.choice(males)}"
            elif ethnic == "arab":
                mother_last = f"Mint {rng.choice(males)}"
            else:
                mother_last = rng.choice(surnames)
            mother = f"{rng.choice(females)} {mother_last}"
            home = facility.region.code
            if ethnic == "foreign":
                nationality, origin = rng.choice(FOREIGN_NATIONALITIES), None
            elif home in homes:
                origin = home if rng.random() < 0.6 else rng.choice(homes)
            else:
                origin = rng.choice(homes) if rng.random() < 0.8 else home
            extra = ["français"] if rng.random() < 0.25 else []
            if origin and origin not in ("KID", "GAO", "MEN", "TBK", "TAO") and "bambara" not in langs:
                extra.append("bambara")
            languages = ", ".join(dict.fromkeys(list(langs) + extra))
        if minor:
            age = rng.randint(13, 17)
        else:
            age = min(78, 18 + int(rng.expovariate(1 / (14 if veo else 11))))
        dob = birth_year = None
        r = rng.random()
        if r < 0.6 or minor and r < 0.8:
            born = self.today - dt.timedelta(days=age * 365 + rng.randint(20, 340))
            dob = born
        elif r < 0.95 or minor:
            birth_year = self.today.year - age - (1 if rng.random() < 0.5 else 0)
            if minor:
                birth_year = self.today.year - age
        place = ""
        if origin:
            place = rng.choice(TOWNS.get(origin, [""]))
        aliases = self.aliases(rng, first, last, veo)
        inmate = R(
            id=self._id(Inmate), last_name=last, first_name=first, father_name=father,
            mother_name=mother, sex=sex, date_of_birth=dob, birth_year=birth_year,
            place_of_birth=place, region_of_origin_id=self.regions[origin].pk if origin else None,
            nationality=nationality, languages=languages,
            **name_fields(last, first, *aliases),
        )
        self.rows[Inmate].append(inmate)
        for name, kind in aliases.items():
            self.rows[Alias].append(R(id=self._id(Alias), inmate_id=inmate.id, name=name, kind=kind))
        if rng.random() < 0.65:
            self.relatives(rng, inmate, age, origin)
        return inmate

    def aliases(self, rng, first, last, veo):
        aliases = {}
        if rng.random() < (0.5 if veo else 0.22):
            if first in FIRST_VARIANTS and rng.random() < 0.6:
                aliases[f"{rng.choice(FIRST_VARIANTS[first])} {last}"] = AliasKind.SPELLING
            if last in LAST_VARIANTS:
                aliases[f"{first} {rng.choice(LAST_VARIANTS[last])}"] = AliasKind.SPELLING
            if not aliases:
                aliases[f"{last} {first}"] = AliasKind.SPELLING  # names given the other way round
        if veo and rng.random() < 0.4:
            aliases[rng.choice(NOMS_DE_GUERRE)] = AliasKind.ALIAS
        return aliases

    def relatives(self, rng, inmate, age, origin):
        town = rng.choice(TOWNS.get(origin, ["Bamako"])) if origin else "Bamako"
        address = f"Bamako, {rng.choice(BAMAKO_QUARTERS)}" if town == "Bamako" else town
        phone = "+223 {}{} {} {} {}".format(rng.choice("67"), rng.randint(0, 9), rng.randint(10, 99),
                                            rng.randint(10, 99), rng.randint(10, 99))
        married = age >= 22 and rng.random() < 0.6
        add = self.rows[Relative].append
        if married:
            spouse_first = rng.choice(FEMALE if inmate.sex == "M" else MALE)
            spouse = f"{spouse_first} {rng.choice(ETHNIC['bambara'][0] + ETHNIC['peul'][0])}"
            add(R(id=self._id(Relative), inmate_id=inmate.id, name=spouse,
                         relation=Relation.SPOUSE, is_next_of_kin=True, is_emergency_contact=True,
                         phone=phone, address=address))
            for _ in range(rng.choice((0, 1, 1, 2, 2, 3, 4))):
                child_age = rng.randint(0, max(0, min(age - 20, 17)))
                if inmate.sex == "F" and child_age < 3 and rng.random() < 0.4:
                    where = "Avec sa mère en détention"
                    carer = f"{inmate.first_name} {inmate.last_name.upper()}"
                else:
                    carer = (f"{spouse} ({'mère' if inmate.sex == 'M' else 'père'})" if rng.random() < 0.7
                             else f"{inmate.mother_name} (grand-mère)")
                    where = f"Au domicile familial, {address}"
                add(R(id=self._id(Relative), inmate_id=inmate.id,
                             name=_child_name(rng, inmate, spouse),
                             relation=Relation.CHILD, age_years=child_age, whereabouts=where,
                             caregiver=carer))
        else:
            relation, name = rng.choice([
                (Relation.FATHER, f"{inmate.father_name} {inmate.last_name}"),
                (Relation.MOTHER, inmate.mother_name),
                (Relation.SIBLING, f"{rng.choice(MALE)} {inmate.last_name}"),
                (Relation.UNCLE_AUNT, f"{rng.choice(MALE)} {inmate.last_name}"),
            ])
            add(R(id=self._id(Relative), inmate_id=inmate.id, name=name, relation=relation,
                         is_next_of_kin=True, is_emergency_contact=rng.random() < 0.8,
                         phone=phone if rng.random() < 0.85 else "", address=address))



def _child_name(rng, parent, spouse):
    """Children carry their father's name (Ag / Ould + his first name in Tamasheq and Arab use)."""
    boy = rng.random() < 0.5
    first = rng.choice(MALE if boy else FEMALE)
    if parent.sex == "F":
        return f"{first} {spouse.rsplit(' ', 1)[1]}"
    for men, women in (("Ag ", "Walet "), ("Ould ", "Mint ")):
        if parent.last_name.startswith(men):
            return f"{first} {men if boy else women}{parent.first_name}"
    return f"{first} {parent.last_name}"
