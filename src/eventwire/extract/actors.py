"""Actor coding: find who is named in the text and give each a name, a country and a sector.

An actor mention is a noun phrase: a person ("North Korean leader Kim Jong Un"), a state by name,
capital or seat ("Russia", "Pyongyang", "the Kremlin"), an organisation or agency ("TASS"), or a
role ("Russia's defense minister", "a regional governor", "Israeli troops"). The knowledge base
(``eventwire.knowledge``) codes names and roles; this stage adds what only the article knows:
the country a modifier gives ("North Korean", "Russia's", "of the Primorye area"), and references
back to someone already named ("Kim", "the North Korean leader", "the governor").
"""

from __future__ import annotations

from dataclasses import dataclass, field

from spacy.tokens import Doc, Span, Token

from eventwire.extract.places import lookup_place
from eventwire.knowledge import Entry, KnowledgeBase, knowledge_base
from eventwire.model import Actor
from eventwire.nlp import view

NAME_LABELS = {"PERSON", "ORG", "GPE", "NORP", "FAC"}
NP_MODIFIER_DEPS = {
    "compound",
    "amod",
    "poss",
    "det",
    "nmod",
    "nummod",
    "case",
    "punct",
    "quantmod",
}
# Words that make a group no one country's: "the international community", "Western powers".
MANY_COUNTRY_WORDS = frozenset(
    {"international", "global", "world", "multinational", "western", "transnational"}
)
# Roles posted abroad: "ambassador to X" names where they serve, not whose they are.
ENVOY_ROLES = frozenset({"ambassador", "envoy", "consul", "emissary", "representative", "attaché"})
# Plural roles that usually gather several countries ("the leaders met"): no country is
# guessed for them from the story.
MULTI_PARTY_ROLES = {
    "leader",
    "president",
    "minister",
    "premier",
    "delegate",
    "delegation",
    "envoy",
    "diplomat",
    "representative",
    "negotiator",
    "side",
    "party",
    "head",
    "official",
    "mediator",
}
# Role mentions that name no country take the country of the place most recently named, this
# many sentences back at most ("a regional governor" in a story set in Russia's far east).
CONTEXT_SENTENCES = 3
# Nouns by which a story takes up an organisation it has named ("the council", "the bloc"):
# with "the", the organisation named last whose name has the word, or for the words that fit
# any organisation, the one named last.
ORGANISATION_NOUNS = frozenset(
    {"council", "commission", "committee", "union", "alliance", "assembly", "parliament",
     "court", "tribunal", "agency", "bank", "fund", "league", "party", "movement", "front",
     "coalition", "congress", "bureau", "board", "authority", "body", "bloc", "organization",
     "organisation", "group", "institution", "watchdog"}
)  # fmt: skip
ANY_ORGANISATION_NOUNS = frozenset(
    {"body", "bloc", "organization", "organisation", "institution", "watchdog"}
)


@dataclass
class ActorMentions:
    """The article's actor mentions, and which mention each token belongs to."""

    mentions: list[Actor] = field(default_factory=list)
    by_token: dict[int, Actor] = field(default_factory=dict)
    heads: dict[int, Actor] = field(default_factory=dict)
    # start offsets of mentions whose country is inferred, not said: from the place their
    # own sentence names ("place") or from the story around them ("article")
    guessed: dict[int, str] = field(default_factory=dict)

    def add(self, actor: Actor, tokens: Span | list[Token], head: Token) -> None:
        self.mentions.append(actor)
        for tok in tokens:
            # an inner mention ("Russia" in "Russia's defense minister") keeps its own tokens
            self.by_token.setdefault(tok.i, actor)
        self.by_token[head.i] = actor
        self.heads[head.i] = actor

    def at(self, token: Token) -> Actor | None:
        """The actor whose phrase this token heads, or that contains it."""
        return self.heads.get(token.i) or self.by_token.get(token.i)

    def sorted(self) -> None:
        self.mentions.sort(key=lambda a: (a.span[0], -a.span[1]))


