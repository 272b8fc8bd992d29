"""Score eventwire's attribution finder (who said what) against PolNeAR.

The gold is the development split of PolNeAR (Newell, Margolin & Ruths, LREC 2018): political
news articles as raw text files and brat standoff ``.ann`` files. Each attribution is a brat
event whose arguments are text-bound ``Source``, ``Cue`` and ``Content`` annotations (a second
content piece is a ``Content2`` argument); the event type is ``Attribution`` or
``Attribution-no-source``. ``Discuss`` and ``Discard`` annotations and the event trigger spans
are not scored.

Choices made here, so that the numbers can be read:

* One annotation per article. Some articles were annotated by several people; their files
  share the article name and end with a 4-character annotator suffix (``name_xxxx.ann``). The
  first file in sorted file-name order is used and the others are set aside (and counted), so
  that an article annotated twice does not weigh twice.
* Texts are read as UTF-8 with ``newline=""`` so that offsets are those of the ``.ann``. The
  text brat quotes for each gold span is compared with the text at its offsets (fragments
  joined by a space); spans that differ are kept, as the offsets are what gets scored, and
  counted as offset mismatches in the report.
* A discontinuous span (``Content 315 448;463 553``) keeps its parts, but matching uses its
  overall extent, from the smallest start to the largest end; so a prediction that falls in
  the gap between two parts still overlaps it.
* Per role (source, cue, content) the gold spans are the arguments of the attribution events,
  each extent counted once (one source often speaks several times); predicted spans likewise.
  Precision, recall and F1 are given with exact extents and with overlap. Each gold span is
  matched to at most one prediction, greedily: exact extents first, then the largest overlap.
* Attribution level: a predicted attribution matches a gold one when their cues overlap and,
  if the gold attribution has a source, the predicted source overlaps it. A gold attribution
  without a source is matched by any predicted attribution whose cue overlaps, whatever
  source (or none) the prediction names: there is no gold source to hold it to. The rule keys
  on whether a ``Source`` argument is present, not on the event type's name. Matching is one
  to one and greedy (exact cue first, then largest cue overlap, then largest source overlap).
  The same is also reported with cue overlap alone.
* A gold attribution without a cue (an implicit cue) can never satisfy a rule that needs a
  cue overlap, so it is left out of the attribution-level gold and reported as
  ``gold_without_cue``; its source and content still count in the per-role scores. A brat
  event with no arguments at all is an annotation leftover: it is dropped and counted.
* Predictions are ``find_attributions`` plus ``find_article_source`` where it finds a
  "Source: X" credit line (its content is the whole text).

The human ceiling quoted in the report is the corpus README's: attribution-wise
inter-annotator agreement 92.3%, token-wise Krippendorff's alpha 75.4%. It is agreement
between people, not an F1 against gold, and is printed only as context.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from spacy.tokens import Doc

from eventwire.eval.scores import add_counts, precision_recall_f1

__all__ = [
    "Attr",
    "AttributionDoc",
    "AttributionReport",
    "Corpus",
    "Counts",
    "DocResult",
    "RoleCounts",
    "Span",
    "article_key",
    "evaluate_attribution",
    "load_ann",
    "load_corpus",
    "match_attributions",
    "match_spans",
    "predict",
    "role_spans",
    "score_doc",
]

ROLES = ("source", "cue", "content")
HUMAN_ATTRIBUTION_AGREEMENT = 0.923
HUMAN_TOKEN_ALPHA = 0.754
# brat argument roles (a trailing number marks a repeated role: Content2) to scored roles.
_ARG_ROLES = {"Source": "source", "Cue": "cue", "Content": "content"}
_ANNOTATOR = re.compile(r"^(?P<key>.+)_(?P<who>[0-9A-Za-z]{4})$")


@dataclass(frozen=True)
class Span:
    """A text span, possibly in several parts; matched on its extent."""

    parts: tuple[tuple[int, int], ...]
    text: str = ""

    @property
    def start(self) -> int:
        return min(a for a, _ in self.parts)

    @property
    def end(self) -> int:
        return max(b for _, b in self.parts)

    @property
    def extent(self) -> tuple[int, int]:
        return self.start, self.end


@dataclass(frozen=True)
class Attr:
    """One attribution, gold or predicted: who (source), the cue, and what (content)."""

    source: Span | None
    cue: Span | None
    content: tuple[Span, ...] = ()
    ident: str = ""


@dataclass
class AttributionDoc:
    name: str
    annotation: str
    text: str
    gold: list[Attr]
    # Gold spans whose quoted text in the .ann differs from the text at their offsets.
    mismatches: int = 0
    # Events with no arguments, arguments naming no span, and lines that could not be read.
    dropped: int = 0

    @property
    def publisher(self) -> str:
        return self.name.split("_", 1)[0]


# --- reading brat standoff -----------------------------------------------------------------


def article_key(path: Path) -> str:
    """The article a .ann file annotates: its stem without the annotator suffix."""
    found = _ANNOTATOR.match(path.stem)
    return found.group("key") if found else path.stem


def _offsets(field_: str) -> tuple[tuple[int, int], ...]:
    parts = []
    for piece in field_.split(";"):
        start, end = piece.split()
        parts.append((int(start), int(end)))
    return tuple(parts)


def load_ann(path: Path, text_path: Path | None = None) -> AttributionDoc:
    """One article: its text and the attribution events of one .ann file.

    Without ``text_path`` the text is looked for as ``../text/<article>.txt`` (the PolNeAR
    layout), then next to the .ann file.
    """
    path = Path(path)
    key = article_key(path)
    if text_path is None:
        text_path = _text_for(path)
        if text_path is None:
            raise FileNotFoundError(f"no text file for {path.name} ({key}.txt)")
    with open(text_path, encoding="utf-8", newline="") as fh:
        text = fh.read()
    with open(path, encoding="utf-8", newline="") as fh:
        lines = fh.read().splitlines()

    spans: dict[str, tuple[str, Span]] = {}
    events: list[tuple[str, list[tuple[str, str]]]] = []
    dropped = 0
    for line in lines:
        if not line.strip():
            continue
        columns = line.split("\t")
        ident = columns[0]
        try:
            if ident.startswith("T"):
                label, _, where = columns[1].partition(" ")
                parts = _offsets(where)
                quoted = columns[2] if len(columns) > 2 else ""
                spans[ident] = (label, Span(parts, quoted))
            elif ident.startswith("E"):
                words = columns[1].split()
                kind = words[0].split(":", 1)[0]
                if not kind.startswith("Attribution"):
                    continue
                args = [tuple(w.split(":", 1)) for w in words[1:]]
                events.append((ident, [(role, ref) for role, ref in args]))
        except (IndexError, ValueError):
            dropped += 1

    gold: list[Attr] = []
    checked: set[str] = set()
    mismatches = 0
    for ident, args in events:
        found: dict[str, list[Span]] = {role: [] for role in ROLES}
        for role, ref in args:
            name = _ARG_ROLES.get(role.rstrip("0123456789"))
            if name is None:
                continue
            if ref not in spans:
                dropped += 1
                continue
            span = spans[ref][1]
            if ref not in checked:
                checked.add(ref)
                actual = " ".join(text[a:b] for a, b in span.parts)
                if actual != span.text or span.end > len(text):
                    mismatches += 1
            found[name].append(span)
        if not any(found.values()):
            dropped += 1
            continue
        gold.append(Attr(
            source=found["source"][0] if found["source"] else None,
            cue=found["cue"][0] if found["cue"] else None,
            content=tuple(found["content"]),
            ident=ident,
        ))
    return AttributionDoc(key, path.name, text, gold, mismatches, dropped)


def _text_for(ann: Path) -> Path | None:
    key = article_key(ann)
    for candidate in (ann.parent.parent / "text" / f"{key}.txt", ann.parent / f"{key}.txt",
                      ann.with_suffix(".txt")):
        if candidate.is_file():
            return candidate
    return None


def _ann_folder(path: Path) -> Path:
    for candidate in (path / "polnear-dev" / "attributions", path / "attributions", path):
        if candidate.is_dir() and any(candidate.glob("*.ann")):
            return candidate
    raise FileNotFoundError(f"no .ann files in {path} (nor in polnear-dev/attributions/)")


@dataclass
class Corpus:
    docs: list[AttributionDoc]
    set_aside: list[str] = field(default_factory=list)  # further annotators' files
    missing_text: list[str] = field(default_factory=list)


def load_corpus(path: Path, limit: int | None = None) -> Corpus:
    """The articles under ``path`` (the ``attribution/`` folder, ``polnear-dev/``, its
    ``attributions/`` folder, or one .ann file), one annotation each, the first ``limit``."""
    path = Path(path)
    files = [path] if path.is_file() else sorted(_ann_folder(path).glob("*.ann"))
    chosen: dict[str, Path] = {}
    set_aside: list[str] = []
    for ann in sorted(files, key=lambda p: p.name):
        key = article_key(ann)
        if key in chosen:
            set_aside.append(ann.name)
        else:
            chosen[key] = ann
    keys = sorted(chosen)
    if limit is not None:
        keys = keys[:limit]
    corpus = Corpus([], set_aside)
    for key in keys:
        text_path = _text_for(chosen[key])
        if text_path is None:
            corpus.missing_text.append(chosen[key].name)
            continue
        corpus.docs.append(load_ann(chosen[key], text_path))
    return corpus


# --- predicting ----------------------------------------------------------------------------


def _span(text: str, where: tuple[int, int] | None) -> Span | None:
    if where is None:
        return None
    start, end = where
    return Span(((start, end),), text[start:end])


def predict(parsed: Doc) -> list[Attr]:
    """eventwire's attributions in one parsed article, as spans."""
    from eventwire.extract.actors import find_actors
    from eventwire.extract.attribution import find_article_source, find_attributions

    actors = find_actors(parsed)
    found = list(find_attributions(parsed, actors))
    article = find_article_source(parsed, actors)
    if article is not None:
        found.append(article)
    text = parsed.text
    out = []
    for a in found:
        content = _span(text, a.content_span)
        out.append(Attr(_span(text, a.span), _span(text, a.cue_span),
                        (content,) if content is not None else ()))
    return out


