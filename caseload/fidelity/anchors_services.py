"""Appendix 5 of seed 002 ("Bijlage 5. Modeltrouwschaal IPS"), items 12–25: services
(begeleiding). The anchors for scores 1..5 and, where the anchors count them, the core elements,
transcribed in Dutch as published (only line breaks and hyphenation of the PDF repaired)."""

_DIVERSITY_TYPES = (
    "IPS-trajectbegeleiders helpen cliënten in het verkrijgen van verschillende "
    "typen banen voor {} van de gevallen."
)
_DIVERSITY_EMPLOYERS = (
    "IPS-trajectbegeleiders helpen cliënten in het verkrijgen van banen bij "
    "verschillende werkgevers voor {} van de tijd."
)
_PREFERENCES = (
    "van de contacten met werkgevers of onderwijsinstellingen zijn gebaseerd op "
    "keuzes die in het verlengde liggen van de voorkeuren, de sterke kanten, de symptomen etc. "
    "van een cliënt, in plaats van op de beschikbaarheid binnen de arbeidsmarkt of het onderwijs."
)
_COMMUNITY = "IPS-trajectbegeleiders besteden {} van hun ingeroosterde werktijd in de samenleving"
_FIRST_CONTACT = (
    "Het eerste contact met een werkgever vindt gemiddeld tussen {} plaats na "
    "toetreding tot het programma."
)
_PLAN = (
    "Voordat een cliënt met een nieuwe baan start, biedt een IPS-trajectbegeleider of een "
    "ggz-teamlid de cliënt hulp bij het verkrijgen (via een speciaal daarvoor getraind persoon) "
    "van een begrijpelijk en op de {}persoonlijke situatie afgestemd inkomstenplan."
)
_FOUR_MONTHS = (
    "Dit duurt minstens 4 maanden nadat de cliënten met de baan of opleiding zijn "
    "gestart of wanneer het onderwijsprogramma korter duurt dan 4 maanden, voor de totale duur "
    "van dit programma."
)
_CHECKLIST = (
    "Ook wordt een checklist gebruikt om het aantal contacten bij te houden. Deze "
    "checklist wordt {} beoordeeld door de programmacoördinator."
)
_VARIED_SUPPORT = (
    "Cliënten ontvangen verschillende vormen van ondersteuning bij het werken in "
    "een baan of bij het volgen van een opleiding. De ondersteuning is gebaseerd op de baan of "
    "opleiding, de voorkeuren van de cliënt, eerdere ervaringen, behoeften, etc. "
)

