"""Tests of the gold loader and the event scorer, on hand-written fixtures and stub extractors."""

from __future__ import annotations

import itertools
import json
import random
from datetime import date
from pathlib import Path

import pytest

from eventwire.eval import (
    GoldArticle,
    GoldEvent,
    GoldFormatError,
    GoldParty,
    evaluate,
    load_gold_dir,
    match_article,
)
from eventwire.eval.events import _max_weight_assignment, check_fields, loose_match
from eventwire.model import Actor, Attribution, DateRef, Event, Evidence, Place, Quantity

FIXTURES = Path(__file__).parent / "fixtures" / "eval"


def ev(
    kind: str,
    actor: str | None,
    recipient: str | None = None,
    *,
    status: str = "asserted",
    reciprocal: bool = False,
    mode: str | None = None,
    when: str | None = None,
    place: tuple[str, str | None] | None = None,
    source: str | None = None,
    quantities: tuple[tuple[float, str], ...] = (),
    evidence: str = "some words",
) -> Event:
    """A hand-made prediction. ``recipient=None`` means no recipient, ``""`` an uncoded one."""
    return Event(
        id=f"{kind}-{actor}-{recipient}-{evidence}",
        article_id="a",
        event_type=kind,
        mode=mode,
        actor=None if actor is None else Actor(text="x", country=actor or None, span=(0, 1)),
        recipient=(
            None if recipient is None else Actor(text="y", country=recipient or None, span=(2, 3))
        ),
        reciprocal=reciprocal,
        date=DateRef(text="d", value=when) if when else None,
        location=Place(text=place[0], country=place[1]) if place else None,
        attribution=Attribution(source=source, source_type="media") if source else None,
        status=status,
        quantities=[Quantity(text=f"{v:g} {item}", value=v, item=item) for v, item in quantities],
        evidence=Evidence(start=0, end=len(evidence), text=evidence),
        confidence=0.5,
    )


def gold(*events: GoldEvent, published: date | None = None) -> GoldArticle:
    return GoldArticle(
        id="g", text_path=FIXTURES / "pact.txt", published=published, events=list(events), raw={}
    )


def ge(
    kind: str | tuple[str, ...],
    actor: str | tuple[str, ...] | None,
    recipient: str | tuple[str, ...] | None = None,
    *,
    required: bool = True,
    symmetric: bool = False,
    **fields: object,
) -> GoldEvent:
    def party(c: str | tuple[str, ...] | None) -> GoldParty:
        return GoldParty(countries=None if c is None else ((c,) if isinstance(c, str) else c))

    return GoldEvent(
        id=f"{kind}-{actor}-{recipient}",
        required=required,
        event_types=(kind,) if isinstance(kind, str) else kind,
        actor=party(actor),
        recipient=party(recipient),
        symmetric=symmetric,
        **fields,  # type: ignore[arg-type]
    )


# --- loader ----------------------------------------------------------------------------------

def test_load_gold_dir_reads_every_variant() -> None:
    articles = load_gold_dir(FIXTURES)
    assert [a.id for a in articles] == ["farm-protest", "pact", "summit"]
    protest, pact, summit = articles
    assert protest.published is None
    assert summit.published == date(2024, 3, 7)
    assert summit.text_path == (FIXTURES / "summit.txt").resolve()
    assert summit.read_text().startswith("Portugal's prime minister")
    assert [e.required for e in summit.events] == [True, False, True, True]
    meeting = summit.events[0]
    assert meeting.symmetric and meeting.mode == ("meeting", "visit", None)
    assert meeting.location_names == ("Lisbon",) and meeting.source == ("Lusa",)
    assert summit.events[3].quantities[0].value == 40
    assert protest.events[0].any_recipient
    assert protest.events[1].actor.countries == ("IGO",)
    assert pact.events[0].actor.countries == ("FRA", "DEU")
    assert not pact.events[0].status_informative
    assert summit.events[2].status_informative


def test_load_single_file_and_errors(tmp_path: Path) -> None:
    assert [a.id for a in load_gold_dir(FIXTURES / "pact.gold.json")] == ["pact"]
    with pytest.raises(GoldFormatError, match="no \\*.gold.json"):
        load_gold_dir(tmp_path)
    with pytest.raises(FileNotFoundError):
        load_gold_dir(tmp_path / "nowhere")
    raw = json.loads((FIXTURES / "pact.gold.json").read_text(encoding="utf-8"))
    raw["article"]["file"] = "missing.txt"
    (tmp_path / "x.gold.json").write_text(json.dumps(raw), encoding="utf-8")
    with pytest.raises(FileNotFoundError, match="missing.txt"):
        load_gold_dir(tmp_path)
    raw["format"] = "other/2"
    (tmp_path / "x.gold.json").write_text(json.dumps(raw), encoding="utf-8")
    with pytest.raises(GoldFormatError, match="format"):
        load_gold_dir(tmp_path)
    raw["format"] = "eventwire-gold/1"
    raw["article"]["file"] = str(FIXTURES / "pact.txt")
    raw["events"][0]["event_type"] = ["HUG"]
    (tmp_path / "x.gold.json").write_text(json.dumps(raw), encoding="utf-8")
    with pytest.raises(GoldFormatError, match="HUG"):
        load_gold_dir(tmp_path)