# --- matching and scoring ------------------------------------------------------------------


def _overlap(a: Span, b: Span) -> int:
    return min(a.end, b.end) - max(a.start, b.start)


def role_spans(attrs: Iterable[Attr], role: str) -> list[Span]:
    """The spans of one role over a document's attributions, each extent once, in order."""
    seen: dict[tuple[int, int], Span] = {}
    for a in attrs:
        spans = a.content if role == "content" else (getattr(a, role),)
        for span in spans:
            if span is not None and span.extent not in seen:
                seen[span.extent] = span
    return [seen[k] for k in sorted(seen)]


def match_spans(gold: Sequence[Span], pred: Sequence[Span]) -> list[tuple[Span | None,
                                                                          Span | None]]:
    """Overlapping gold and predicted spans, one to one: exact extents, then largest overlap.
    Unmatched spans come back paired with None."""
    options = sorted(
        ((gi, pi) for gi, g in enumerate(gold) for pi, p in enumerate(pred)
         if _overlap(g, p) > 0),
        key=lambda ij: (gold[ij[0]].extent != pred[ij[1]].extent,
                        -_overlap(gold[ij[0]], pred[ij[1]]), ij),
    )
    return _pairs(gold, pred, options)


def _pairs(gold: Sequence, pred: Sequence, options: Iterable[tuple[int, int]]) -> list:
    used_g: set[int] = set()
    used_p: set[int] = set()
    pairs: list = []
    for gi, pi in options:
        if gi in used_g or pi in used_p:
            continue
        used_g.add(gi)
        used_p.add(pi)
        pairs.append((gold[gi], pred[pi]))
    pairs += [(g, None) for gi, g in enumerate(gold) if gi not in used_g]
    pairs += [(None, p) for pi, p in enumerate(pred) if pi not in used_p]
    return pairs


