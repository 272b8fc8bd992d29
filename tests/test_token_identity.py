"""spaCy builds a new ``Token`` object on every access, so ``tok.head is tok`` is never true and
``a is b`` says nothing about two tokens: a loop that climbed to the root that way never ended
on a sentence whose root is not a verb (a headline such as "New Delhi talks between India and
Pakistan" hung the extractor for ever). Tokens are compared by index or with ``==``.

Two kinds of test: a guard that no identity test on a spaCy object comes back into the source,
and, for each function that had one, a text of our own that reaches that function (checked
with a tracer, so that the test cannot silently stop exercising it), finishes in well under a
second and gives the events a reader sees.
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest

import eventwire
from eventwire import pipeline
from eventwire.deadline import time_limit

SOURCE = Path(eventwire.__file__).parent
# Names that hold spaCy tokens or spans in the extract stages. (A Doc is one Python object for
# as long as it lives, so "is" between docs is sound: nlp.view caches by it.)
SPACY_NAMES = {
    "tok", "token", "verb", "noun", "obj", "child", "trigger", "trigger_tok", "patient",
    "subject", "governor", "root", "head", "span", "sent", "anchor", "mark", "clause",
}  # fmt: skip


def _spacy_like(node: ast.expr) -> bool:
    if isinstance(node, ast.Attribute):
        return node.attr in SPACY_NAMES or _spacy_like(node.value)
    return isinstance(node, ast.Name) and node.id in SPACY_NAMES


def test_no_identity_comparison_of_spacy_objects_in_the_source() -> None:
    found = []
    for path in sorted(SOURCE.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Compare):
                continue
            operands = [node.left, *node.comparators]
            for op, left, right in zip(node.ops, operands, operands[1:], strict=False):
                if not isinstance(op, ast.Is | ast.IsNot):
                    continue
                if isinstance(left, ast.Constant) or isinstance(right, ast.Constant):
                    continue  # "is None"
                if _spacy_like(left) or _spacy_like(right):
                    found.append(f"{path.relative_to(SOURCE)}:{node.lineno}: {ast.unparse(node)}")
    assert not found, "compare spaCy objects by .i or ==, not by identity:\n" + "\n".join(found)


def _run(text: str) -> tuple[set[str], list[tuple]]:
    """The events of ``text`` (type, actor country, recipient country, status, place) and the
    names of the eventwire functions its analysis called."""
    pipeline.warm_up()
    called: set[str] = set()

    def tracer(frame, event, arg):  # noqa: ARG001
        if event == "call" and str(SOURCE) in frame.f_code.co_filename:
            called.add(frame.f_code.co_name)

    sys.setprofile(tracer)
    try:
        with time_limit(5.0):
            events = eventwire.extract(text, published="2024-03-04")
    finally:
        sys.setprofile(None)
    return called, [
        (
            e.event_type,
            e.actor.country if e.actor else None,
            e.recipient.country if e.recipient else None,
            e.status,
            e.location.text if e.location else None,
        )
        for e in events
    ]


CASES = [
    # (the function that had an identity test, a text that reaches it, an event it must give)
    ("_governing_verbs", "New Delhi talks between India and Pakistan", ("CONSULT",)),
    ("_event_place", "Talks between India and Pakistan in New Delhi ended on Monday.",
     ("CONSULT", "IND", "PAK", "asserted", "New Delhi")),
    ("own_clause", "Police arrested 20 protesters in Dhaka after they blocked a road.",
     ("COERCE", "BGD", "BGD", "asserted", "Dhaka")),
    ("_subject", "The ministry published a report and stated that Russian troops had "
     "withdrawn from the border.", ("RETREAT", "RUS", None, "reported")),
    ("_head_verb", "Talks between India and Pakistan in New Delhi ended on Monday.",
     ("CONSULT", "IND", "PAK", "asserted")),
    ("_is_future", "Talks between India and Pakistan in New Delhi ended on Monday.",
     ("CONSULT", "IND", "PAK", "asserted")),
    ("_climb", "Protesters marched in Lyon and Marseille, France.", ("PROTEST", "FRA")),
    ("hypothetical", "Iran threatened to close the strait if the sanctions continue to expand.",
     ("THREATEN", "IRN")),
    ("verb_arguments", "Twenty Russian diplomats were expelled by Britain.",
     ("SANCTION", "GBR", "RUS", "asserted")),
    ("_recipient_candidates", "Twenty Russian diplomats were expelled by Britain.",
     ("SANCTION", "GBR", "RUS", "asserted")),
    ("noun_arguments", "Talks between India and Pakistan in New Delhi ended on Monday.",
     ("CONSULT", "IND", "PAK")),
    ("governing_status", "The ministry denied that Israeli troops had attacked the village.",
     ("ASSAULT", "ISR", None, "denied")),
    ("commitment_reading", "Japan pledged to send aid to Turkey.",
     ("AGREE", "JPN", "TUR", "asserted")),
]  # fmt: skip


@pytest.mark.parametrize(("function", "text", "expected"), CASES, ids=[c[0] for c in CASES])
def test_each_fixed_site_is_reached_and_gives_its_event(function, text, expected) -> None:
    called, events = _run(text)
    assert function in called, f"{text!r} no longer reaches {function}"
    assert any(event[: len(expected)] == expected for event in events), events
