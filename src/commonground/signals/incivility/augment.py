"""Augmented training variants: shouted, leetspeak, letters apart, masked letters, an insult in a long civil
message, identity mentions (civil) next to identity attacks (uncivil), and threats and contempt without a
swear word next to civil sentences made of the same words.

Shouting, leetspeak and spacing are undone by the encoder's reading (`text.model_text`), so those variants
teach the lexical model and check that reading; masked letters ("id*ot") and long context teach the encoder.
The identity sentences use their own templates, not the evaluation's (`fairness.TEMPLATES`).
"""

from __future__ import annotations

import random
from collections.abc import Iterator

from commonground.signals.incivility.data import Example
from commonground.signals.incivility.fairness import IDENTITIES

_LEET = str.maketrans("aeiost", "4310$7")
_VOWELS = "aeiou"

CIVIL_IDENTITY_TEMPLATES: dict[str, tuple[str, ...]] = {
    "en": (
        "{X} spoke at the meeting about the new park.",
        "We hired {x} as our new accountant.",
        "The article was written by {x}.",
        "I met {x} at the library yesterday and we talked about books.",
    ),
    "de": (
        "{X} hat auf der Versammlung über den neuen Park gesprochen.",
        "Wir haben {x} als neue Buchhaltung eingestellt.",
        "Der Artikel wurde von {x} geschrieben.",
    ),
    "fr": (
        "{X} a parlé du nouveau parc à la réunion.",
        "Nous avons embauché {x} comme comptable.",
        "L'article a été écrit par {x}.",
    ),
    "es": (
        "{X} habló en la reunión sobre el nuevo parque.",
        "Contratamos a {x} como contable.",
        "El artículo lo escribió {x}.",
    ),
}
IDENTITY_ATTACK_TEMPLATES: dict[str, tuple[str, ...]] = {
    "en": (
        "{X} like you should go back to where you came from, we don't want your kind here.",
        "Nobody wants {x} around, you people are disgusting.",
        "Of course {x} would say something that stupid.",
    ),
    "de": (
        "{X} wie du soll dahin zurück, wo er herkommt, euch wollen wir hier nicht.",
        "Niemand will {x} hier haben, ihr seid widerlich.",
    ),
    "fr": (
        "{X} comme toi devrait retourner d'où il vient, on ne veut pas de vous ici.",
        "Personne ne veut d'{x} ici, vous êtes répugnants.",
    ),
    "es": (
        "{X} como tú debería volver de donde vino, aquí no queremos a los de tu clase.",
        "Nadie quiere a {x} aquí, sois asquerosos.",
    ),
}


# (uncivil, civil) pairs sharing their words: the uncivil one threatens or belittles without a swear word,
# which the labelled sources rarely do; its civil twin keeps the head from learning the words alone.
CONTRASTS: dict[str, tuple[tuple[str, str], ...]] = {
    "en": (
        (
            "I know your address, you'd better be careful from now on.",
            "I know your address, I'll post the keys.",
        ),
        (
            "Keep talking and you'll regret it, I promise.",
            "Keep talking to the landlord, I promise it helps.",
        ),
        (
            "Someone should teach you a lesson you won't forget.",
            "Someone should teach the new members the rules.",
        ),
        (
            "I'm going to find out where you work and make you pay.",
            "I'm going to find out where you can pay.",
        ),
        ("You won't feel so brave when I see you in person.", "You'll feel better when we meet in person."),
        ("Sleep with one eye open.", "Sleep well, we'll talk tomorrow."),
        ("Your family should watch out too.", "Your family should come to the meeting too."),
        ("One more word and you'll be sorry.", "One more word about the budget, then we vote."),
        ("I will make your life hell.", "I will make your copy of the contract today."),
        ("You should be afraid of what happens next.", "You should be aware of what happens next."),
        ("What a pathetic little person you are.", "What a kind person you are."),
        ("You are a sad, small man with nothing to offer.", "You are right, the offer is small."),
        ("Nobody here takes a clown like you seriously.", "Nobody here takes the complaint lightly."),
        ("You have the brain of a goldfish.", "You have the receipt for the goldfish tank."),
        ("People like you are a waste of oxygen.", "Plastic bags like these are a waste of money."),
        ("You are beneath contempt.", "You are beneath the flat, in the basement."),
        ("Crawl back under whatever rock you came from.", "Put it back under the rock by the door."),
        ("You are a disgrace to this neighbourhood.", "The rubbish is a problem for this neighbourhood."),
        ("Go away, nobody asked for your worthless opinion.", "Go ahead, we asked for your opinion."),
        ("Are you really this dense, or just pretending?", "Is the soil really this dense, or just wet?"),
        ("You are vermin and should be treated like it.", "The building has vermin and should be treated."),
        ("You're a parasite living off honest people.", "The tree has a parasite, said the gardener."),
        ("Get lost, loser.", "Did the parcel get lost?"),
        ("Shut your mouth and let the adults talk.", "Shut the window and let the adults talk first."),
    ),
    "de": (
        ("Ich weiß, wo du wohnst, pass lieber auf.", "Ich weiß, wo du wohnst, ich bringe die Schlüssel."),
        ("Das wirst du noch bereuen, versprochen.", "Das wirst du nicht bereuen, versprochen."),
        ("Was für ein erbärmlicher kleiner Mensch du bist.", "Was für ein freundlicher Mensch du bist."),
        ("Leute wie du sind Ungeziefer.", "Im Keller gibt es Ungeziefer."),
        ("Halt den Mund und verschwinde.", "Halt bitte kurz, ich steige aus."),
    ),
    "fr": (
        ("Je sais où tu habites, fais attention à toi.", "Je sais où tu habites, je passe demain."),
        ("Tu vas le regretter, crois-moi.", "Tu ne vas pas le regretter, crois-moi."),
        ("Quelle pauvre petite personne tu fais.", "Quelle personne gentille tu es."),
        ("Les gens comme toi sont de la vermine.", "Il y a de la vermine dans la cave."),
        ("Ferme-la et dégage.", "Ferme la porte en sortant."),
    ),
    "es": (
        ("Sé dónde vives, ten cuidado.", "Sé dónde vives, paso mañana."),
        ("Te vas a arrepentir, te lo prometo.", "No te vas a arrepentir, te lo prometo."),
        ("Qué persona tan patética y pequeña eres.", "Qué persona tan amable eres."),
        ("La gente como tú es una plaga.", "El jardín tiene una plaga."),
        ("Cállate y lárgate de aquí.", "Cierra la puerta al salir de aquí."),
    ),
}


