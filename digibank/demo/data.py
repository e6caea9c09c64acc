"""Fixed material for the demo networks. Nothing here is random; services.py draws from it
with a seeded generator, so every run produces the same residents.

The partner organisations are the real partners named in the 2022 presentation of
"Iedereen Digitaal @ Leuven" (seed/000_6650b4ec17b776cc.txt). Their contact people,
the users and all residents are fictional; e-mail addresses use reserved example domains.
"""

from digibank.networks.roles import Role
from digibank.organisations.models import OrganisationType as T

DEMO_PASSWORD = "digibank-demo"

LEUVEN = {
    "slug": "leuven-demo",
    "name": "Iedereen Digitaal @ Leuven (demo)",
    "city": "Leuven",
    "contact_email": "iedereendigitaal@leuven.example",
    # Fictitious (the 016 zone's 00 00 00 block): the public site, flyers and letters show it.
    "contact_phone": "016 00 00 00",
}
DEMOSTAD = {
    "slug": "demostad-demo",
    "name": "Digibank Demostad (demo)",
    "city": "Demostad",
    "contact_email": "digibank@demostad.example",
    "contact_phone": "09 000 00 00",
}

# Leuven's five districts (deelgemeenten) and their postcodes.
LEUVEN_DISTRICTS = [
    ("Leuven", "3000"),
    ("Heverlee", "3001"),
    ("Kessel-Lo", "3010"),
    ("Wilsele", "3012"),
    ("Wijgmaal", "3018"),
]
# Rough share of the residents per district (larger districts, more residents).
LEUVEN_DISTRICT_WEIGHTS = {"Leuven": 30, "Heverlee": 20, "Kessel-Lo": 30, "Wilsele": 13, "Wijgmaal": 7}
# A few real street names per district for residents who want letters (house numbers are made up).
LEUVEN_STREETS = {
    "Leuven": [
        "Tiensestraat",
        "Brusselsestraat",
        "Diestsestraat",
        "Vital Decosterstraat",
        "Blijde-Inkomststraat",
    ],
    "Heverlee": ["Naamsesteenweg", "Kardinaal Mercierlaan", "Waversebaan", "Celestijnenlaan"],
    "Kessel-Lo": ["Diestsesteenweg", "Holsbeeksesteenweg", "Tervuurse Vest", "Martelarenlaan", "Kesselberg"],
    "Wilsele": ["Aarschotsesteenweg", "Wilselsesteenweg", "Kolonel Begaultlaan"],
    "Wijgmaal": ["Wakkerzeelsestraat", "Rijnrode", "Wijgmaalsesteenweg"],
}

# (name, type, contact people as (name, function)). Names as in the presentation; the
# library is the one the "digipunten" working group names ("Bibliotheek").
LEUVEN_ORGANISATIONS = [
    ("Stad Leuven", T.CITY_SERVICE, [("Hanne Verstraeten", "Dienst Samenleving")]),
    (
        "OCMW Leuven",
        T.SOCIAL_WELFARE,
        [("Lies Vandamme", "Maatschappelijk werker"), ("Tom Geerts", "Sociaal huis")],
    ),
    ("Home-Start Domo Leuven", T.NEIGHBOURHOOD, [("Greet Van Hout", "Coördinator vrijwilligers")]),
    ("Huis van het Kind", T.CITY_SERVICE, [("Sarah Bogaerts", "Gezinsondersteuning")]),
    ("De Ruimtevaart", T.NEIGHBOURHOOD, [("Joris De Wit", "Medewerker")]),
    ("LDC Rozenberg", T.SOCIAL_WELFARE, [("Marleen Cuppens", "Centrumleider")]),
    ("LINC", T.EDUCATION, [("Nele Hendrickx", "Educatief medewerker")]),
    ("Link in de Kabel", T.OTHER, [("Bram Thys", "Projectmedewerker")]),
    ("Groep INTRO", T.OTHER, [("Saïda Amrani", "Trajectbegeleider")]),
    ("Ligo Oost-Brabant", T.EDUCATION, [("Katrien Lemmens", "Coördinator basiseducatie")]),
    ("VDAB Vlaams-Brabant", T.EMPLOYMENT, [("Dries Stroobants", "Digitale coach")]),
    ("Saamo", T.NEIGHBOURHOOD, [("Evelien Daems", "Opbouwwerker")]),
    ("LDC Wijnveld", T.SOCIAL_WELFARE, [("Rudi Vanhees", "Centrumleider")]),
    ("Seniorama", T.NEIGHBOURHOOD, [("Mia Debruyne", "Vrijwilligerscoördinator")]),
    ("Zorg Leuven", T.SOCIAL_WELFARE, [("Wim Schoofs", "Stafmedewerker welzijn")]),
    (
        "Buurtwerk 't Lampeke",
        T.NEIGHBOURHOOD,
        [("Fien Vanderlinden", "Buurtwerker"), ("Jamal Ouali", "Buurtwerker")],
    ),
    ("CAW Oost-Brabant", T.SOCIAL_WELFARE, [("Ilse Moens", "Onthaalmedewerker")]),
    ("Telenet", T.COMPANY, [("Kristof Segers", "Maatschappelijk verantwoord ondernemen")]),
    ("CVO Volt", T.EDUCATION, [("Veerle Jaspers", "Trajectbegeleider ICT")]),
    ("CVO CLT Leuven", T.EDUCATION, [("Laurent Fievez", "Coördinator taalcursussen")]),
    ("ABW Leuven", T.UNION, [("Gert Wuyts", "Vormingsverantwoordelijke")]),
    ("ACV Leuven", T.UNION, [("Ann Coenen", "Vormingsverantwoordelijke")]),
    ("Qrios", T.EDUCATION, [("Stijn Dewaele", "Educatief medewerker")]),
    ("UCLL", T.EDUCATION, [("Eva Pauwels", "Docent sociaal werk")]),
    ("Bibliotheek Leuven", T.LIBRARY, [("Pieterjan Smolders", "Digipuntverantwoordelijke")]),
]

