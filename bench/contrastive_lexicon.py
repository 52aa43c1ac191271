"""Word tables for the contrastive benchmark: antonyms, verb forms, wire abbreviations, aliases.

Why a separate module: the rewrites in ``bench/contrastive_claims.py`` must be auditable, and most of
what makes a perturbation correct is in these tables (is "eased" the opposite of "rose"? is "U.S." the
same actor as "Washington"?). Keeping them here, as data, lets a reader check them line by line.

Everything is hand-written for 1987 wire English (Reuters-21578) and deliberately small: a word that
is missing only means a sentence admits fewer perturbations; a wrong entry would poison the benchmark.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


def word_set(text: str) -> frozenset[str]:
    """A lexicon written as whitespace-separated words, so that it reads as a word list."""
    return frozenset(text.split())


def name_set(text: str) -> frozenset[str]:
    """Names (which hold spaces) written as one '|'-separated string."""
    return frozenset(text.split("|"))


# -- wire abbreviations --------------------------------------------------------------------------

#: Whole-word expansions applied to a sentence before its claims are built (case-insensitive).
#: Reuters bodies write "1.5 mln dlrs", "5.6 pct", "80,000 bpd", "10 mln stg".
WIRE_ABBREVIATIONS: dict[str, str] = {
    "mln": "million",
    "bln": "billion",
    "dlrs": "dollars",
    "dlr": "dollar",
    "pct": "percent",
    "bpd": "barrels per day",
    "stg": "sterling",
    "cts": "cents",
    "qtr": "quarter",
    "qtrs": "quarters",
    "mths": "months",
    "yr": "year",
    "yrs": "years",
    "avg": "average",
    "shrs": "shares",
}

# -- verb forms ----------------------------------------------------------------------------------

#: base -> (past, past participle) for the irregular verbs of business and political news.
IRREGULAR_VERBS: dict[str, tuple[str, str]] = {
    "be": ("was", "been"),
    "become": ("became", "become"),
    "begin": ("began", "begun"),
    "bid": ("bid", "bid"),
    "break": ("broke", "broken"),
    "bring": ("brought", "brought"),
    "build": ("built", "built"),
    "buy": ("bought", "bought"),
    "choose": ("chose", "chosen"),
    "come": ("came", "come"),
    "cost": ("cost", "cost"),
    "cut": ("cut", "cut"),
    "deal": ("dealt", "dealt"),
    "do": ("did", "done"),
    "draw": ("drew", "drawn"),
    "drive": ("drove", "driven"),
    "fall": ("fell", "fallen"),
    "feel": ("felt", "felt"),
    "find": ("found", "found"),
    "forecast": ("forecast", "forecast"),
    "freeze": ("froze", "frozen"),
    "get": ("got", "got"),
    "give": ("gave", "given"),
    "go": ("went", "gone"),
    "grow": ("grew", "grown"),
    "have": ("had", "had"),
    "hear": ("heard", "heard"),
    "hit": ("hit", "hit"),
    "hold": ("held", "held"),
    "keep": ("kept", "kept"),
    "know": ("knew", "known"),
    "lay": ("laid", "laid"),
    "lead": ("led", "led"),
    "leave": ("left", "left"),
    "lend": ("lent", "lent"),
    "let": ("let", "let"),
    "lose": ("lost", "lost"),
    "make": ("made", "made"),
    "mean": ("meant", "meant"),
    "meet": ("met", "met"),
    "overtake": ("overtook", "overtaken"),
    "pay": ("paid", "paid"),
    "put": ("put", "put"),
    "quit": ("quit", "quit"),
    "read": ("read", "read"),
    "rebuild": ("rebuilt", "rebuilt"),
    "rise": ("rose", "risen"),
    "run": ("ran", "run"),
    "say": ("said", "said"),
    "see": ("saw", "seen"),
    "seek": ("sought", "sought"),
    "sell": ("sold", "sold"),
    "send": ("sent", "sent"),
    "set": ("set", "set"),
    "shed": ("shed", "shed"),
    "shrink": ("shrank", "shrunk"),
    "shut": ("shut", "shut"),
    "sink": ("sank", "sunk"),
    "speak": ("spoke", "spoken"),
    "spend": ("spent", "spent"),
    "split": ("split", "split"),
    "spread": ("spread", "spread"),
    "stand": ("stood", "stood"),
    "steal": ("stole", "stolen"),
    "strike": ("struck", "struck"),
    "swing": ("swung", "swung"),
    "take": ("took", "taken"),
    "teach": ("taught", "taught"),
    "tell": ("told", "told"),
    "think": ("thought", "thought"),
    "throw": ("threw", "thrown"),
    "undergo": ("underwent", "undergone"),
    "understand": ("understood", "understood"),
    "undertake": ("undertook", "undertaken"),
    "upset": ("upset", "upset"),
    "win": ("won", "won"),
    "withdraw": ("withdrew", "withdrawn"),
    "withhold": ("withheld", "withheld"),
    "write": ("wrote", "written"),
}

#: Regular verbs whose final consonant doubles before -ed / -ing ("planned", "dropping").
DOUBLING_VERBS = word_set(
    "admit bar ban chip commit control cap dip drop equip extol fit hop jog lag omit peg permit plan "
    "plug prefer propel rebut refer regret rob ship shop slip stop submit swap tap top transfer trim "
    "scrap step occur outstrip"
)


def _third_person(base: str) -> str:
    if base == "be":
        return "is"
    if base == "have":
        return "has"
    if re.search(r"(s|sh|ch|x|z|o)$", base):
        return base + "es"
    if re.search(r"[^aeiou]y$", base):
        return base[:-1] + "ies"
    return base + "s"


def _regular_ed(base: str) -> str:
    if base.endswith("e"):
        return base + "d"
    if re.search(r"[^aeiou]y$", base):
        return base[:-1] + "ied"
    if base in DOUBLING_VERBS:
        return base + base[-1] + "ed"
    return base + "ed"


def _gerund(base: str) -> str:
    if base.endswith("ie"):
        return base[:-2] + "ying"
    if base.endswith("e") and not base.endswith(("ee", "ye", "oe")):
        return base[:-1] + "ing"
    if base in DOUBLING_VERBS or base in {"cut", "win", "set", "put", "hit", "run", "get", "shut", "swap"}:
        return base + base[-1] + "ing"
    return base + "ing"


def verb_form(base: str, tag: str) -> str:
    """``base`` inflected for a Penn tag (VB, VBP, VBZ, VBD, VBN, VBG); VBP means a plural subject."""
    base = base.lower()
    if tag == "VBZ":
        return _third_person(base)
    if tag == "VBD":
        return IRREGULAR_VERBS[base][0] if base in IRREGULAR_VERBS else _regular_ed(base)
    if tag == "VBN":
        return IRREGULAR_VERBS[base][1] if base in IRREGULAR_VERBS else _regular_ed(base)
    if tag == "VBG":
        return _gerund(base)
    if tag == "VBP" and base == "be":
        return "are"
    return base


def past_tense(base: str, plural: bool = False) -> str:
    """Simple past, with 'were' for a plural subject of 'be'."""
    if base.lower() == "be":
        return "were" if plural else "was"
    return verb_form(base, "VBD")


# -- direction antonyms --------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Antonym:
    """The opposite of a predicate in one usage; ``objects`` restricts the object's head lemma.

    ``usage`` is how the verb must be used for the antonym to state the opposite: "intransitive"
    (no object, or an object that is a quantity: "fell 5 percent", "gained 9.21"), "transitive" (a
    direct object, or the passive: "raised its dividend"), "xcomp" (a to-infinitive right after it:
    "agreed to buy"), "any" (no to-infinitive).
    """

    opposite: str
    usage: str
    objects: frozenset[str] | None = None


#: Objects that make "lift", "impose" a pair of opposite acts.
RESTRICTIONS = word_set(
    "ban sanction embargo restriction curb control quota tariff freeze suspension moratorium limit "
    "ceiling duty surcharge levy"
)
#: Objects for which "raise"/"cut"/"lower" move a level (not "raised 5 million dollars" of funding).
LEVELS = word_set(
    "price rate dividend stake offer bid estimate forecast target tariff limit payout fee ceiling "
    "quota rating interest holding production output capacity level duty tax percentage "
    "discount premium margin requirement reserve spending budget allocation share payment "
    "wage salary cost charge yield subsidy support investment loan"
)

#: lemma -> the usages in which it has an antonym (the first matching usage wins).
VERB_ANTONYMS: dict[str, tuple[Antonym, ...]] = {
    "rise": (Antonym("fall", "intransitive"),),
    "fall": (Antonym("rise", "intransitive"),),
    "climb": (Antonym("fall", "intransitive"),),
    "jump": (Antonym("fall", "intransitive"),),
    "surge": (Antonym("fall", "intransitive"),),
    "soar": (Antonym("plunge", "intransitive"),),
    "plunge": (Antonym("soar", "intransitive"),),
    "rally": (Antonym("fall", "intransitive"),),
    "advance": (Antonym("decline", "intransitive"),),
    "decline": (Antonym("rise", "intransitive"),),
    "drop": (Antonym("rise", "intransitive"),),
    "slip": (Antonym("rise", "intransitive"),),
    "tumble": (Antonym("rise", "intransitive"),),
    "slump": (Antonym("rise", "intransitive"),),
    "dip": (Antonym("rise", "intransitive"),),
    "ease": (Antonym("rise", "intransitive"), Antonym("tighten", "transitive")),
    "firm": (Antonym("ease", "intransitive"),),
    "gain": (Antonym("lose", "any"),),
    "lose": (Antonym("gain", "intransitive"), Antonym("win", "transitive")),
    "increase": (Antonym("decrease", "any"),),
    "decrease": (Antonym("increase", "any"),),
    "grow": (Antonym("shrink", "intransitive"),),
    "shrink": (Antonym("grow", "intransitive"),),
    "expand": (Antonym("contract", "intransitive"), Antonym("reduce", "transitive")),
    "contract": (Antonym("expand", "intransitive"),),
    "double": (Antonym("halve", "any"),),
    "halve": (Antonym("double", "any"),),
    "raise": (Antonym("lower", "transitive", LEVELS),),
    "lower": (Antonym("raise", "transitive", LEVELS),),
    "cut": (Antonym("raise", "transitive", LEVELS),),
    "reduce": (Antonym("increase", "transitive"),),
    "boost": (Antonym("cut", "transitive"),),
    "hike": (Antonym("cut", "transitive"),),
    "lift": (Antonym("impose", "transitive", RESTRICTIONS),),
    "impose": (Antonym("lift", "transitive", RESTRICTIONS),),
    "tighten": (Antonym("ease", "transitive"),),
    "strengthen": (Antonym("weaken", "any"),),
    "weaken": (Antonym("strengthen", "any"),),
    "improve": (Antonym("worsen", "any"),),
    "worsen": (Antonym("improve", "any"),),
    "deteriorate": (Antonym("improve", "intransitive"),),
    "widen": (Antonym("narrow", "any"),),
    "narrow": (Antonym("widen", "any"),),
    "buy": (Antonym("sell", "transitive"),),
    "purchase": (Antonym("sell", "transitive"),),
    "acquire": (Antonym("sell", "transitive"),),
    "sell": (Antonym("buy", "transitive"),),
    "accept": (Antonym("reject", "transitive"),),
    "approve": (Antonym("reject", "transitive"),),
    "reject": (Antonym("accept", "transitive"),),
    "win": (Antonym("lose", "transitive"),),
    "agree": (Antonym("refuse", "xcomp"),),
    "refuse": (Antonym("agree", "xcomp"),),
    "support": (Antonym("oppose", "transitive"),),
    "back": (Antonym("oppose", "transitive"),),
    "favor": (Antonym("oppose", "transitive"),),
    "oppose": (Antonym("support", "transitive"),),
    "suspend": (Antonym("resume", "transitive"),),
    "resume": (Antonym("suspend", "transitive"),),
    "upgrade": (Antonym("downgrade", "transitive"),),
    "downgrade": (Antonym("upgrade", "transitive"),),
}

#: Comparatives and adverbs of direction ("prices were higher", "sales were up 5 percent").
ADJECTIVE_ANTONYMS: dict[str, str] = {
    "higher": "lower",
    "lower": "higher",
    "stronger": "weaker",
    "weaker": "stronger",
    "firmer": "weaker",
    "better": "worse",
    "worse": "better",
    "up": "down",
    "down": "up",
}

#: Nouns of change and balance, singular -> opposite singular ("a 5 percent increase").
NOUN_ANTONYMS: dict[str, str] = {
    "increase": "decrease",
    "decrease": "increase",
    "rise": "fall",
    "fall": "rise",
    "decline": "rise",
    "drop": "rise",
    "surplus": "deficit",
    "deficit": "surplus",
    "profit": "loss",
    "loss": "profit",
    "upturn": "downturn",
    "downturn": "upturn",
}

NOUN_PLURALS: dict[str, str] = {
    "increase": "increases",
    "decrease": "decreases",
    "rise": "rises",
    "fall": "falls",
    "surplus": "surpluses",
    "deficit": "deficits",
    "profit": "profits",
    "loss": "losses",
    "upturn": "upturns",
    "downturn": "downturns",
}

#: Verbs after which profit/loss is a reported result that flips cleanly ("posted a loss of ...").
RESULT_VERBS = word_set("post report record show have")

# -- speech, plans, modality ---------------------------------------------------------------------

#: Reporting verbs whose clausal complement is the content a claim keeps ("X said it ...").
SPEECH_VERBS = word_set("say tell report announce add state disclose note")

#: Verbs whose to-infinitive is only an aim, plan or expectation ("plans to buy" is no purchase).
PLAN_VERBS = word_set(
    "plan intend expect aim seek hope want propose offer agree consider prepare try attempt wish decide "
    "threaten promise pledge vow schedule"
)

#: Auxiliaries that make the act a possibility or a future (never a contradiction of each other).
POSSIBILITY_MODALS = word_set("may might could should can")
FUTURE_MODALS = word_set("will would shall")

#: Verbs whose subject and object (or subject and prepositional object) have distinct roles.
ROLE_VERBS = word_set(
    "acquire buy purchase sell sue pay owe lend supply beat defeat attack accuse urge ask hire "
    "replace succeed own control take bid invest import export ship offer award grant give license "
    "block back support oppose criticize warn invite pressure help appoint elect raise increase cut "
    "reduce tender make launch file seek complete announce win receive obtain extend provide "
    "transfer deliver order purchase sign"
)
#: Prepositions whose object is a distinct role of the verb or its object ("a stake in B").
ROLE_PREPOSITIONS = word_set("to from for against in of on by")

# -- actors --------------------------------------------------------------------------------------

#: Names that refer to one actor; an actor replacement never picks a name of the same group.
ALIAS_GROUPS: tuple[frozenset[str], ...] = tuple(
    frozenset(group.split("|"))
    for group in (
        "u.s.|us|united states|america|american|americans|washington|the united states",
        "britain|u.k.|uk|united kingdom|england|london|british|the united kingdom",
        "japan|tokyo|japanese",
        "west germany|bonn|german|germany|west german|west germans|germans",
        "east germany|east german",
        "soviet union|ussr|u.s.s.r.|moscow|soviet|soviets|russia|russian|the soviet union",
        "france|paris|french",
        "italy|rome|italian",
        "china|peking|beijing|chinese",
        "canada|ottawa|canadian",
        "brazil|brasilia|brazilian",
        "mexico|mexican",
        "saudi arabia|saudi|saudis|riyadh",
        "iran|tehran|iranian",
        "iraq|baghdad|iraqi",
        "kuwait|kuwaiti",
        "opec|organization of petroleum exporting countries",
        "ec|european community|the european community|eec|european economic community|brussels",
        "gatt|general agreement on tariffs and trade",
        "imf|international monetary fund|the international monetary fund",
        "fed|federal reserve|the federal reserve|federal reserve board|the fed",
        "sec|securities and exchange commission|the securities and exchange commission",
        "usda|u.s. agriculture department|agriculture department|the agriculture department",
        "netherlands|dutch|holland|the netherlands|the hague|amsterdam",
        "switzerland|swiss|zurich|berne|geneva",
        "australia|australian|canberra|sydney",
        "new zealand|wellington",
        "south africa|pretoria|south african",
        "south korea|korea|seoul|korean|south korean",
        "taiwan|taipei|taiwanese",
        "hong kong",
        "india|new delhi|indian",
        "spain|madrid|spanish",
        "belgium|belgian",
        "sweden|swedish|stockholm",
        "norway|norwegian|oslo",
        "argentina|argentine|buenos aires",
        "philippines|philippine|manila|the philippines",
        "indonesia|indonesian|jakarta",
        "malaysia|malaysian|kuala lumpur",
        "egypt|egyptian|cairo",
        "nigeria|nigerian|lagos",
        "venezuela|venezuelan|caracas",
        "ecuador|ecuadorean|quito",
        "pakistan|pakistani",
        "turkey|turkish|ankara",
        "israel|israeli",
        "greece|greek|athens",
        "portugal|portuguese|lisbon",
        "denmark|danish|copenhagen",
        "austria|austrian|vienna",
        "ireland|irish|dublin",
        "singapore",
        "thailand|thai|bangkok",
        "colombia|colombian|bogota",
        "peru|peruvian|lima",
        "chile|chilean|santiago",
        "poland|polish|warsaw",
        "yugoslavia|yugoslav|belgrade",
        "new york|n.y.",
        "chicago|ill.",
        "texas|tex.",
        "california|calif.",
    )
)

#: Countries an actor replacement may use for a country (as Reuters names them in 1987).
COUNTRIES = name_set(
    "U.S.|Japan|West Germany|Britain|France|Italy|China|Canada|Brazil|Mexico|Saudi Arabia|Iran|Iraq|"
    "Kuwait|Netherlands|Switzerland|Australia|New Zealand|South Africa|South Korea|Taiwan|Hong Kong|"
    "India|Spain|Belgium|Sweden|Norway|Argentina|Philippines|Indonesia|Malaysia|Egypt|Nigeria|"
    "Venezuela|Ecuador|Pakistan|Turkey|Israel|Greece|Portugal|Denmark|Austria|Ireland|Singapore|"
    "Thailand|Colombia|Peru|Chile|Poland|Yugoslavia|Finland|Soviet Union|East Germany|Zambia|Kenya|"
    "Zimbabwe|Morocco|Algeria|Libya|Bangladesh|Sri Lanka|Burma|Cuba|Bolivia|Uruguay|Hungary|Romania|"
    "Czechoslovakia|Bulgaria|Luxembourg|Qatar|Oman|Bahrain|Jordan|Syria|Lebanon|Tunisia|Ghana|"
    "Ivory Coast|Cameroon|Senegal|Zaire|Tanzania|Uganda|Ethiopia|Sudan|Jamaica|Panama|Costa Rica|"
    "Guatemala|Honduras|Nicaragua|El Salvador|Dominican Republic|Haiti|Paraguay|Iceland|Cyprus|"
    "Malta|Kampuchea|Vietnam|Laos|Nepal|Afghanistan|United Arab Emirates"
)

#: Verbs whose act can be someone's plan ("plans to acquire"); states and results are not planned.
PLANNABLE_VERBS = word_set(
    "acquire buy purchase sell open close build launch raise cut lower reduce increase issue offer sign "
    "file sue hire introduce expand merge invest export import ship pay spend borrow lend repurchase "
    "redeem end suspend resume start begin form establish create order award grant appoint elect name "
    "approve reject extend complete boost add sell tender bid divest acquire resign retire"
)

#: Words of organisation names that say nothing about which organisation it is.
GENERIC_NAME_WORDS = word_set(
    "the of and & inc inc. corp corp. co co. ltd ltd. plc llc lp l.p. group holding holdings company "
    "companies corporation incorporated limited international national american united general "
    "industries industry bank banks trust financial services systems association federal "
    "department ministry board commission council agency co-operative cooperative s.a. ag nv n.v. "
    "spa s.p.a. bhd berhad de la du new"
)