def _attr_matches(g: Attr, p: Attr, need_source: bool) -> bool:
    if g.cue is None or p.cue is None or _overlap(g.cue, p.cue) <= 0:
        return False
    if not need_source or g.source is None:
        return True
    return p.source is not None and _overlap(g.source, p.source) > 0


def match_attributions(gold: Sequence[Attr], pred: Sequence[Attr], *,
                       need_source: bool = True) -> list[tuple[Attr | None, Attr | None]]:
    """Gold and predicted attributions paired one to one by the attribution-level rule (see
    the module docstring); ``need_source=False`` asks for cue overlap alone. Gold
    attributions without a cue are left out: no rule here can match them."""
    gold = [g for g in gold if g.cue is not None]

    def rank(ij: tuple[int, int]) -> tuple:
        g, p = gold[ij[0]], pred[ij[1]]
        source = _overlap(g.source, p.source) if g.source and p.source else 0
        return (g.cue.extent != p.cue.extent, -_overlap(g.cue, p.cue),  # type: ignore[union-attr]
                -source, ij)

    options = sorted(
        ((gi, pi) for gi, g in enumerate(gold) for pi, p in enumerate(pred)
         if _attr_matches(g, p, need_source)),
        key=rank,
    )
    return _pairs(gold, pred, options)