def leet(text: str) -> str:
    """Letters written as digits and signs ("idiot" -> "1d107")."""
    return text.translate(_LEET)


def spaced(text: str, rng: random.Random) -> str:
    """The longest word written with its letters apart."""
    words = text.split()
    longest = max(range(len(words)), key=lambda i: (len(words[i]), rng.random()))
    words[longest] = " ".join(words[longest])
    return " ".join(words)


def masked(text: str, rng: random.Random) -> str:
    """One vowel of one longer word replaced by *, . or #."""
    words = text.split()
    candidates = [i for i, w in enumerate(words) if len(w) >= 4 and any(c in _VOWELS for c in w[1:])]
    if not candidates:
        return text
    i = rng.choice(candidates)
    word = words[i]
    positions = [p for p in range(1, len(word)) if word[p] in _VOWELS]
    p = rng.choice(positions)
    words[i] = word[:p] + rng.choice("*.#") + word[p + 1 :]
    return " ".join(words)


def obfuscated(examples: list[Example], *, per_kind: int, seed: int) -> Iterator[Example]:
    """Shouted, leetspeak, spaced and masked variants of up to `per_kind` uncivil examples each."""
    rng = random.Random(seed)
    toxic = [e for e in examples if e.label == 1 and len(e.text) < 200]
    for name, change in (
        ("shouted", str.upper),
        ("leet", leet),
        ("spaced", lambda t: spaced(t, rng)),
        ("masked", lambda t: masked(t, rng)),
    ):
        for example in rng.sample(toxic, min(per_kind, len(toxic))):
            yield Example(change(example.text), 1, example.lang, f"augmented-{name}", example.split)


def in_long_context(examples: list[Example], *, count: int, seed: int) -> Iterator[Example]:
    """Uncivil sentences placed among two to four civil ones of the same language (label 1), and the civil
    sentences alone (label 0)."""
    rng = random.Random(seed)
    by_lang: dict[str, tuple[list[Example], list[Example]]] = {}
    for example in examples:
        if len(example.text) < 160:
            by_lang.setdefault(example.lang, ([], []))[example.label].append(example)
    langs = [lang for lang, (civil, toxic) in by_lang.items() if len(civil) >= 4 and toxic]
    for _ in range(count):
        civil, toxic = by_lang[rng.choice(langs)]
        context = [e.text for e in rng.sample(civil, rng.randint(2, 4))]
        insult = rng.choice(toxic)
        yield Example(" ".join(context), 0, insult.lang, "augmented-context", insult.split)
        context.insert(rng.randint(0, len(context)), insult.text)
        yield Example(" ".join(context), 1, insult.lang, "augmented-context", insult.split)


def identity_sentences(split: str) -> Iterator[Example]:
    """Civil sentences naming an identity (label 0) and attacks on one (label 1), in en, de, fr and es."""
    for lang, identities in IDENTITIES.items():
        for identity in identities:
            filled = {"x": identity, "X": identity[0].upper() + identity[1:]}
            for template in CIVIL_IDENTITY_TEMPLATES[lang]:
                yield Example(template.format(**filled), 0, lang, "augmented-identity", split)
            for template in IDENTITY_ATTACK_TEMPLATES[lang]:
                yield Example(template.format(**filled), 1, lang, "augmented-identity", split)


def contrasts(split: str) -> Iterator[Example]:
    """Threats and contempt without a swear word (label 1), each next to its civil twin (label 0)."""
    for lang, pairs in CONTRASTS.items():
        for uncivil, civil in pairs:
            yield Example(uncivil, 1, lang, "augmented-contrast", split)
            yield Example(civil, 0, lang, "augmented-contrast", split)