# --- matching --------------------------------------------------------------------------------

def test_type_and_countries_must_agree() -> None:
    g = gold(ge("ACCUSE", "PRT", "VEN"))
    assert match_article(g, [ev("ACCUSE", "PRT", "VEN")]).tp == 1
    for wrong in (ev("REJECT", "PRT", "VEN"), ev("ACCUSE", "PRT", "CUB"), ev("ACCUSE", "", "VEN")):
        r = match_article(g, [wrong])
        assert (r.tp, r.fp, r.fn) == (0, 1, 1)


def test_order_matters_unless_symmetric_or_reciprocal() -> None:
    one_way = gold(ge("ACCUSE", "PRT", "VEN"))
    assert match_article(one_way, [ev("ACCUSE", "VEN", "PRT")]).tp == 0
    r = match_article(one_way, [ev("ACCUSE", "VEN", "PRT", reciprocal=True)])
    assert r.tp == 1 and r.matches[0].reversed
    both_ways = gold(ge("CONSULT", "PRT", "BRA", symmetric=True))
    assert match_article(both_ways, [ev("CONSULT", "BRA", "PRT")]).tp == 1


def test_recipient_rules() -> None:
    any_recipient = gold(ge("PROTEST", "ESP", None))
    for recipient in (None, "", "ESP", "FRA"):
        assert match_article(any_recipient, [ev("PROTEST", "ESP", recipient)]).tp == 1
    # A prediction without a recipient only fits gold that accepts any recipient.
    r = match_article(gold(ge("ACCUSE", "PRT", "VEN")), [ev("ACCUSE", "PRT", None)])
    assert (r.tp, r.fp, r.fn) == (0, 1, 1)
    r = match_article(gold(ge("ACCUSE", "PRT", "VEN")), [ev("ACCUSE", "PRT", "")])
    assert r.tp == 0


def test_null_actor_country_and_igo() -> None:
    g = gold(ge("ASSAULT", None, "IRQ"), ge("REQUEST", "IGO", "ESP"))
    r = match_article(g, [ev("ASSAULT", None, "IRQ"), ev("REQUEST", "igo", "ESP")])
    assert (r.tp, r.fp, r.fn) == (2, 0, 0)
    assert match_article(gold(ge("ASSAULT", None, "IRQ")), [ev("ASSAULT", "SYR", "IRQ")]).tp == 1


def test_compound_country_lists() -> None:
    g = gold(ge("AGREE", ("FRA", "DEU"), None, symmetric=True))
    assert match_article(g, [ev("AGREE", "FRA", "DEU", reciprocal=True)]).tp == 1
    assert match_article(g, [ev("AGREE", "DEU", None)]).tp == 1
    assert match_article(g, [ev("AGREE", "ITA", "FRA")]).tp == 1  # reversed: FRA as actor
    assert match_article(g, [ev("AGREE", "ITA", "ESP")]).tp == 0
    targets = gold(ge("THREATEN", "IRN", ("USA", "ISR")))
    assert match_article(targets, [ev("THREATEN", "IRN", "ISR")]).tp == 1


def test_a_null_in_a_country_list_also_accepts_a_party_with_no_country(tmp_path: Path) -> None:
    (tmp_path / "bomb.txt").write_text("A car bomb killed five people.", encoding="utf-8")
    (tmp_path / "bomb.gold.json").write_text(json.dumps({
        "format": "eventwire-gold/1", "article": {"file": "bomb.txt"},
        "events": [{"event_type": "ASSAULT", "actor": {"country": ["IRQ", None]},
                    "recipient": {"country": "IRQ"}}],
    }), encoding="utf-8")  # fmt: skip
    (article,) = load_gold_dir(tmp_path)
    party = article.events[0].actor
    assert party.countries == ("IRQ",) and party.accepts_none and party.label() == "IRQ|-"
    assert match_article(article, [ev("ASSAULT", "", "IRQ")]).tp == 1  # no country: accepted
    assert match_article(article, [ev("ASSAULT", "IRQ", "IRQ")]).tp == 1
    assert match_article(article, [ev("ASSAULT", "SYR", "IRQ")]).tp == 0
    strict = gold(ge("ASSAULT", "IRQ", "IRQ"))  # without the null, a country is needed
    assert match_article(strict, [ev("ASSAULT", "", "IRQ")]).tp == 0