def _prf(hits: int, gold: int, pred: int) -> dict[str, float]:
    return precision_recall_f1(hits, pred, hits, gold)


@dataclass
class RoleCounts:
    gold: int = 0
    pred: int = 0
    exact: int = 0
    overlap: int = 0

    def add(self, other: RoleCounts) -> None:
        add_counts(self, other)

    def summary(self) -> dict:
        return {
            "gold": self.gold,
            "predicted": self.pred,
            "exact": _prf(self.exact, self.gold, self.pred),
            "overlap": _prf(self.overlap, self.gold, self.pred),
        }


@dataclass
class Counts:
    roles: dict[str, RoleCounts] = field(
        default_factory=lambda: {role: RoleCounts() for role in ROLES})
    gold: int = 0  # gold attributions with a cue: the attribution-level gold
    gold_without_cue: int = 0
    gold_without_source: int = 0  # among ``gold``
    pred: int = 0
    matched: int = 0
    cue_matched: int = 0

    def add(self, other: Counts) -> None:
        for role in ROLES:
            self.roles[role].add(other.roles[role])
        add_counts(self, other)

    def summary(self) -> dict:
        return {
            "attribution": {
                "gold": self.gold,
                "predicted": self.pred,
                "gold_without_cue": self.gold_without_cue,
                "gold_without_source": self.gold_without_source,
                "matched": self.matched,
                **_prf(self.matched, self.gold, self.pred),
            },
            "attribution_cue_only": {
                "matched": self.cue_matched,
                **_prf(self.cue_matched, self.gold, self.pred),
            },
            "roles": {role: self.roles[role].summary() for role in ROLES},
        }


def score_doc(gold: Sequence[Attr], pred: Sequence[Attr]
              ) -> tuple[Counts, list[tuple[Attr | None, Attr | None]],
                         list[tuple[Attr | None, Attr | None]]]:
    """Count one document's hits; also return the attribution pairs under the full rule and
    under cue overlap alone."""
    counts = Counts()
    for role in ROLES:
        g_spans, p_spans = role_spans(gold, role), role_spans(pred, role)
        pairs = [(g, p) for g, p in match_spans(g_spans, p_spans)
                 if g is not None and p is not None]
        counts.roles[role] = RoleCounts(
            gold=len(g_spans), pred=len(p_spans), overlap=len(pairs),
            exact=sum(g.extent == p.extent for g, p in pairs),
        )
    scorable = [g for g in gold if g.cue is not None]
    counts.gold = len(scorable)
    counts.gold_without_cue = len(gold) - len(scorable)
    counts.gold_without_source = sum(g.source is None for g in scorable)
    counts.pred = len(pred)
    full = match_attributions(gold, pred)
    cue_only = match_attributions(gold, pred, need_source=False)
    counts.matched = sum(g is not None and p is not None for g, p in full)
    counts.cue_matched = sum(g is not None and p is not None for g, p in cue_only)
    return counts, full, cue_only


# --- the report ----------------------------------------------------------------------------


@dataclass
class DocResult:
    name: str
    annotation: str
    counts: Counts
    pairs: list[tuple[Attr | None, Attr | None]] = field(default_factory=list)
    cue_pairs: list[tuple[Attr | None, Attr | None]] = field(default_factory=list)
    mismatches: int = 0
    dropped: int = 0

    @property
    def publisher(self) -> str:
        return self.name.split("_", 1)[0]


def _trim(span: Span | None, width: int = 60) -> str:
    if span is None:
        return "-"
    text = " ".join(span.text.split())
    return repr(text if len(text) <= width else text[: width - 1] + "…")


def _describe(a: Attr) -> str:
    content = a.content[0] if a.content else None
    return f"source {_trim(a.source, 40)} cue {_trim(a.cue, 30)} content {_trim(content)}"