def _clean(text: str) -> str:
    text = text.strip().replace("’", "'")
    for prefix in ("the ", "The "):
        if text.startswith(prefix):
            text = text[len(prefix) :]
    for suffix in ("'s", "'"):
        if text.endswith(suffix):
            text = text[: -len(suffix)]
    return text.strip()


def _np_tokens(head: Token) -> list[Token]:
    """The head and its left modifiers (and the "of" phrase of an institution's name): the
    phrase that names the actor."""
    tokens = [head]
    for child in head.lefts:
        if child.dep_ in NP_MODIFIER_DEPS:
            tokens.extend(child.subtree)
    tokens.sort(key=lambda t: t.i)
    # keep a contiguous run ending at the head; drop leading punctuation
    start = head.i
    for tok in reversed(tokens):
        if tok.i == start - 1 or tok.i == start:
            start = tok.i
    # "19:05 - Police": a dash or colon inside the run ends whatever came before it
    for tok in head.doc[start : head.i]:
        if tok.is_punct and tok.text in {"-", "–", "—", ":", "|"}:
            start = tok.i + 1
    while start < head.i and head.doc[start].is_punct:
        start += 1
    return list(head.doc[start : _institution_name_end(head) + 1])


# "Ministry of Defense", "Department of State", "Office of the Prosecutor General": the "of"
# phrase is part of the body's name, not another party.
INSTITUTION_HEADS = frozenset(
    {"ministry", "department", "office", "council", "committee", "commission", "agency",
     "bureau", "directorate", "secretariat", "service"}
)  # fmt: skip


def _institution_name_end(head: Token) -> int:
    """The last token of a capitalised institution name that runs on past its head word
    ("Ministry of Foreign Affairs"); the head itself otherwise."""
    if head.lemma_.lower() not in INSTITUTION_HEADS or not head.text[:1].isupper():
        return head.i
    of = next((c for c in head.rights if c.dep_ == "prep" and c.lower_ == "of"), None)
    if of is None or of.i != head.i + 1:
        return head.i
    name = next((c for c in of.children if c.dep_ == "pobj"), None)
    if name is None or name.pos_ != "PROPN" or not name.text[:1].isupper():
        return head.i
    words = [of, *(t for t in name.lefts), name]
    if any(t.dep_ == "det" and t.lower_ != "the" for t in words):
        return head.i
    if [t.i for t in sorted(words, key=lambda t: t.i)] != list(range(of.i, name.i + 1)):
        return head.i  # not one run of words
    return name.i


def _entity_head(ent: Span) -> Token:
    """The last word of a name, ignoring a possessive the NER took in ("North Korea's")."""
    last = ent.end - 1
    while last > ent.start and (ent.doc[last].dep_ == "case" or ent.doc[last].is_punct):
        last -= 1
    return ent.doc[last]