SERVICES = {
    12: ("Steun bij inkomsten bij IPS-A", (
        ("Steun bij het opstellen van een inkomstenplan is niet direct beschikbaar of niet "
         "eenvoudig toegankelijk voor de meeste cliënten van de organisatie."),
        ("IPS-trajectbegeleiders geven cliënten contactinformatie van plaatsen waar ze informatie "
         "over steun bij inkomsten kunnen krijgen."),
        ("De IPS-trajectbegeleider bespreekt met iedere cliënt veranderingen in uitkeringen, "
         "gebaseerd op de werkstatus."),
        _PLAN.format("cliënt's "),
        _PLAN.format("") + " Deze medewerkers ondersteunen ook bij het verkrijgen van toegang tot "
        "steun bij inkomsten indien cliënten beslissingen moeten nemen over wijzigingen in "
        "werkuren en salaris. Er wordt informatie en ondersteuning geboden bij het aangeven van "
        "inkomsten bij officiële instanties, afhankelijk van de uitkeringen die iemand krijgt.",
    ), ()),
    13: ("Openheid", (
        "Geen onderdeel is aanwezig.",
        "Eén onderdeel is aanwezig.",
        "Twee onderdelen zijn aanwezig.",
        "Drie onderdelen zijn aanwezig.",
        "Vier onderdelen zijn aanwezig.",
    ), (
        ("De inzet van een IPS-trajectbegeleider betekent niet dat cliënten verplicht zijn om open "
         "te zijn over psychische klachten naar een werkgever of onderwijsinstelling."),
        ("IPS-trajectbegeleiders bieden cliënten aan om te bespreken wat de voor- en nadelen zijn "
         "van openheid tegenover een werkgever of onderwijsinstelling. Dit gebeurt nog voordat een "
         "cliënt contact heeft met een werkgever of onderwijsinstelling. IPS-trajectbegeleiders "
         "geven aan hoe openheid over de psychische klachten bijdraagt aan het regelen van "
         "aanpassingen en beschrijven hun rol in de communicatie met een werkgever of "
         "onderwijsinstelling."),
        ("IPS-trajectbegeleiders bespreken specifieke informatie die moet worden doorgegeven "
         "(bijv. dat een cliënt in behandeling is, de aanwezigheid van psychische klachten, "
         "problemen met angsten, perioden van werkloosheid of schooluitval etc.) en geeft "
         "voorbeelden van hoe dit soort zaken met een werkgever of onderwijsinstelling besproken "
         "kunnen worden."),
        ("IPS-trajectbegeleiders bespreken openheid meer dan eens (bijv. als een cliënt na twee "
         "maanden nog geen werk heeft gevonden of nog niet is ingestroomd in een opleiding, of als "
         "een cliënt problemen op het werk of de opleiding meldt)."),
    )),
    14: ("Continue inschatting van arbeidsmogelijkheden", (
        ("Vóór plaatsing wordt een evaluatie gedaan waarbij de nadruk ligt op assessment binnen de "
         "instelling, gestandaardiseerde testen, intelligentietesten, proefplaatsing."),
        ("Inschatting van arbeidsmogelijkheden kan plaatsvinden via een stapsgewijze aanpak met "
         "daarin: eerdere werkervaringen (bijv. werkeenheden in een dagbestedingsprogramma), "
         "vrijwilligerswerk, banen die gereserveerd zijn voor iemand met een arbeidsbeperking "
         "(zoals een baan in de beschutte omgeving van de sociale werkvoorziening)."),
        ("IPS-trajectbegeleiders helpen cliënten direct bij het zoeken naar een geschikte baan, "
         "zonder een systematische beoordeling te doen van interesses, ervaringen, sterke kanten, "
         "etc. Ook wordt niet gedaan aan het analyseren van verloren banen (of werk-problemen) om "
         "lessen te leren voor de toekomst."),
        ("De eerste inschatting van arbeidsmogelijkheden vindt plaats in 2-3 sessies, waarin "
         "sterke punten van de cliënt worden verkend. IPS-trajectbegeleiders helpen cliënten om te "
         "leren van iedere werkervaring en werken samen met het GGZ-behandelteam om verloren "
         "banen, werkproblemen en werksuccessen te analyseren. De geleerde lessen worden niet "
         "bijgehouden in het arbeidsprofiel. OF Het arbeidsprofiel wordt niet regelmatig "
         "bijgewerkt."),
        ("De eerste inschatting van arbeidsmogelijkheden vindt plaats in 2-3 sessies en de "
         "informatie wordt bijgehouden op een arbeidsprofiel-formulier met daarin: voorkeuren, "
         "ervaringen, vaardigheden, huidige aanpassingen, sterke kanten van de cliënt, "
         "netwerk-contacten, etc. Het arbeidsprofiel-formulier wordt gebruikt om typen banen en "
         "werkomgevingen te identificeren. Het profiel wordt bijgewerkt met iedere nieuwe "
         "werkervaring. Er wordt oplossingsgericht gewerkt, gebruik makend van waarnemingen uit de "
         "(werk)omgeving en eventuele aanpassingen aan de werkplek in gedachten houdend. "
         "Informatiebronnen zijn: de cliënt, het behandelteam, klinische dossiers, familieleden en "
         "voormalige werkgevers (de laatste twee alleen met toestemming van de cliënt). "
         "IPS-trajectbegeleiders helpen cliënten om te leren van iedere werkervaring en werken "
         "samen met het ggz-behandelteam om verloren banen, werkproblemen en werksuccessen te "
         "analyseren."),
    ), ()),
    15: ("Snel zoeken naar regulier, betaald werk", (
        ("Het eerste persoonlijke contact met een werkgever vindt gemiddeld 271 dagen (9 maanden) "
         "plaats na toetreding tot het programma."),
        _FIRST_CONTACT.format("151 en 270 dagen (5-9 maanden)"),
        _FIRST_CONTACT.format("61 en 150 dagen (2-5 maanden)"),
        _FIRST_CONTACT.format("31 en 60 dagen (1-2 maanden)"),
        ("Het programma houdt werkgeverscontacten bij en het eerste contact met een werkgever "
         "vindt gemiddeld binnen 30 dagen (1 maand) plaats na toetreding tot het programma."),
    ), ()),
    16: ("Het zoeken naar werk of opleiding afstemmen op de cliënt", (
        ("Minder dan 25% van de contacten met werkgevers of onderwijsinstellingen zijn gebaseerd "
         "op keuzes die een weerspiegeling zijn van de voorkeuren, sterke punten, symptomen, etc. "
         "van de cliënt, in plaats van op de beschikbaarheid binnen de arbeidsmarkt of het "
         "onderwijs."),
        "25-49% " + _PREFERENCES,
        "50-74% " + _PREFERENCES,
        "75-89% " + _PREFERENCES,
        ("90-100% van de contacten met werkgevers of onderwijsinstellingen zijn gebaseerd op "
         "keuzes die liggen in het verlengde van de voorkeuren, de sterke kanten, de symptomen "
         "etc. van een cliënt, in plaats van op de beschikbaarheid binnen de arbeidsmarkt of het "
         "onderwijs. De contacten zijn in overeenstemming met het huidige plan. Als cliënten "
         "beperkte werk- of opleidingservaring hebben, geven IPS-trajectbegeleiders informatie "
         "over diverse maatschappelijke mogelijkheden."),
    ), ()),
    17: (("Ontwikkelen van banen en opleidingsplaatsen – Regelmatig contact met werkgevers en "
         "onderwijsinstellingen"), (
             "IPS-trajectbegeleiders hebben minder dan 2 cliënt-specifieke contacten per week.",
             ("IPS-trajectbegeleiders hebben 2 cliënt-specifieke contacten per week OF Contacten "
              "worden niet bijgehouden."),
             "IPS-trajectbegeleiders hebben 4 cliëntspecifieke contacten per week. "
             + _CHECKLIST.format("maandelijks"),
             "IPS-trajectbegeleiders hebben 5 cliëntspecifieke contacten per week. "
             + _CHECKLIST.format("wekelijks"),
             "IPS-trajectbegeleiders hebben 6 of meer cliëntspecifieke contacten per week. "
             + _CHECKLIST.format("wekelijks") + " Als het aantal cliënten dat werk of een "
             "opleiding zoekt minder dan 3 is, dan gaat het om 2 contacten vermenigvuldigd met "
             "het aantal cliënten dat naar werk of een opleiding zoekt.",
         ), ()),
    18: ("Ontwikkelen van banen – Kwaliteit van het contact met werkgevers", (
        ("De IPS-trajectbegeleider heeft contact met een werkgever als een cliënt wordt geholpen "
         "bij het indienen van een sollicitatie. OF De IPS-trajectbegeleider heeft zelden "
         "contacten met werkgevers."),
        ("De IPS-trajectbegeleider neemt contact op met werkgevers om navraag te doen over "
         "openstaande vacatures en deelt de opgedane kennis met cliënten."),
        ("De IPS-trajectbegeleider haakt in op openstaande vacatures door zichzelf bij de "
         "werkgever te introduceren, het IPS-programma te beschrijven en de werkgever te vragen of "
         "hij/zij de cliënt wil uitnodigen voor een gesprek."),
        ("De IPS-trajectbegeleider heeft persoonlijk contact met werkgevers om na te gaan of er "
         "openstaande vacatures zijn, beveelt cliënten aan door hun sterke punten te beschrijven "
         "en vraagt werkgevers om cliënten uit te nodigen voor een gesprek."),
        ("De IPS-trajectbegeleider bouwt een relatie met een werkgever op via meerdere "
         "persoonlijke bezoeken, die zijn bedoeld om de behoeften van de werkgever te leren "
         "kennen, duidelijk te maken wat het IPS-programma te bieden heeft voor de werkgever, te "
         "beschrijven welke sterke punten van een cliënt een goede match zijn voor het werk."),
    ), ()),
    19: ("Diversiteit bij IPS-A", (
        _DIVERSITY_TYPES.format("minder dan 50%"), _DIVERSITY_TYPES.format("50-59%"),
        _DIVERSITY_TYPES.format("60-69%"), _DIVERSITY_TYPES.format("70-84%"),
        _DIVERSITY_TYPES.format("85-100%"),
    ), ()),
    20: ("Verscheidenheid aan werkgevers", (
        _DIVERSITY_EMPLOYERS.format("minder dan 50%"), _DIVERSITY_EMPLOYERS.format("50-59%"),
        _DIVERSITY_EMPLOYERS.format("60-69%"), _DIVERSITY_EMPLOYERS.format("70-84%"),
        _DIVERSITY_EMPLOYERS.format("85-100%"),
    ), ()),
    21: ("Reguliere, betaalde banen", (
        ("IPS-trajectbegeleiders voorzien in reguliere, betaalde banen voor minder dan 64% van de "
         "gevallen. OF Het huidige banenbestand is minder dan 10."),
        ("IPS-trajectbegeleiders voorzien in reguliere, betaalde banen voor ongeveer 65-74% van de "
         "gevallen."),
        ("IPS-trajectbegeleiders voorzien in reguliere, betaalde banen voor ongeveer 75-84% van de "
         "gevallen."),
        ("IPS-trajectbegeleiders voorzien in reguliere, betaalde banen voor ongeveer 85-94% van de "
         "gevallen."),
        ("IPS-trajectbegeleiders voorzien in reguliere, betaalde banen voor minimaal 95% van de "
         "gevallen."),
    ), ()),
    22: ("Gepersonaliseerde volg-ondersteuning", (
        ("De meeste cliënten ontvangen geen ondersteuning nadat ze met een baan of opleiding zijn "
         "begonnen."),
        ("Ongeveer de helft van de cliënten ontvangt een klein aanbod aan ondersteuning, "
         "voornamelijk geboden door de IPS-trajectbegeleider."),
        ("De meeste cliënten ontvangen een klein aanbod aan ondersteuning, voornamelijk geboden "
         "door de IPS-trajectbegeleider."),
        _VARIED_SUPPORT + "De IPS-trajectbegeleider biedt ondersteuning voor de werkgever of "
        "onderwijsinstelling op verzoek van de cliënt.",
        _VARIED_SUPPORT + "De IPS-trajectbegeleider zorgt ook voor ondersteuning van de werkgever "
        "of onderwijsinstelling (bijv. informatie over opleidingen, aanpassingen op het werk of in "
        "de groep) op verzoek van de cliënt. De IPS-trajectbegeleider helpt de cliënt om een baan "
        "of opleiding te vinden die meer de voorkeur van de cliënt heeft en helpt de cliënt met "
        "opleidingen, cursussen en trainingen. De audit-locatie levert voorbeelden van "
        "verschillende vormen van ondersteuning, waaronder hulp gegeven door leden van het "
        "behandelteam.",
    ), ()),
    23: ("Onbeperkte (in de tijd) volg-ondersteuning voor de cliënten", (
        ("De IPS-trajectbegeleider heeft geen persoonlijk contact met de cliënt in de eerste maand "
         "nadat deze met een baan of opleiding is gestart."),
        "De IPS-trajectbegeleider heeft persoonlijk contact met minder dan de helft van de "
        "werkende of studerende cliënten. " + _FOUR_MONTHS,
        "De IPS-trajectbegeleider heeft persoonlijk contact met minstens de helft van de werkende "
        "of studerende cliënten. " + _FOUR_MONTHS,
        ("De IPS-trajectbegeleider heeft gedurende de eerste maand na de start van een baan of "
         "opleiding wekelijks persoonlijk contact met de werkende cliënten. Minimaal gedurende het "
         "eerste jaar – als de cliënt vast werk heeft of de studie goed verloopt en contact met de "
         "IPS-trajectbegeleider wenst - is er minstens gemiddeld eens per maand persoonlijk "
         "contact. Wanneer het onderwijsprogramma korter duurt dan 1 jaar, geldt dit voor de "
         "totale duur van dit programma."),
        ("IPS-trajectbegeleiders hebben persoonlijk contact (met de cliënt) binnen een week "
         "voordat een nieuwe baan of opleiding start, binnen 3 dagen nadat de baan of opleiding is "
         "gestart, wekelijks in de eerste maand en gemiddeld minstens eens per maand (gedurende "
         "een jaar of langer) als de cliënt goed is ingewerkt of de studie goed verloopt en als de "
         "cliënt dit wenst. Wanneer het onderwijsprogramma korter duurt dan 1 jaar, geldt dit voor "
         "de totale duur van dit programma. Als de cliënt eenmaal vast werk heeft of in een "
         "stabiele studie-situatie zit, wordt de ondersteuning overgedragen aan iemand uit het "
         "GGZ-behandelteam. IPS-trajectbegeleiders nemen binnen 3 dagen contact met de cliënt op "
         "als een baan wordt verloren of uitval uit studie dreigt."),
    ), ()),
    24: ("Hulpverlening in de maatschappij", (
        ("IPS-trajectbegeleiders besteden 30% van hun ingeroosterde werktijd of minder in de "
         "samenleving"),
        _COMMUNITY.format("30-39%"),
        _COMMUNITY.format("40-49%"),
        _COMMUNITY.format("50-64%"),
        ("IPS-trajectbegeleiders besteden 65% van hun ingeroosterde werktijd of meer in de "
         "samenleving"),
    ), ()),
    25: ("Assertieve omgang en outreach", (
        "Aanwijzingen dat 2 of minder engagement en outreach strategieën worden ingezet.",
        "Aanwijzingen dat 3 engagement en outreachstrategieën worden ingezet.",
        "Aanwijzingen dat 4 engagement en outreachstrategieën worden ingezet.",
        "Aanwijzingen dat 5 engagement en outreachstrategieën worden ingezet.",
        "Aanwijzingen dat alle 6 de engagement en outreachstrategieën worden ingezet:",
    ), (
        ("Het beëindigen van de dienstenlevering aan cliënten is niet gebaseerd op gemiste "
         "afspraken of vastgestelde tijdslimieten"),
        "Outreachpogingen worden systematisch gedocumenteerd",
        "Engagement en outreachpogingen worden ondernomen door een geïntegreerd team",
        "Er vinden meerdere huisbezoeken plaats",
        ("Bezoeken aan de cliënt worden goed gecoördineerd tussen de IPS-trajectbegeleider en de "
         "ggz-teamleden"),
        "Er wordt contact gelegd met de familie indien dit relevant is",
    )),
}
