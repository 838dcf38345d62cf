"""The eight wellbeing themes of the region's offering and the PTV service classes that feed them.

This is the seed data; after the first migration the themes live in the database and
administrators edit them (including the class codes) in the Django admin.
"""

THEMES = [
    {
        "slug": "yhteisollisyys",
        "name_fi": "Yhteisöllisyys, vaikuttaminen ja sosiaaliset suhteet",
        "name_sv": "Gemenskap, påverkan och sociala relationer",
        "name_en": "Community, participation and social relationships",
        "description_fi": "Kohtaamispaikat, vertais- ja vapaaehtoistoiminta, järjestöt ja vaikuttaminen.",
        "description_sv": "Mötesplatser, kamratstöd och frivilligverksamhet, föreningar och påverkan.",
        "description_en": "Meeting places, peer and volunteer activities, associations and having a say.",
        "service_class_codes": ["P4.12", "P8.3", "P8.4", "P28.1", "P28.6"],
    },
    {
        "slug": "luonto",
        "name_fi": "Luonto ja lähiluonnossa liikkuminen",
        "name_sv": "Natur och att röra sig i närnaturen",
        "name_en": "Nature and getting out into nature nearby",
        "description_fi": "Luontopolut, retkeilyalueet, laavut, kalastus ja luontoretket.",
        "description_sv": "Naturstigar, friluftsområden, vindskydd, fiske och naturutflykter.",
        "description_en": "Nature trails, hiking areas, shelters, fishing and nature trips.",
        "service_class_codes": ["P27.2", "P27.5"],
    },
    {
        "slug": "liikunta",
        "name_fi": "Liikunta",
        "name_sv": "Motion",
        "name_en": "Physical activity",
        "description_fi": "Liikuntaryhmät, uimahallit, kuntosalit, ohjattu ja soveltava liikunta.",
        "description_sv": "Motionsgrupper, simhallar, gym, handledd och anpassad motion.",
        "description_en": "Exercise groups, swimming halls, gyms, guided and adapted exercise.",
        "service_class_codes": ["P27", "P27.1"],
    },
    {
        "slug": "kulttuuri",
        "name_fi": "Luovuus, taide- ja kulttuuriharrastaminen",
        "name_sv": "Kreativitet, konst och kulturhobbyer",
        "name_en": "Creativity, arts and cultural hobbies",
        "description_fi": "Kirjastot, museot, kansalaisopistot, kuorot, käsityö ja taide.",
        "description_sv": "Bibliotek, museer, medborgarinstitut, körer, hantverk och konst.",
        "description_en": "Libraries, museums, adult education centres, choirs, crafts and art.",
        "service_class_codes": ["P25.1", "P25.2", "P25.3", "P25.5", "P25.7", "P28.2"],
    },
    {
        "slug": "toimeentulo",
        "name_fi": "Toimeentulo, työ, oppiminen ja asuminen",
        "name_sv": "Utkomst, arbete, lärande och boende",
        "name_en": "Livelihood, work, learning and housing",
        "description_fi": "Talous- ja velkaneuvonta, työllisyyden tuki, opiskelu ja kotoutuminen.",
        "description_sv": "Ekonomi- och skuldrådgivning, stöd till sysselsättning, studier och integration.",
        "description_en": "Money and debt advice, employment support, studying and integration.",
        "service_class_codes": ["P4.11", "P6.10", "P10.4", "P10.8", "P15.1", "P28.5", "P1.4"],
    },
    {
        "slug": "ohjaus",
        "name_fi": "Sosiaali- ja terveydenhuollon ohjaus, neuvonta ja tukipalvelut",
        "name_sv": "Handledning, rådgivning och stödtjänster inom social- och hälsovården",
        "name_en": "Social and health care guidance, advice and support services",
        "description_fi": "Sosiaali- ja terveysneuvonta, hyvinvointikioskit ja matalan kynnyksen tuki.",
        "description_sv": "Social- och hälsorådgivning, välfärdskiosker och lågtröskelstöd.",
        "description_en": "Social and health advice, wellbeing kiosks and low-threshold support.",
        # P4.2 and P5.14 mix counselling and carers' support with heavy care: ingest.ptv.scope decides.
        "service_class_codes": ["P4.13", "P4.14", "P5.11", "P5.17", "P5.18", "P3.7", "P4.2", "P5.14"],
    },
    {
        "slug": "ravitsemus",
        "name_fi": "Ravitsemus ja uni",
        "name_sv": "Näring och sömn",
        "name_en": "Nutrition and sleep",
        "description_fi": "Ravitsemusneuvonta, ruokakurssit, ruoka-apu ja unen tuki.",
        "description_sv": "Näringsrådgivning, matkurser, mathjälp och stöd för sömnen.",
        "description_en": "Nutrition advice, cooking courses, food aid and help with sleep.",
        "service_class_codes": ["P5.20"],
    },
    {
        "slug": "mieli",
        "name_fi": "Mielen hyvinvointi ja päihteettömyys",
        "name_sv": "Psykiskt välbefinnande och ett liv utan rusmedel",
        "name_en": "Mental wellbeing and a life free of substance abuse",
        "description_fi": "Keskusteluapu, kriisituki, vertaisryhmät sekä päihde- ja peliongelmien tuki.",
        "description_sv": "Samtalsstöd, krisstöd, kamratgrupper samt stöd vid rusmedels- och spelproblem.",
        "description_en": "Someone to talk to, crisis support, peer groups and help with substances and gambling.",
        "service_class_codes": ["P5.7", "P5.16"],
    },
]

# Theme descriptions in plain Finnish (selkokieli), written by a person for readers who ask
# for it; the migration that adds the field fills these in (administrators edit them after).
THEME_SELKO = {
    "yhteisollisyys": "Paikkoja, joissa voit tavata muita ihmisiä. "
    "Voit myös auttaa muita vapaaehtoisena tai kertoa mielipiteesi.",
    "luonto": "Luontopolkuja ja paikkoja, joissa voit ulkoilla ja retkeillä. Luonnossa liikkuminen tekee hyvää.",
    "liikunta": "Paikkoja ja ryhmiä, joissa voit liikkua. Esimerkiksi uimahalleja, kuntosaleja ja liikuntaryhmiä.",
    "kulttuuri": "Kirjastoja, museoita ja kursseja. Voit esimerkiksi laulaa kuorossa, tehdä käsitöitä tai maalata.",
    "toimeentulo": "Apua raha-asioihin, työn hakemiseen, opiskeluun ja asumiseen.",
    "ohjaus": "Neuvontaa sosiaali- ja terveysasioissa. Voit kysyä apua, vaikka et tietäisi, mistä aloittaa.",
    "ravitsemus": "Apua syömiseen ja nukkumiseen. Esimerkiksi ruokakursseja, ruoka-apua ja tukea, jos uni ei tule.",
    "mieli": "Voit puhua jonkun kanssa, kun elämä tuntuu vaikealta. "
    "Saat apua myös, jos alkoholi, huumeet tai rahapelit aiheuttavat ongelmia.",
}
