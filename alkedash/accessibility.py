"""The accessibility statement's facts, kept in one place for views/accessibility.py and the README.

The statement follows the model of Finland's Act on the Provision of Digital Services (306/2019,
laki digitaalisten palvelujen tarjoamisesta) and the supervisory authority's model statement: which
service it covers, how well it conforms to WCAG 2.1 level AA, what is known not to conform, how the
statement was made and when, how to give feedback, and where to turn if the answer does not satisfy.

When a gap is closed or found: edit KNOWN_GAPS (Finnish, marked with N_), run `make messages`, fill in
the Swedish and English, and move UPDATED to the day of the change.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from alkedash.translation import N_

STANDARD = "WCAG 2.1 AA"

# "full" only when KNOWN_GAPS is empty and the checks below have been run again; "none" would mean
# the service fails most of the criteria. Partial conformance is the honest state while gaps remain.
CONFORMANCE = "partial"
CONFORMANCE_TEXTS = {
    "full": N_("Palvelu täyttää WCAG 2.1 -ohjeiston A- ja AA-tason saavutettavuusvaatimukset."),
    "partial": N_(
        "Palvelu täyttää WCAG 2.1 -ohjeiston A- ja AA-tason saavutettavuusvaatimukset osittain. "
        "Tiedossa olevat puutteet on lueteltu alla."
    ),
    "none": N_("Palvelu ei täytä WCAG 2.1 -ohjeiston A- ja AA-tason saavutettavuusvaatimuksia."),
}

PREPARED = date(2026, 11, 23)  # when the statement was first made
UPDATED = date(2026, 11, 23)  # the last change to CONFORMANCE or KNOWN_GAPS


@dataclass(frozen=True)
class Gap:
    """Content known not to be accessible: what it is and why, in Finnish (translated where shown),
    and the WCAG 2.1 success criteria it fails, if any (an exception under the act has none)."""

    text: str
    criteria: tuple[str, ...] = ()


KNOWN_GAPS: tuple[Gap, ...] = (
    Gap(
        N_(
            "Kaaviot ovat ruudunlukijalle kuvia. Kaavion tiedot ovat sen vieressä taulukkona, jonka saa auki "
            "kaavion alta, ja analyysisivulla myös CSV-tiedostona."
        ),
        ("1.1.1",),
    ),
    Gap(
        N_(
            "Osallistujien itse kirjoittamat vastaukset näytetään sillä kielellä, jolla ne on kirjoitettu. "
            "Niitä ei käännetä, eikä niiden kieltä ole merkitty sivun koodiin, joten ruudunlukija voi lukea ne "
            "väärän kielen ääntämyksellä."
        ),
        ("3.1.2",),
    ),
    Gap(
        N_(
            "Tapahtuman näyttösivu (valkokangas) päivittyy itsestään muutaman sekunnin välein, eikä käyttäjä voi "
            "pysäyttää päivitystä. Näytöllä ei ole tietoa, jota ei olisi myös fasilitaattorin sivulla ja "
            "yhteenvedossa."
        ),
        ("2.2.2",),
    ),
)


@dataclass(frozen=True)
class Supervisor:
    """The authority that supervises accessibility (306/2019, chapter 4), as the statement names it."""

    name: str  # N_-marked Finnish, translated where shown
    websites: dict[str, str]  # by language: the authority's site in that language
    email: str
    phone: str


# NOTE: HE 71/2024 proposed moving this supervision from the Regional State Administrative Agency for
# Southern Finland to the Finnish Transport and Communications Agency Traficom from 1 January 2025.
# Check the current authority and its contact details at saavutettavuusvaatimukset.fi and change
# them here (and in the .po files) if they have moved.
SUPERVISOR = Supervisor(
    name=N_("Etelä-Suomen aluehallintovirasto, saavutettavuuden valvonnan yksikkö"),
    websites={
        "fi": "https://www.saavutettavuusvaatimukset.fi",
        "sv": "https://www.tillganglighetskrav.fi",
        "en": "https://www.webaccessibility.fi",
    },
    email="saavutettavuus@avi.fi",
    phone="0295 016 000",
)