@dataclass
class AttributionReport:
    docs: list[DocResult]
    set_aside: list[str] = field(default_factory=list)
    missing_text: list[str] = field(default_factory=list)

    def _total(self, keep: Callable[[DocResult], bool] = lambda d: True) -> Counts:
        total = Counts()
        for doc in self.docs:
            if keep(doc):
                total.add(doc.counts)
        return total

    def summary(self) -> dict:
        publishers = sorted({d.publisher for d in self.docs})
        per_publisher = {}
        for name in publishers:
            part = self._total(lambda d, name=name: d.publisher == name).summary()
            per_publisher[name] = {
                "documents": sum(d.publisher == name for d in self.docs),
                "attribution": part["attribution"],
                "attribution_cue_only": part["attribution_cue_only"],
            }
        return {
            "documents": len(self.docs),
            "annotation_files_set_aside": len(self.set_aside),
            "missing_text": len(self.missing_text),
            "offset_mismatches": sum(d.mismatches for d in self.docs),
            "dropped_annotations": sum(d.dropped for d in self.docs),
            **self._total().summary(),
            "publishers": per_publisher,
            "human_ceiling": {
                "attribution_agreement": HUMAN_ATTRIBUTION_AGREEMENT,
                "token_krippendorff_alpha": HUMAN_TOKEN_ALPHA,
            },
        }

    def format_text(self, verbose: bool = False) -> str:
        s = self.summary()
        att, cue = s["attribution"], s["attribution_cue_only"]
        lines = [
            f"attribution: {s['documents']} articles, {att['gold']} gold attributions "
            f"({att['gold_without_source']} without source; {att['gold_without_cue']} without "
            f"cue, not scored), {att['predicted']} predicted",
            f"  attribution  cue+source  P {att['precision']:.3f} R {att['recall']:.3f} "
            f"F1 {att['f1']:.3f}   cue only  P {cue['precision']:.3f} R {cue['recall']:.3f} "
            f"F1 {cue['f1']:.3f}",
        ]
        for role, part in s["roles"].items():
            ex, ov = part["exact"], part["overlap"]
            lines.append(
                f"  {role:<8} gold {part['gold']:>5} pred {part['predicted']:>5}  exact P "
                f"{ex['precision']:.3f} R {ex['recall']:.3f} F1 {ex['f1']:.3f}  overlap P "
                f"{ov['precision']:.3f} R {ov['recall']:.3f} F1 {ov['f1']:.3f}"
            )
        for name, part in s["publishers"].items():
            a, c = part["attribution"], part["attribution_cue_only"]
            lines.append(
                f"  {name:<13} {part['documents']:>3} articles  gold {a['gold']:>4} pred "
                f"{a['predicted']:>4}  F1 {a['f1']:.3f}  cue-only F1 {c['f1']:.3f}"
            )
        lines.append(
            f"  human ceiling (PolNeAR README): attribution-wise inter-annotator agreement "
            f"{HUMAN_ATTRIBUTION_AGREEMENT:.1%}, token-wise Krippendorff's alpha "
            f"{HUMAN_TOKEN_ALPHA:.1%} (agreement between annotators, not an F1)"
        )
        lines.append(
            f"  gold data: {s['annotation_files_set_aside']} further annotators' files set "
            f"aside, {s['missing_text']} without text, {s['offset_mismatches']} offset "
            f"mismatches, {s['dropped_annotations']} annotations dropped"
        )
        if verbose:
            for doc in self.docs:
                cue_found = {id(g): p for g, p in doc.cue_pairs if g is not None and p}
                for gold, pred in doc.pairs:
                    if gold is not None and pred is not None:
                        continue
                    if gold is not None:
                        near = cue_found.get(id(gold))
                        note = (f" (cue found; predicted source {_trim(near.source, 40)})"
                                if near is not None else "")
                        lines.append(f"  {doc.name}: missed {_describe(gold)}{note}")
                    else:
                        lines.append(f"  {doc.name}: spurious {_describe(pred)}")  # type: ignore[arg-type]
        return "\n".join(lines)


def evaluate_attribution(path: Path, *, model: str | None = None, limit: int | None = None,
                         progress: Callable[[str], None] | None = None) -> AttributionReport:
    """Score eventwire on PolNeAR: ``path`` is the ``attribution/`` folder, ``polnear-dev/``
    or one .ann file; ``limit`` scores only the first N articles (in name order)."""
    from eventwire.nlp import load

    corpus = load_corpus(Path(path), limit)
    nlp = load(model)
    results: list[DocResult] = []
    parsed_docs: Iterable[Doc] = nlp.pipe((d.text for d in corpus.docs), batch_size=8)
    for doc, parsed in zip(corpus.docs, parsed_docs, strict=True):
        if progress is not None:
            progress(doc.name)
        counts, pairs, cue_pairs = score_doc(doc.gold, predict(parsed))
        results.append(DocResult(doc.name, doc.annotation, counts, pairs, cue_pairs,
                                 doc.mismatches, doc.dropped))
    return AttributionReport(results, corpus.set_aside, corpus.missing_text)