# Which partners register residents themselves, and how often (relative weights).
LEUVEN_REGISTERING_PARTNERS = {
    "OCMW Leuven": 25,
    "Buurtwerk 't Lampeke": 20,
    "CAW Oost-Brabant": 10,
    "LDC Wijnveld": 8,
    "LDC Rozenberg": 8,
    "Saamo": 8,
    "Home-Start Domo Leuven": 6,
    "Huis van het Kind": 6,
    "De Ruimtevaart": 5,
    "Link in de Kabel": 4,
}

DEMOSTAD_DISTRICTS = [("Centrum", "9999"), ("Noord", "9998")]
DEMOSTAD_DISTRICT_WEIGHTS = {"Centrum": 60, "Noord": 40}
DEMOSTAD_STREETS = {"Centrum": ["Marktplein", "Stationsstraat"], "Noord": ["Noorderlaan", "Molenweg"]}
DEMOSTAD_ORGANISATIONS = [
    ("Stad Demostad", T.CITY_SERVICE, [("Karel Demol", "Coördinator digitale inclusie")]),
    ("OCMW Demostad", T.SOCIAL_WELFARE, [("Sofie Demeyer", "Maatschappelijk werker")]),
    ("Bibliotheek Demostad", T.LIBRARY, [("Ruben Deprez", "Bibliothecaris")]),
    ("Buurtwerk De Brug", T.NEIGHBOURHOOD, [("Leen Devos", "Buurtwerker")]),
]
DEMOSTAD_REGISTERING_PARTNERS = {"OCMW Demostad": 60, "Buurtwerk De Brug": 40}

# One user per role: (username, first name, last name, role, organisation name or None).
LEUVEN_USERS = [
    ("coordinator", "Lotte", "Janssens", Role.COORDINATOR, None),
    ("servicedesk", "Sam", "Wouters", Role.SERVICE_DESK, None),
    ("partner.ocmw", "Yasmina", "El Idrissi", Role.PARTNER_WORKER, "OCMW Leuven"),
    ("partner.buurtwerk", "Koen", "Maes", Role.PARTNER_WORKER, "Buurtwerk 't Lampeke"),
    ("digipunt", "Ines", "Claes", Role.DIGIPUNT_STAFF, "Bibliotheek Leuven"),
    ("vorming", "Pieter", "Goossens", Role.COURSE_PROVIDER, "CVO Volt"),
    ("vrijwilliger", "Marc", "Vermeulen", Role.VOLUNTEER, None),
    ("stuurgroep", "An", "Willems", Role.STEERING_VIEWER, None),
]
DEMOSTAD_USERS = [
    ("coordinator.demostad", "Jonas", "De Smet", Role.COORDINATOR, None),
]
# The Leuven coordinator also coordinates Demostad, to show switching between networks.
SHARED_USERS = [("coordinator", Role.COORDINATOR, None)]

