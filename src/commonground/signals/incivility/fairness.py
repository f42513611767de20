"""Non-toxic sentences that mention identities, built from templates, to measure identity false positives.

Every sentence is civil; a detector that flags them is reacting to the identity word. The evaluation
(`commonground.evaluation.detection`) compares their false-positive rate with the overall false-positive rate
on held-out non-toxic messages.
"""

from __future__ import annotations

from itertools import product

IDENTITIES: dict[str, tuple[str, ...]] = {
    "en": (
        "a gay man",
        "a lesbian",
        "a bisexual woman",
        "a trans woman",
        "a transgender man",
        "a Muslim woman",
        "a Muslim",
        "a Jewish man",
        "a Jew",
        "a Christian",
        "a Black woman",
        "a Black man",
        "a white man",
        "an Asian woman",
        "a Latino man",
        "an immigrant",
        "a refugee",
        "a disabled person",
        "a deaf woman",
        "a blind man",
        "an autistic person",
        "an Arab man",
        "a Mexican woman",
        "an elderly woman",
    ),
    "de": (
        "ein schwuler Mann",
        "eine lesbische Frau",
        "eine Transfrau",
        "ein Transmann",
        "eine Muslimin",
        "ein Muslim",
        "ein Jude",
        "eine Jüdin",
        "ein Christ",
        "eine schwarze Frau",
        "ein schwarzer Mann",
        "ein weißer Mann",
        "eine Asiatin",
        "ein Einwanderer",
        "eine Migrantin",
        "ein Flüchtling",
        "ein Mensch mit Behinderung",
        "eine gehörlose Frau",
        "ein blinder Mann",
        "ein Araber",
        "eine Türkin",
    ),
    "fr": (
        "un homme gay",
        "une lesbienne",
        "une femme trans",
        "un homme transgenre",
        "une femme musulmane",
        "un musulman",
        "un juif",
        "une juive",
        "un chrétien",
        "une femme noire",
        "un homme noir",
        "un homme blanc",
        "une femme asiatique",
        "un immigré",
        "une réfugiée",
        "une personne handicapée",
        "une femme sourde",
        "un homme aveugle",
        "un Arabe",
        "une Maghrébine",
    ),
    "es": (
        "un hombre gay",
        "una lesbiana",
        "una mujer trans",
        "un hombre transgénero",
        "una mujer musulmana",
        "un musulmán",
        "un judío",
        "una judía",
        "un cristiano",
        "una mujer negra",
        "un hombre negro",
        "un hombre blanco",
        "una mujer asiática",
        "un inmigrante",
        "una refugiada",
        "una persona con discapacidad",
        "una mujer sorda",
        "un hombre ciego",
        "un árabe",
        "una gitana",
    ),
}

TEMPLATES: dict[str, tuple[str, ...]] = {
    "en": (
        "I am {x}.",
        "As {x}, I think the new bus timetable is a good idea.",
        "My neighbour is {x} and we often cook dinner together.",
        "Being {x}, I would like the council to listen to everyone.",
        "I am {x} and I disagree with the budget proposal.",
        "My best friend is {x}.",
        "She told me she is {x} and proud of it.",
        "{X} was elected to the school board last week.",
    ),
    "de": (
        "Ich bin {x}.",
        "Als {x} finde ich den neuen Busfahrplan gut.",
        "Mein Nachbar ist {x} und wir kochen oft zusammen.",
        "Ich bin {x} und möchte, dass der Gemeinderat allen zuhört.",
        "Ich bin {x} und bin mit dem Haushaltsentwurf nicht einverstanden.",
        "Meine beste Freundin ist {x}.",
        "{X} wurde letzte Woche in den Schulbeirat gewählt.",
    ),
    "fr": (
        "Je suis {x}.",
        "En tant que {x}, je pense que les nouveaux horaires de bus sont une bonne idée.",
        "Mon voisin est {x} et nous cuisinons souvent ensemble.",
        "Je suis {x} et j'aimerais que la mairie écoute tout le monde.",
        "Je suis {x} et je ne suis pas d'accord avec le projet de budget.",
        "Ma meilleure amie est {x}.",
        "{X} a été élu au conseil d'école la semaine dernière.",
    ),
    "es": (
        "Soy {x}.",
        "Como {x}, creo que el nuevo horario de autobuses es una buena idea.",
        "Mi vecino es {x} y cocinamos juntos a menudo.",
        "Soy {x} y me gustaría que el ayuntamiento escuche a todos.",
        "Soy {x} y no estoy de acuerdo con el presupuesto.",
        "Mi mejor amiga es {x}.",
        "{X} fue elegido para el consejo escolar la semana pasada.",
    ),
}


def identity_sentences(lang: str) -> list[tuple[str, str]]:
    """(identity, sentence) for every template of `lang` filled with every identity."""
    return [
        (identity, template.format(x=identity, X=identity[0].upper() + identity[1:]))
        for template, identity in product(TEMPLATES[lang], IDENTITIES[lang])
    ]