class _Coder:
    def __init__(self, doc: Doc, kb: KnowledgeBase, home: str | None = None):
        self.doc = doc
        self.home = home  # the country of the article's dateline, if it has one
        self.text = view(doc).text
        self.kb = kb
        self.found = ActorMentions()
        self.people: list[Actor] = []  # persons coded so far, for back-references
        self.roles: list[tuple[str, Actor]] = []  # role head lemma and a mention of it
        self.sentence_countries: dict[int, list[str]] = {}
        self.named_countries: set[str] | None = None  # every country the article names
        # Doc.ents and Doc.sents build new Span objects on every read: read each once.
        self.ents = list(doc.ents)
        self.entity_of: dict[int, Span] = {
            i: ent
            for ent in self.ents
            if ent.label_ in NAME_LABELS
            for i in range(ent.start, ent.end)
        }
        self.sents = list(view(doc).sents)
        self.sentence_of: dict[int, int] = {
            i: k for k, sent in enumerate(self.sents) for i in range(sent.start, sent.end)
        }
        self.sentence_ents: list[list[Span]] = [[] for _ in self.sents]
        for ent in self.ents:
            self.sentence_ents[self.sentence_of.get(ent.start, 0)].append(ent)

    def _entity_at(self, token: Token) -> Span | None:
        """The name entity a token is part of (NAME_LABELS only)."""
        return self.entity_of.get(token.i) if token.ent_type_ in NAME_LABELS else None

    # -- the country a phrase's modifiers give -------------------------------------------
    def _country_of_token(self, tok: Token) -> str | None:
        ent = self._entity_at(tok)
        text = _clean(ent.text if ent is not None else tok.text)
        return (
            self.kb.country_of_adjective(text)
            or self.kb.country_of_name(text)
            or self._kb_country(text)
        )

    def _kb_country(self, text: str) -> str | None:
        entry = self.kb.lookup(text)
        return entry.country if entry is not None else None

    def _modifier_country(self, head: Token, phrase: list[Token]) -> str | None:
        """Country given by 'North Korean', 'Russia's', 'of Russia', 'in Primorye' and the like."""
        for tok in phrase:
            if tok.i == head.i:
                continue
            if tok.ent_type_ in {"NORP", "GPE", "ORG"} or tok.dep_ == "poss":
                country = self._country_of_token(tok)
                if country:
                    return country
        for child in head.rights:
            if child.dep_ == "prep" and child.lower_ in {"of", "from", "for", "in"}:
                for obj in child.children:
                    if obj.dep_ != "pobj":
                        continue
                    # "of Russia", "of the Primorye area": the object or a name modifying it
                    for tok in (obj, *[c for c in obj.children if c.dep_ == "compound"]):
                        country = self._country_of_token(tok) or self._place_country(tok)
                        if country:
                            return country
        for child in head.children:
            if child.dep_ == "appos":
                for tok in _np_tokens(child):
                    if tok.ent_type_ in {"NORP", "GPE"} or tok.dep_ == "poss":
                        country = self._country_of_token(tok)
                        if country:
                            return country
        return None

    def _place_country(self, tok: Token, with_context: bool = True) -> str | None:
        ent = self._entity_at(tok)
        if ent is None or ent.label_ not in {"GPE", "LOC", "FAC"}:
            return None
        context = self._context_countries(tok) if with_context else []
        place = lookup_place(_clean(ent.text), context)
        return place.country if place is not None else None

    def _context_countries(self, head: Token, same_sentence: bool = False) -> list[str]:
        """Countries the story is in at ``head``, most likely first: those named before it in
        its sentence and the few sentences before, then those named after it in its sentence.
        With ``same_sentence``, its own sentence only (police "in the Tunisian capital")."""
        index = self.sentence_of.get(head.i, 0)
        back = 0 if same_sentence else CONTEXT_SENTENCES
        own = self.sentence_ents[index]
        before: list[Span] = [e for e in own if e.end <= head.i]
        for k in range(index - 1, max(0, index - back) - 1, -1):
            before = [*self.sentence_ents[k], *before]
        # (not a name the head belongs to: "President Bush" read as a place)
        after = [e for e in own if e.end > head.i and not e.start <= head.i < e.end]
        out: list[str] = []
        for ent in [*reversed(before), *after]:
            if ent.label_ not in {"GPE", "LOC", "FAC", "NORP"}:
                continue
            country = self.kb.country_of_name(_clean(ent.text)) or (
                self.kb.country_of_adjective(_clean(ent.text))
            )
            if country is None and ent.label_ != "NORP":
                country = self._place_country(ent.root, with_context=False)
            if country and country not in out:
                out.append(country)
        return out

    def _basis(self, head: Token, country: str) -> str:
        """How a guessed country was found: "place" when the actor's own sentence names it,
        "article" when only the story around does."""
        return "place" if country in self._context_countries(head, same_sentence=True) else (
            "article"
        )

    def _role(self, head: Token) -> tuple[str, object] | None:
        """The role a noun phrase names: the longest known phrase ending at its head."""
        compounds = [c for c in head.lefts if c.dep_ in {"compound", "amod"} and c.i == head.i - 1]
        if compounds:
            phrase = f"{compounds[0].lower_} {head.lemma_.lower()}"
            role = self.kb.role(phrase)
            if role is not None:
                return phrase, role
            phrase = f"{compounds[0].lower_} {head.lower_}"
            role = self.kb.role(phrase)
            if role is not None:
                return phrase, role
        for form in (head.lemma_.lower(), head.lower_):
            role = self.kb.role(form)
            if role is not None:
                return form, role
        return None

    # -- coding one phrase ---------------------------------------------------------------
    def _actor(self, text_tokens: list[Token], **fields) -> Actor:
        start = text_tokens[0].idx
        end = text_tokens[-1].idx + len(text_tokens[-1].text)
        if fields.get("country") and "country_basis" not in fields:
            fields["country_basis"] = self.found.guessed.get(start, "named")
        return Actor(text=self.text[start:end], span=(start, end), **fields)

    def _same_as(self, tokens: list[Token], earlier: Actor) -> Actor:
        """A later mention of someone already coded ("Kim", "the governor")."""
        return self._actor(
            tokens,
            name=earlier.name,
            country=earlier.country,
            sector=earlier.sector,
            kind=earlier.kind,
            country_basis=earlier.country_basis,
        )

    def _from_entry(self, tokens: list[Token], entry: Entry, country: str | None = None) -> Actor:
        return self._actor(
            tokens,
            name=entry.name,
            country=entry.country or country,
            sector=entry.sector,
            kind=entry.kind,  # type: ignore[arg-type]
        )

    def _person(self, head: Token, ent: Span, phrase: list[Token]) -> Actor:
        text = _clean(ent.text)
        entry = self.kb.lookup(text)
        envoy = self._envoy_posted(ent)
        if envoy is not None and entry is None:
            # "British Ambassador to Beijing Caroline Wilson": the envoy's country, not the
            # country of the posting
            return self._actor(
                list(ent), name=text, country=envoy.country, sector=envoy.sector, kind="person"
            )
        earlier = self._earlier_person(text)
        if earlier is not None and (entry is None or len(text.split()) == 1):
            return self._same_as(phrase, earlier)
        if entry is not None and entry.kind == "person":
            return self._from_entry(phrase, entry)
        role = None
        for tok in phrase:
            if tok.i < ent.start:
                found = self._role(tok)
                if found is not None:
                    role = found
        appos_role = next((self._role(c) for c in head.children if c.dep_ == "appos"), None)
        role = role or appos_role
        country = self._modifier_country(head, phrase)
        if country is None and role is not None:
            # "ambassador Lu Shaye" after "China's ambassador": the same office, named;
            # else an official of the country the story is in ("Europe Minister X said")
            earlier = self._earlier_role(role[0], None)
            if earlier is not None and earlier.country:
                country = earlier.country
            elif role[1].sector == "GOV" and role[0] not in {"ambassador", "envoy", "diplomat"}:
                context = [self.home] if self.home else self._context_countries(head)
                country = context[0] if context else None
                if country:
                    self.found.guessed[phrase[0].idx] = self._basis(head, country)
        return self._actor(
            phrase,
            name=text,
            country=country,
            sector=getattr(role[1], "sector", None) if role else None,
            kind="person",
        )

    def _name_cut_short(self, head: Token) -> Span | None:
        """"Shah Mehmood Qureshi" where the entity recogniser stopped at "Shah Mehmood": a
        proper noun heading a person's name just before it ends that name."""
        if head.pos_ != "PROPN" or head.i == 0 or head.ent_type_:
            return None
        left = self.entity_of.get(head.i - 1)
        if left is None or left.label_ != "PERSON" or left.end != head.i:
            return None
        if self.doc[head.i - 1].head.i != head.i:
            return None
        return Span(self.doc, left.start, head.i + 1, label="PERSON")

    def _titled_name(self, ent: Span) -> bool:
        """A name the knowledge base does not know, right after a person's title ("President
        Bush", "Gen. Dostum"), names a person whatever label the entity recogniser gave it
        (the small model often takes a surname for a place or an organisation)."""
        if ent.label_ not in {"GPE", "ORG", "NORP", "FAC"} or ent.start == 0:
            return False
        before = self.doc[ent.start - 1]
        if before.pos_ != "PROPN" or before.head.i not in range(ent.start, ent.end):
            return False
        if self.kb.lookup(_clean(ent.text)) is not None:
            return False
        role = self.kb.role(before.text)
        return role is not None and getattr(role, "kind", None) == "person"

    def _earlier_person(self, text: str) -> Actor | None:
        parts = text.split()
        for person in reversed(self.people):
            if person.name is None:
                continue
            names = person.name.split()
            if text == person.name or (len(parts) == 1 and parts[0] in names):
                return person
        return None

    def _named(self, head: Token, ent: Span, phrase: list[Token]) -> Actor | None:
        text = _clean(ent.text)
        entry = self._plausible(text, self.kb.lookup(text))
        earlier = self._earlier_person(text) if len(text.split()) == 1 and entry is None else None
        if earlier is not None:
            # "Beaune" after "Clement Beaune", whatever label the NER gave the surname
            return self._same_as(phrase, earlier)
        if ent.label_ == "NORP":
            # "a North Korean", "Russians": people of a country; as a modifier it only gives
            # the country of the phrase it modifies, which _role_actor handles.
            country = self.kb.country_of_adjective(text)
            if country is None:
                return None
            return self._actor(phrase, name=text, country=country, sector="CVL", kind="group")
        if entry is not None:
            # a state named as a place ("in Russia") is still recorded: the event stage
            # decides whether the sentence makes it a party
            return self._from_entry(phrase, entry, country=self._modifier_country(head, phrase))
        if ent.label_ == "ORG":
            earlier = self._earlier_organisation(head, phrase)
            if earlier is not None:
                return self._same_as(phrase, earlier)
            root = ent.root
            if root.i < head.i and root.lemma_.lower() in INSTITUTION_HEADS:
                # "the Polish Ministry of Defence": the ministry is what the demonym modifies
                words = sorted({*_np_tokens(root), *phrase}, key=lambda t: t.i)
                phrase = list(self.doc[words[0].i : words[-1].i + 1])
                text = _clean(self.doc[words[0].i : words[-1].i + 1].text)
                head = root
            found = self._role(head)
            return self._actor(
                phrase,
                name=text,
                country=self._modifier_country(head, phrase),
                sector=found[1].sector if found else None,  # type: ignore[attr-defined]
                kind="organization",
            )
        return None

    def _earlier_organisation(self, head: Token, phrase: list[Token]) -> Actor | None:
        """"The council", "the organization": the organisation the story named last (within
        a few sentences) that the noun fits; only a bare definite noun takes one up."""
        noun = head.lemma_.lower()
        if noun not in ORGANISATION_NOUNS or len(phrase) != 2 or phrase[0].lower_ != "the":
            return None
        index = self.sentence_of.get(head.i, 0)
        first = self.sents[max(0, index - CONTEXT_SENTENCES)].start_char
        for actor in reversed(self.found.mentions):
            if actor.span[1] > head.idx or actor.span[0] < first:
                continue
            if actor.kind != "organization" or not actor.country or actor.name is None:
                continue
            if noun in ANY_ORGANISATION_NOUNS or noun in actor.name.lower().split():
                return actor
        return None

    def _plausible(self, text: str, entry: Entry | None) -> Entry | None:
        """An acronym stands for many bodies: one the knowledge base knows as a national body
        ("NCA", "CPS") is that body only in an article that names its country; elsewhere it
        is some other body of the same initials. News agencies are the exception: their
        initials are their name, cited the world over ("according to TASS")."""
        if (
            entry is None
            or not (text.isupper() and len(text) <= 6)
            or entry.country in {None, "IGO", "IMG"}
            or entry.kind in {"state", "media"}
        ):
            return entry
        return entry if entry.country in self._article_countries() else None

    def _article_countries(self) -> set[str]:
        if self.named_countries is None:
            found = {self.home} if self.home else set()
            for ent in self.ents:
                if ent.label_ in {"GPE", "NORP", "LOC"}:
                    text = _clean(ent.text)
                    country = self.kb.country_of_name(text) or self.kb.country_of_adjective(text)
                    if country:
                        found.add(country)
            self.named_countries = found
        return self.named_countries

    def _envoy_posted(self, ent: Span) -> Actor | None:
        """The envoy mention in "Ambassador to Beijing <name>", "envoy in Kyiv <name>" just
        before a person's name, when there is one with a country."""
        doc = ent.doc
        place = self.entity_of.get(ent.start - 1)
        if place is None or place.label_ not in {"GPE", "LOC"}:
            return None
        prep = place.start - 1
        if prep < 1 or doc[prep].lower_ not in {"to", "in", "at"}:
            return None
        role_tok = doc[prep - 1]
        if role_tok.lemma_.lower() not in ENVOY_ROLES:
            return None
        envoy = self.found.heads.get(role_tok.i)
        return envoy if envoy is not None and envoy.country else None

    def _role_actor(self, head: Token, phrase: list[Token]) -> Actor | None:
        found = self._role(head)
        if found is None:
            return None
        lemma, role = found
        country = self._modifier_country(head, phrase)
        definite = any(t.lower_ in {"the", "this", "that"} for t in phrase[:1]) and not (
            head.tag_ in {"NNS", "NNPS"} and head.lemma_.lower() in MULTI_PARTY_ROLES
        )
        # "the governor" / "the North Korean leader": someone already named
        if definite:
            earlier = self._earlier_role(lemma, country)
            if earlier is not None:
                return self._same_as(phrase, earlier)
        collective = head.tag_ in {"NNS", "NNPS"} or any(
            t.lower_ in {"both", "two", "all", "each"} or t.pos_ == "NUM" for t in phrase
        )
        if country is None:
            # a role with no country ("a regional governor", "police") belongs, most likely,
            # to the country the story is in: for a group, the one its own sentence names
            # ("police fired tear gas in the Tunisian capital"); "the two leaders" could be
            # anyone's
            several = (
                any(t.lower_ in {"both", "two", "each"} for t in phrase)
                or (collective and head.lemma_.lower() in MULTI_PARTY_ROLES)
                or any(t.lower_ in MANY_COUNTRY_WORDS for t in phrase)
            )
            if self.home and not several:
                # "PESHAWAR: Police arrested ...": the dateline's country
                country = self.home
                self.found.guessed[phrase[0].idx] = "article"
            else:
                context = self._context_countries(head, same_sentence=collective)
                country = context[0] if context and not several else None
                if country:
                    self.found.guessed[phrase[0].idx] = self._basis(head, country)
        text = self.text[phrase[0].idx : phrase[-1].idx + len(phrase[-1].text)]
        name = _clean(text)
        if name.lower().startswith(("a ", "an ")):
            name = name.split(" ", 1)[1]
        return self._actor(
            phrase,
            name=name,
            country=country,
            sector=role.sector,  # type: ignore[attr-defined]
            kind=role.kind,  # type: ignore[attr-defined]
        )

    def _earlier_role(self, lemma: str, country: str | None) -> Actor | None:
        for earlier_lemma, actor in reversed(self.roles):
            if earlier_lemma == lemma.split()[-1] and (country is None or actor.country == country):
                return actor
        if lemma in {"leader", "president", "prime minister", "head of state"} and country:
            for person in reversed(self.people):
                if person.country == country and person.sector in {"GOV", None}:
                    return person
        return None

    def _modifier_states(self) -> None:
        """'Israeli' in "an Israeli airstrike", 'U.S.' in "U.S. sanctions": the state itself,
        for events told by a noun whose only party is its modifier."""
        for ent in self.ents:
            head = _entity_head(ent)
            if head.dep_ not in {"amod", "compound", "nmod"} or ent.label_ not in {"NORP", "GPE"}:
                continue
            if head.i in self.found.heads:
                continue
            text = _clean(ent.text)
            country = self.kb.country_of_adjective(text) or self.kb.country_of_name(text)
            if country is None:
                continue
            tokens = list(self.doc[ent.start : head.i + 1])
            actor = self._actor(
                tokens,
                name=self.kb.country_name(country) or text,
                country=country,
                sector=None,
                kind="state",
            )
            self.found.add(actor, tokens, head)

    def _acronyms(self) -> None:
        """ "Iran's Ministry of Defense and Armed Forces Logistics (MODAFL)": later mentions of
        the acronym are coded as the name it was introduced with."""
        defined: dict[str, Actor] = {}
        for actor in list(self.found.mentions):
            after = self.text[actor.span[1] : actor.span[1] + 40]
            stripped = after.lstrip()
            if stripped.startswith("(") and ")" in stripped:
                acronym = stripped[1 : stripped.index(")")].strip()
                if acronym.isupper() and 2 <= len(acronym) <= 10 and actor.country:
                    defined[acronym] = actor
        if not defined:
            return
        for index, actor in enumerate(self.found.mentions):
            source = defined.get(_clean(actor.text))
            if source is None or actor.country:
                continue
            coded = actor.model_copy(
                update={
                    "name": source.name,
                    "country": source.country,
                    "sector": source.sector,
                    "kind": source.kind,
                    "country_basis": source.country_basis,
                }
            )
            self.found.mentions[index] = coded
            for table in (self.found.by_token, self.found.heads):
                for key, value in table.items():
                    if value is actor:
                        table[key] = coded

    def run(self) -> ActorMentions:
        self._modifier_states()
        for head in self.doc:
            if head.pos_ not in {"NOUN", "PROPN", "PRON"} or head.dep_ in {"compound", "amod"}:
                continue
            if head.pos_ == "PRON":
                continue
            phrase = _np_tokens(head)
            ent = self._entity_at(head) or self._name_cut_short(head)
            actor: Actor | None = None
            if ent is not None and _entity_head(ent).i == head.i:
                phrase = sorted({*phrase, *ent}, key=lambda t: t.i)
                phrase = list(self.doc[phrase[0].i : head.i + 1])
                if ent.label_ == "PERSON" or self._titled_name(ent):
                    actor = self._person(head, ent, phrase)
                    self.people.append(actor)
                else:
                    actor = self._named(head, ent, phrase)
            elif ent is None:
                actor = self._role_actor(head, phrase)
                if actor is not None:
                    self.roles.append((head.lemma_.lower(), actor))
                else:
                    earlier = self._earlier_organisation(head, phrase)
                    actor = self._same_as(phrase, earlier) if earlier is not None else None
            if actor is not None:
                self.found.add(actor, phrase, head)
        self._acronyms()
        self.found.sorted()
        return self.found


def find_actors(
    doc: Doc, kb: KnowledgeBase | None = None, home: str | None = None
) -> ActorMentions:
    """Every actor mention in the document, coded. ``home``: the country of the article's
    dateline, which a role named with no country of its own ("the foreign minister",
    "police") belongs to; without one, the country its context names."""
    return _Coder(doc, kb or knowledge_base(), home).run()