def test_optional_gold_is_neither_rewarded_nor_punished() -> None:
    g = gold(ge("CONSULT", "PRT", "BRA"), ge(("AGREE", "COOPERATE"), "PRT", "BRA", required=False))
    r = match_article(g, [ev("COOPERATE", "PRT", "BRA")])
    assert (r.tp, r.fp, r.fn) == (0, 0, 1)
    assert len(r.optional_matches) == 1
    # When a prediction fits both, the required event takes it.
    g = gold(ge("AGREE", "PRT", "BRA", required=False), ge("AGREE", "PRT", "BRA"))
    r = match_article(g, [ev("AGREE", "PRT", "BRA")])
    assert (r.tp, r.fp, r.fn) == (1, 0, 0) and not r.optional_matches


def test_assignment_is_one_to_one_and_not_greedy() -> None:
    g = gold(ge("ACCUSE", "PRT", "VEN"))
    r = match_article(g, [ev("ACCUSE", "PRT", "VEN"), ev("ACCUSE", "PRT", "VEN")])
    assert (r.tp, r.fp, r.fn) == (1, 1, 0)
    # The first prediction fits both gold events, the second only the first: a greedy pass
    # would give the first gold to the first prediction and lose one match.
    g = gold(ge(("AGREE", "CONSULT"), "PRT", "BRA"), ge("CONSULT", "PRT", "BRA", symmetric=True))
    r = match_article(g, [ev("CONSULT", "BRA", "PRT"), ev("AGREE", "PRT", "BRA")])
    assert (r.tp, r.fp, r.fn) == (2, 0, 0)


def test_assignment_prefers_agreeing_fields() -> None:
    g = gold(
        ge("CONSULT", "PRK", "RUS", symmetric=True, date=("2023-09-13",)),
        ge("CONSULT", "PRK", "RUS", symmetric=True, date=("2023-09-16",)),
    )
    preds = [ev("CONSULT", "RUS", "PRK", when="2023-09-16"), ev("CONSULT", "PRK", "RUS",
                                                                 when="2023-09-13")]
    r = match_article(g, preds)
    assert r.tp == 2 and r.field_counts()["date"] == (2, 2)


def test_max_weight_assignment_is_exact() -> None:
    rng = random.Random(7)
    for _ in range(200):
        rows, cols = rng.randint(0, 5), rng.randint(0, 5)
        w = [[rng.choice([0, 0, 1, 3, 8]) for _ in range(cols)] for _ in range(rows)]
        pairs = _max_weight_assignment(w)
        assert len({r for r, _ in pairs}) == len(pairs) == len({c for _, c in pairs})
        best = 0
        small, large = (rows, cols) if rows <= cols else (cols, rows)
        for perm in itertools.permutations(range(large), small):
            total = sum(
                w[i][perm[i]] if rows <= cols else w[perm[i]][i] for i in range(small)
            )
            best = max(best, total)
        assert sum(w[r][c] for r, c in pairs) == best


# --- fields ----------------------------------------------------------------------------------

def test_loose_match() -> None:
    assert loose_match("the Lusa news agency", "Lusa")
    assert loose_match("U.S. Treasury", "US Treasury")
    assert loose_match("The Kremlin", "kremlin")
    assert loose_match("Primorsky Krai", "Primorsky")
    assert not loose_match("Tassie", "TASS")
    assert not loose_match("", "TASS") and not loose_match(None, "TASS")


def test_field_checks() -> None:
    g = ge(
        "AID", "PRT", "MOZ",
        status=("reported",), source=("Lusa",), date=("2024-03-05",),
        location_country=("PRT",), location_names=("Lisbon",), mode=("humanitarian", None),
    )
    good = ev("AID", "PRT", "MOZ", status="reported", source="Lusa agency", when="2024-03-05",
              place=("central Lisbon", None))
    assert all(c.correct for c in check_fields(g, good))
    assert {c.name for c in check_fields(g, good)} == {
        "status", "source", "date", "location", "mode"}
    bad = ev("AID", "PRT", "MOZ", status="asserted", when="2024-03-04", place=("Porto", "ESP"),
             mode="military")
    assert not any(c.correct for c in check_fields(g, bad))
    by_country = ev("AID", "PRT", "MOZ", place=("Porto", "PRT"))
    assert [c.correct for c in check_fields(g, by_country) if c.name == "location"] == [True]
    # Fields the gold leaves out are not scored; "every status" means status was not coded.
    bare = ge("AID", "PRT", "MOZ", status=("asserted", "reported", "denied", "speculated",
                                            "planned"))
    assert check_fields(bare, bad) == []


