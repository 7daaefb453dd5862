"""Appendix 5 of seed 002 ("Bijlage 5. Modeltrouwschaal IPS"), items 1–11: staffing
(bezetting) and organisation (organisatie). The anchors for scores 1..5 and, where the anchors
count them, the core elements, transcribed in Dutch as published (only line breaks and
hyphenation of the PDF extraction repaired)."""

_EXTERNAL = "IPS-trajectbegeleiders en externe arbeids- en/of opleidingsdeskundigen "

STAFFING_AND_ORGANISATION = {
    1: ("Aantal cliënten", (
        "81 of meer cliënten per IPS-trajectbegeleider.",
        "61 - 80 cliënten per IPS-trajectbegeleider.",
        "41 - 60 cliënten per IPS-trajectbegeleider.",
        "26 - 40 cliënten per IPS-trajectbegeleider.",
        "25 cliënten of minder per IPS-trajectbegeleider.",
    ), ()),
    2: ("Begeleiding door IPS-trajectbegeleiders", (
        ("IPS-trajectbegeleiders besteden minder dan 60% van de tijd aan werk- en/of "
         "opleidingsgerichte ondersteuning."),
        ("IPS-trajectbegeleiders besteden 60 - 74% van de tijd aan werk- en/of opleidingsgerichte "
         "ondersteuning."),
        ("IPS-trajectbegeleiders besteden 75 - 89% van de tijd aan werk- en/of opleidingsgerichte "
         "ondersteuning."),
        ("IPS-trajectbegeleiders besteden 90 - 95% van de tijd aan werk- en/of opleidingsgerichte "
         "ondersteuning."),
        ("IPS-trajectbegeleiders geven 96% of meer van de tijd werk- en/of opleidingsgerichte "
         "ondersteuning."),
    ), ()),
    3: ("Algemene deskundigheid", (
        ("IPS-trajectbegeleiders verwijzen cliënten alleen door naar ondersteuning bij "
         "re-integratiebureau's of andere arbeidsrehabilitatieprogramma’s en/of naar andere "
         "programma’s voor het volgen van een opleiding."),
        ("IPS-trajectbegeleiders behouden de cliënten in hun caseload, maar verwijzen hen door "
         "naar andere programma’s voor arbeid en/of het volgen van een opleiding."),
        ("IPS-trajectbegeleiders voeren één tot vier fasen van de ondersteuning uit (zoals intake, "
         "engagement, assessment, het zoeken of verkrijgen van een baan of opleiding, coaching en "
         "daaropvolgende ondersteuning)."),
        ("IPS-trajectbegeleiders voeren vijf fasen van de ondersteuning uit, maar niet de gehele "
         "ondersteuning."),
        ("IPS-trajectbegeleiders voeren alle zes de fasen van de ondersteuning uit (intake, "
         "engagement, assessment, het zoeken of verkrijgen van een baan of opleiding, coaching en "
         "daaropvolgende ondersteuning)."),
    ), ()),
    4: ("Integratie met het ggz-behandelteam", (
        ("IPS-trajectbegeleiders maken deel uit van een programma naar werk of opleiding dat los "
         "staat van de ggz-behandeling."),
        ("IPS-trajectbegeleiders zijn aan drie of meer ggz-teams verbonden. OF Cliënten ontvangen "
         "begeleiding van individuele ggz-medewerkers die niet in teamverband werken. OF "
         "IPS-trajectbegeleiders zijn verbonden aan één of twee teams, maar minder dan 50% van de "
         "caseload komt uit deze ggz-teams."),
        ("IPS-trajectbegeleiders zijn verbonden aan één of twee ggz-teams. In ieder geval 50 – 74% "
         "van de caseload is afkomstig uit deze ggz-teams."),
        ("IPS-trajectbegeleiders zijn verbonden aan één of twee ggz-teams. In ieder geval 75 – 89% "
         "van de caseload is afkomstig uit deze ggz-teams."),
        ("IPS-trajectbegeleiders zijn verbonden aan één of twee ggz-teams. 90 – 100% van de "
         "caseload is afkomstig uit deze ggz-teams."),
    ), ()),
    5: ("Integratie met GGZ-behandeling door regelmatig contact tussen teamleden", (
        "Geen of één onderdeel is aanwezig.",
        "Twee onderdelen zijn aanwezig.",
        "Drie onderdelen zijn aanwezig.",
        "Vier onderdelen zijn aanwezig.",
        "Vijf onderdelen zijn aanwezig.",
    ), (
        "Een IPS-trajectbegeleider woont wekelijks behandelbesprekingen van een ggz-team bij.",
        "Een IPS-trajectbegeleider participeert actief in teambesprekingen en overleggen.",
        ("Documentatie met betrekking tot trajectbegeleiding (bijv. assessment/profiel, "
         "begeleidingsplan, notities over de voortgang) zijn geïntegreerd in het behandelplan van "
         "het GGZ-team."),
        ("De werkplek van een IPS-trajectbegeleider bevindt zich in de nabijheid van (of wordt "
         "gedeeld met) de GGZ-teamleden."),
        ("Een IPS-trajectbegeleider helpt het GGZ-team na te denken over werk of opleiding voor "
         "mensen waarvoor nog geen traject loopt."),
    )),
    6: (("Samenwerking tussen IPS-trajectbegeleiders en externe arbeids- en/of "
         "opleidingsdeskundigen"), (
        (_EXTERNAL + "hebben minder dan eens per kwartaal cliënt-gerelateerde contacten "
         "(telefonisch, e-mail, persoonlijk) waarin gedeelde cliënten en mogelijke "
         "verwijsplekken worden besproken. OF " + _EXTERNAL + "communiceren niet met elkaar."),
        (_EXTERNAL + "hebben minstens eens per kwartaal cliënt-gerelateerde contacten "
         "(telefonisch, e-mail, persoonlijk) waarin gedeelde cliënten en mogelijke "
         "verwijsplekken worden besproken."),
        (_EXTERNAL + "hebben eens per maand cliënt-gerelateerde contacten (telefonisch, e-mail, "
         "persoonlijk) waarin gedeelde cliënten en mogelijke verwijsplekken worden besproken."),
        (_EXTERNAL + "hebben minstens eens per kwartaal vaste face-to-face overleggen. OF "
         + _EXTERNAL + "hebben wekelijks cliënt-gerelateerd contact (telefonisch, e-mail, "
         "persoonlijk), waarin gedeelde cliënten en mogelijke verwijsplekken worden besproken."),
        (_EXTERNAL + "hebben minstens eens per maand een vast face-to-face overleg. Bovendien is "
         "er wekelijks cliënt-gerelateerd contact om gedeelde cliënten en mogelijke "
         "verwijsplekken te bespreken."),
    ), ()),
    7: ("Een op arbeid en opleiding gerichte eenheid", (
        ("IPS-trajectbegeleiders maken geen deel uit van een op arbeid en opleiding gerichte "
         "eenheid."),
        ("IPS-trajectbegeleiders hebben dezelfde coördinator, maar komen niet bijeen als groep. Ze "
         "nemen geen cliënten van elkaar over."),
        ("IPS-trajectbegeleiders hebben dezelfde coördinator en bediscussiëren cliënten met elkaar "
         "op wekelijkse basis. Ze nemen cliënten van elkaar over als dat nodig is. OF Als een "
         "IPS-programma in een landelijk gebied is uitgezet waar de IPS-trajectbegeleiders "
         "geografisch van elkaar zijn gescheiden met één IPS-trajectbegeleider per locatie: de "
         "IPS-trajectbegeleiders en de coördinator hebben 2-3 keer per maand een telefonisch of "
         "VC-overleg."),
        ("Ten minste 2 IPS-trajectbegeleiders en een coördinator vormen een op arbeid en opleiding "
         "gerichte eenheid met 2-3 geplande supervisie-bijeenkomsten per maand. In deze "
         "bijeenkomsten staan cliëntzaken centraal, worden strategieën geïdentificeerd en vindt "
         "uitwisseling plaats van potentiële werkplekken voor cliënten. Cliënten worden van elkaar "
         "overgenomen als dat nodig is. OF Als een IPS-programma in een landelijk gebied is "
         "uitgezet waar de IPS-trajectbegeleiders geografisch van elkaar gescheiden zijn met één "
         "IPS-trajectbegeleider per locatie: de IPS-trajectbegeleiders en de coördinator hebben "
         "2-3 keer per maand face-to-face, VC of telefonisch overleg. ggz-teamleden zijn "
         "beschikbaar om IPS-trajectbegeleiders te ondersteunen bij activiteiten zoals iemand naar "
         "werk of opleiding brengen of het zoeken naar vacatures en geschikte opleidingen."),
        ("Ten minste 2 IPS-trajectbegeleiders en een coördinator vormen een op arbeid en opleiding "
         "gerichte eenheid met wekelijkse supervisie-bijeenkomsten. In deze bijeenkomsten staan "
         "cliëntzaken centraal, worden strategieën geïdentificeerd en vindt uitwisseling plaats "
         "over potentiële werk- of opleidingsplekken voor cliënten. Cliënten worden van elkaar "
         "overgenomen als dat nodig is."),
    ), ()),
    8: ("Rol van de team coördinator", (
        "Geen of één rol is aanwezig.",
        "Twee rollen zijn aanwezig.",
        "Drie rollen zijn aanwezig.",
        "Vier rollen zijn aanwezig.",
        "Vijf rollen zijn aanwezig.",
    ), (
        ("Eén fulltime equivalent (FTE) coördinator is verantwoordelijk voor hooguit 10 "
         "IPS-werkers. De coördinator heeft geen andere leidinggevende verantwoordelijkheden "
         "(coördinatoren van een team kleiner dan 10 mensen mogen een vooraf vastgesteld "
         "percentage van hun werktijd aan andere leidinggevende activiteiten besteden. "
         "Bijvoorbeeld: een coördinator die verantwoordelijk is voor een team van 4 mensen, kan "
         "voor de helft van het aantal contracturen zijn verbonden aan het IPS-team.)"),
        ("De coördinator voert wekelijks supervisie uit, bedoeld om de situatie van de cliënten te "
         "beoordelen, om nieuwe strategieën te identificeren en om ideeën te bedenken om cliënten "
         "te helpen met werk en/of opleiding."),
        ("De coördinator communiceert met de teamleiders van ggz-teams om er zorg voor te dragen "
         "dat diensten worden geïntegreerd, problemen binnen het IPS-programma worden opgelost "
         "(zoals het verwijzingsproces of het overdragen van het cliënt-volgen aan de ggz-werkers) "
         "en om voorvechter te zijn in het uitdragen van de waarde van werk en opleiding."),
        ("De coördinator loopt maandelijks mee met nieuwe IPS-trajectbegeleiders of met "
         "medewerkers die moeite hebben met het opbouwen van een bestand met werk- en/of "
         "opleidingsplekken. Doel is het verbeteren van vaardigheden van de medewerkers door te "
         "observeren, model te staan en door feedback te geven op de omgang met werkgevers en "
         "onderwijsinstellingen (t.b.v. het opbouwen van een bestand met werk- en/of "
         "opleidingsplekken)."),
        ("De coördinator bespreekt minimaal eens per kwartaal actuele cliëntuitkomsten met "
         "IPS-trajectbegeleiders en stelt doelen om de prestaties van het programma te "
         "verbeteren."),
    )),
    9: ("Geen exclusiecriteria", (
        ("Er is een formeel beleid op grond waarvan cliënten door werk- en opleidingwerkers, "
         "casemanager of andere werkers worden uitgesloten als gevolg van onvoldoende werk- of "
         "studievaardigheid (readiness) (bijv. middelengebruik, geschiedenis van gewelddadig "
         "gedrag, laag functioneringsniveau, etc.)."),
        ("De meeste cliënten zijn niet in staat gebruik te maken van IPS-diensten, omdat de "
         "inschatting wordt gemaakt dat ze onvoldoende werk- of studievaardig (readiness) zijn "
         "(bijv. middelengebruik, geschiedenis van gewelddadig gedrag, laag functioneringsniveau, "
         "etc.)."),
        ("Sommige cliënten zijn niet in staat gebruik te maken van IPS-diensten, omdat de "
         "inschatting wordt gemaakt dat ze onvoldoende werk- of studievaardig (readiness) zijn "
         "(bijv. middelengebruik, geschiedenis van gewelddadig gedrag, laag functioneringsniveau, "
         "etc.)."),
        ("Geen aanwijzingen voor uitsluiten; noch formeel noch informeel. Doorverwijzingen zijn "
         "niet afkomstig van een breed scala aan bronnen. IPS-trajectbegeleiders bieden aan om te "
         "helpen bij het vinden van nieuw werk als een baan is beëindigd of een andere opleiding, "
         "ongeacht de reden van de beëindiging of het aantal pogingen dat iemand heeft gedaan."),
        ("Alle cliënten die geïnteresseerd zijn in werk of opleiding hebben toegang tot "
         "IPS-diensten. Ggz-werkers moedigen cliënten aan om werk of opleiding te overwegen en "
         "doorverwijzingen zijn afkomstig van veel verschillende bronnen. IPS-trajectbegeleiders "
         "bieden aan om te helpen bij het vinden van nieuw werk als een baan is beëindigd of een "
         "andere opleiding, ongeacht de reden van de beëindiging of het aantal pogingen dat iemand "
         "heeft gedaan."),
    ), ()),
    10: ("Focus op regulier, betaald werk en/of deelname aan opleidingen", (
        "Geen of één strategie wordt ingezet.",
        "Twee strategieën worden ingezet.",
        "Drie strategieën worden ingezet.",
        "Vier strategieën worden ingezet.",
        "Vijf strategieën worden ingezet.",
    ), (
        "De intake bevat vragen over interesse(s) in werk en opleiding.",
        ("In alle jaarlijkse (of halfjaarlijkse) assessment of behandelplan besprekingen worden "
         "vragen over werk en opleiding meegenomen."),
        ("Binnen de organisatie (bijv. in wachtruimtes en lobby's) zijn verschillende "
         "promotie-items (bijv. brochures, informatieborden, posters) te zien over IPS voor werk "
         "en opleiding."),
        ("Er is minstens twee keer per jaar ondersteuning voor manieren waarop cliënten ervaringen "
         "kunnen uitwisselen met andere cliënten en medewerkers (bijv. lotgenotengroepen, "
         "artikelen in de nieuwsbrief, het uitnodigen van sprekers tijdens behandelsessies, "
         "etc.)."),
        ("Er wordt minimaal eens per kwartaal gemeten in welke mate wordt toegeleid naar regulier, "
         "betaald werk en/of deelname aan opleidingen en met welk resultaat. De organisatie deelt "
         "deze informatie met de organisatieleiding en de IPS-medewerkers."),
    )),
    11: ("IPS-ondersteuning vanuit de organisatieleiding", (
        "Eén onderdeel is aanwezig.",
        "Twee onderdelen zijn aanwezig.",
        "Drie onderdelen zijn aanwezig.",
        "Vier onderdelen zijn aanwezig.",
        "Vijf onderdelen zijn aanwezig.",
    ), (
        ("De raad van bestuur en het hoofd behandelzaken laten zien dat ze kennis hebben van de "
         "principes van IPS."),
        ("Een expliciete beoordeling van het IPS-programma maakt onderdeel uit van het "
         "kwaliteitsproces. Deze review wordt minimaal eens in de 6 maanden uitgevoerd aan de hand "
         "van fidelity-metingen. Zodra een hoge mate van modelgetrouwheid is bereikt (een "
         "totaalscore \"goed\" of \"voorbeeldig\") kan beoordeling minstens eens per jaar "
         "plaatsvinden."),
        ("Minstens één van de leden van de organisatieleiding neemt actief deel aan bijeenkomsten "
         "van de IPS-stuurgroep. Deze stuurgroep wordt minstens eens in de 6 maanden gehouden voor "
         "programma's met een hoge mate van modelgetrouwheid en minstens eens per kwartaal voor "
         "programma’s die dit nog niet hebben bereikt. Een stuurgroep wordt gedefinieerd als een "
         "gevarieerde groep van belanghebbenden die belast is met het beoordelen van de "
         "modelgetrouwheid, implementatie van het IPS-programma en de uitvoer van het "
         "IPS-programma (de levering van diensten). De stuurgroep schrijft een actieplan dat "
         "gericht is op het realiseren en vasthouden van diensten met een hoge mate van "
         "modelgetrouwheid."),
        ("De raad van bestuur maakt duidelijk op welke wijze IPS-diensten de missie van de "
         "organisatie ondersteunen en stelt heldere en specifieke doelstellingen voor IPS. Dit "
         "wordt gedurende de eerste 6 maanden van het IPS-programma gecommuniceerd aan alle "
         "managers binnen de organisatie (bijv. via een project kick-off, MT-overleg, "
         "nieuwsbrieven, etc.). Na de eerste zes maanden vindt de communicatie in ieder geval eens "
         "per jaar plaats."),
        ("IPS-programmaleider deelt informatie over de struikelblokken en constructieve factoren "
         "van Evidence Based Praktijken (EBP) met het managementteam (inclusief de raad van "
         "bestuur). Dit gebeurt minstens twee keer per jaar. Het managementteam helpt de "
         "programmaleider om oplossingen voor de struikelblokken te bedenken en te implementeren."),
    )),
}