# Name pools: (weight, first names, last names, language sets). Languages as ISO 639-1 codes.
NAME_GROUPS = [
    (
        50,
        [
            "Jan",
            "Marie",
            "Luc",
            "An",
            "Els",
            "Koen",
            "Sofie",
            "Wout",
            "Lotte",
            "Jef",
            "Mariette",
            "Roger",
            "Godelieve",
            "Josée",
            "Fons",
            "Lieve",
            "Hilde",
            "Dirk",
            "Bart",
            "Griet",
            "Ward",
            "Noor",
            "Lars",
            "Emma",
            "Lucas",
            "Nina",
            "Mathis",
            "Rita",
            "Frans",
            "Paula",
            "Willy",
            "Agnes",
            "Jozef",
            "Maria",
            "Yvonne",
            "Staf",
            "Jeanine",
            "Eddy",
            "Linda",
            "Patrick",
        ],
        [
            "Peeters",
            "Janssens",
            "Maes",
            "Jacobs",
            "Mertens",
            "Willems",
            "Claes",
            "Goossens",
            "Wouters",
            "De Smet",
            "Vermeulen",
            "Van den Broeck",
            "Hermans",
            "Smets",
            "Verbeke",
            "Vanderstraeten",
            "Luyten",
            "Stevens",
            "Van Dyck",
            "Coppens",
            "Michiels",
            "Aerts",
            "Vandeputte",
            "Vangeel",
            "Lenaerts",
            "Vranckx",
            "Swinnen",
            "Thijs",
            "Ceulemans",
            "Schoofs",
        ],
        [["nl"], ["nl"], ["nl"], ["nl"], ["nl", "fr"], ["nl", "en"]],
    ),
    (
        6,
        ["Jean", "Marie-Claire", "Philippe", "Nathalie", "Christophe", "Isabelle", "Monique", "Didier"],
        ["Dubois", "Lambert", "Dupont", "Leclercq", "Martin", "Simon", "Lejeune", "Renard"],
        [["fr"], ["fr", "nl"]],
    ),
    (
        10,
        ["Mohamed", "Fatima", "Youssef", "Khadija", "Said", "Naima", "Karim", "Samira", "Hamza", "Amina"],
        ["El Amrani", "Bouzid", "Azzouzi", "Benali", "El Khattabi", "Ouali", "Ait Said", "Lahlou"],
        [["ar", "nl"], ["ar", "fr"], ["ar"], ["nl", "fr", "ar"]],
    ),
    (
        6,
        ["Mehmet", "Ayşe", "Emre", "Elif", "Hatice", "Mustafa", "Zeynep", "Hasan"],
        ["Yılmaz", "Demir", "Kaya", "Çelik", "Şahin", "Öztürk", "Arslan", "Doğan"],
        [["tr", "nl"], ["tr"]],
    ),
    (
        5,
        ["Ahmad", "Zahra", "Mohammad", "Fereshta", "Wahid", "Marzia", "Jawad", "Nazanin"],
        ["Ahmadi", "Rahimi", "Karimi", "Noori", "Hashimi", "Sultani", "Rezaei"],
        [["ps"], ["fa"], ["ps", "fa"], ["fa", "en"]],
    ),
    (
        4,
        ["Rania", "Omar", "Lina", "Khaled", "Nour", "Bashar", "Hiba"],
        ["Haddad", "Alhassan", "Khalil", "Mansour", "Al-Ali", "Saleh"],
        [["ar"], ["ar", "en"]],
    ),
    (
        4,
        ["Senait", "Yonas", "Helen", "Tesfay", "Mebrat", "Filmon"],
        ["Tesfay", "Gebremedhin", "Haile", "Kidane", "Berhane"],
        [["ti"], ["ti", "en"]],
    ),
    (
        5,
        ["Olena", "Dmytro", "Iryna", "Oleksandr", "Tetiana", "Mykola", "Svitlana", "Yulia"],
        ["Kovalenko", "Bondarenko", "Tkachenko", "Kravchenko", "Melnyk", "Savchenko", "Shevchuk"],
        [["uk", "ru"], ["uk"], ["uk", "en"]],
    ),
    (
        3,
        ["Irina", "Sergei", "Natalia", "Aleksei", "Olga", "Viktor"],
        ["Smirnova", "Ivanov", "Popova", "Sokolova", "Morozov", "Kuznetsov"],
        [["ru"], ["ru", "en"]],
    ),
    (
        3,
        ["Grace", "Patrick", "Esther", "Jean-Paul", "Chantal", "Didier"],
        ["Mbuyi", "Kabongo", "Tshibanda", "Ilunga", "Mukendi", "Kasongo"],
        [["fr", "ln"], ["fr"]],
    ),
    (
        2,
        ["Katarzyna", "Piotr", "Agnieszka", "Tomasz"],
        ["Nowak", "Kowalski", "Wiśniewska", "Zieliński"],
        [["pl"], ["pl", "en"]],
    ),
    (
        2,
        ["Ioana", "Andrei", "Elena", "Mihai"],
        ["Popescu", "Ionescu", "Dumitru", "Stan"],
        [["ro"], ["ro", "en"]],
    ),
    (
        2,
        ["Hodan", "Abdirahman", "Faadumo", "Liban"],
        ["Abdi", "Mohamud", "Warsame", "Farah"],
        [["so"], ["so", "en"]],
    ),
]

# Age buckets (weight, youngest, oldest): digital exclusion weighs most on older people.
AGE_BUCKETS = [(10, 18, 29), (22, 30, 49), (25, 50, 64), (30, 65, 79), (13, 80, 94)]
# Ages are counted from this year, not from today, so the demo never changes with the clock.
REFERENCE_YEAR = 2024

OTHER_ELIGIBILITY_DETAILS = ["Budgetbeheer", "Schoolpremie", "Statuut persoon met een handicap"]