def test_quantities_field() -> None:
    from eventwire.eval.gold import GoldQuantity

    g = ge("AID", "RUS", "PRK", quantities=(GoldQuantity(5, "drone"), GoldQuantity(1, "drone")))
    good = ev("AID", "RUS", "PRK", quantities=((5, "kamikaze drones"), (1, "drone")))
    assert [c.correct for c in check_fields(g, good)] == [True]
    half = ev("AID", "RUS", "PRK", quantities=((5, "drones"),))
    assert [c.correct for c in check_fields(g, half)] == [False]


# --- the whole evaluation --------------------------------------------------------------------

def stub_extractor() -> tuple[dict, list]:
    """Predictions per fixture text, and a record of the calls."""
    by_start = {
        "Portugal's": [
            ev("CONSULT", "BRA", "PRT", status="reported", source="Lusa", when="2024-03-05",
               place=("Lisbon", "PRT"), mode="meeting", evidence="met the Brazilian president"),
            ev("AGREE", "PRT", "BRA", reciprocal=True, evidence="signed a pact"),
            ev("ACCUSE", "PRT", "VEN", status="reported", evidence="Portugal accused Venezuela"),
            ev("ASSAULT", "VEN", "PRT", evidence="jailing two of its citizens"),
        ],
        "Farmers": [
            ev("PROTEST", "ESP", None, mode="protest", place=("Madrid", "ESP"), status="planned",
               evidence="Farmers blocked the roads"),
        ],
        "French": [ev("AGREE", "FRA", "DEU", reciprocal=True, status="planned")],
    }
    calls: list = []

    def extract(text: str, published: date | None) -> list[Event]:
        calls.append((text.split()[0], published))
        return by_start[text.split()[0]]

    return extract, calls


def test_evaluate_end_to_end() -> None:
    extract, calls = stub_extractor()
    report = evaluate(FIXTURES, extract)
    assert calls == [("Farmers", None), ("French", date(2000, 1, 1)),
                     ("Portugal's", date(2024, 3, 7))]
    s = report.summary()
    json.dumps(s)
    # Required: meeting, accuse, flour, blockade, un-request, pact-e1 = 6; found 4.
    assert (s["tp"], s["fp"], s["fn"]) == (4, 1, 2)
    assert s["optional_matched"] == 1
    assert s["precision"] == pytest.approx(0.8) and s["recall"] == pytest.approx(4 / 6, abs=1e-4)
    assert s["f1"] == pytest.approx(2 * 0.8 * (4 / 6) / (0.8 + 4 / 6), abs=1e-4)
    fields = s["fields"]
    assert fields["status"] == {"correct": 2, "total": 3, "accuracy": pytest.approx(0.6667)}
    assert (fields["source"]["correct"], fields["source"]["total"]) == (1, 1)
    assert (fields["date"]["correct"], fields["date"]["total"]) == (1, 1)
    assert (fields["location"]["correct"], fields["location"]["total"]) == (2, 2)
    assert (fields["mode"]["correct"], fields["mode"]["total"]) == (1, 2)
    assert fields["quantities"]["total"] == 0 and fields["quantities"]["accuracy"] is None
    assert s["by_type"]["ASSAULT"] == {"tp": 0, "fp": 1, "fn": 0}
    assert {a["id"]: (a["tp"], a["fp"], a["fn"]) for a in s["per_article"]} == {
        "farm-protest": (1, 0, 1), "pact": (1, 0, 0), "summit": (2, 1, 1)}

    text = report.format_text()
    assert "MISS  REQUEST IGO -> ESP" in text
    assert "MISS  AID PRT -> MOZ [asserted]" in text
    assert 'FP    ASSAULT VEN -> PRT [asserted] "jailing two of its citizens"' in text
    assert "FIELD" not in text
    verbose = report.format_text(verbose=True)
    assert "FIELD mode: got 'protest'" in verbose
    assert "OPT   AGREE PRT <-> BRA" in verbose


def test_extractor_errors_name_the_article() -> None:
    def broken(text: str, published: date | None) -> list[Event]:
        raise ValueError("boom")

    with pytest.raises(RuntimeError, match="farm-protest.*boom"):
        evaluate(FIXTURES, broken)
