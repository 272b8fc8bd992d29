"""The eventwire command: output formats, schema, eval wiring, demo, and one-line errors."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest

import eventwire.eval
from eventwire import __version__, nlp
from eventwire.cli import main
from eventwire.model import Analysis, Event

ARTICLE = (
    "Chile recalls ambassador from Peru\n"
    "\n"
    "Chile's foreign minister on Tuesday accused Peru of spying on its navy and recalled\n"
    "the country's ambassador. The government of Peru denied the accusation, the state\n"
    "news agency said. Brazil offered to host talks between the two governments next week.\n"
)


@pytest.fixture(scope="session")
def model_loaded() -> None:
    nlp.load()


@pytest.fixture
def article(tmp_path: Path) -> Path:
    path = tmp_path / "article.txt"
    path.write_text(ARTICLE, encoding="utf-8")
    return path


def run_cli(*argv: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "eventwire.cli", *argv], capture_output=True, text=True, timeout=120
    )


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as caught:
        main(["--version"])
    assert caught.value.code == 0
    assert capsys.readouterr().out.strip() == f"eventwire {__version__}"


def test_no_command_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert main([]) == 2
    assert "usage:" in capsys.readouterr().err


def test_extract_jsonl_prints_only_event_lines(
    model_loaded: None, article: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["extract", str(article), "--published", "2024-03-05"]) == 0
    out = capsys.readouterr().out
    for line in out.splitlines():
        event = Event.model_validate_json(line)
        assert ARTICLE[event.evidence.start : event.evidence.end] == event.evidence.text


def test_extract_json_is_an_analysis(
    model_loaded: None, article: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["extract", str(article), "--format", "json", "--published", "2024-03-05"]) == 0
    analysis = Analysis.model_validate_json(capsys.readouterr().out)
    assert analysis.article.title == "Chile recalls ambassador from Peru"
    assert analysis.article.published.isoformat() == "2024-03-05"
    assert analysis.article.source == str(article)


def test_extract_geojson_is_a_map_layer_of_the_located_events(
    model_loaded: None, article: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["extract", str(article), "--format", "geojson", "--published", "2024-03-05"]) == 0
    captured = capsys.readouterr()
    layer = json.loads(captured.out)
    assert layer["type"] == "FeatureCollection"
    events = [Event.model_validate_json(line) for line in _jsonl_events(article, capsys)]
    located = [e for e in events if e.location and e.location.lat is not None]
    assert len(layer["features"]) == len(located)
    for feature in layer["features"]:
        lon, lat = feature["geometry"]["coordinates"]
        assert -180 <= lon <= 180 and -90 <= lat <= 90
        props = feature["properties"]
        assert ARTICLE[props["evidence_start"] : props["evidence_end"]] == props["evidence_text"]
    missing = len(events) - len(located)
    assert (f"{missing} event" in captured.err) == bool(missing)


def _jsonl_events(article: Path, capsys: pytest.CaptureFixture[str]) -> list[str]:
    assert main(["extract", str(article), "--published", "2024-03-05"]) == 0
    return capsys.readouterr().out.splitlines()


def test_extract_table(
    model_loaded: None, article: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["extract", str(article), "--format", "table"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Chile recalls ambassador from Peru")
    assert "EVIDENCE" in out or "(no events found)" in out


def test_extract_reads_stdin(
    model_loaded: None, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr("sys.stdin", SimpleNamespace(buffer=io.BytesIO(
        ARTICLE.encode("utf-8"))))
    assert main(["extract", "-", "--format", "json"]) == 0
    assert Analysis.model_validate_json(capsys.readouterr().out).article.source == "<stdin>"


@pytest.mark.parametrize("flag", [[], ["--analysis"]])
def test_schema_is_json(flag: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["schema", *flag]) == 0
    schema = json.loads(capsys.readouterr().out)
    assert schema["type"] == "object"
    assert ("events" if flag else "event_type") in schema["properties"]


def test_bad_date_is_a_one_line_usage_error(
    article: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as caught:
        main(["extract", str(article), "--published", "2024-02-30"])
    assert caught.value.code == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert err.startswith("eventwire: error: argument --published: not a date")


def test_missing_file_is_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    missing = tmp_path / "missing.txt"
    assert main(["extract", str(missing)]) == 1
    assert capsys.readouterr().err == f"eventwire: error: {missing}: file not found\n"


def test_debug_shows_the_exception(tmp_path: Path) -> None:
    from eventwire.ingest import IngestError

    with pytest.raises(IngestError):
        main(["extract", str(tmp_path / "missing.txt"), "--debug"])


def test_unexpected_error_is_one_line(
    article: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import eventwire.pipeline

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("stage failed\nsecond line")

    monkeypatch.setattr(eventwire.pipeline, "analyze", broken)
    assert main(["extract", str(article)]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert err.startswith(f"eventwire: error: {article}: RuntimeError: stage failed second line")
    assert "--debug" in err


def test_subprocess_errors_have_no_traceback(tmp_path: Path) -> None:
    missing = run_cli("extract", str(tmp_path / "missing.txt"))
    assert missing.returncode == 1
    assert missing.stdout == ""
    assert missing.stderr.strip() == f"eventwire: error: {tmp_path / 'missing.txt'}: file not found"
    binary = tmp_path / "image.png"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    refused = run_cli("extract", str(binary))
    assert refused.returncode == 1
    assert refused.stderr.count("\n") == 1 and "Traceback" not in refused.stderr
    usage = run_cli("extract", str(binary), "--published", "yesterday")
    assert usage.returncode == 2 and usage.stderr.count("\n") == 1


def test_eval_wiring(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "a.gold.json").write_text("{}")
    (tmp_path / "b.gold.json").write_text("{}")
    seen: list[object] = []

    class FakeReport:
        def format_text(self, verbose: bool = False) -> str:
            return f"report verbose={verbose}"

        def summary(self) -> dict:
            return {"f1": 0.5}

    def fake_evaluate(path: Path, fn) -> FakeReport:
        seen.append(Path(path))
        seen.append(fn)
        return FakeReport()

    monkeypatch.setattr(eventwire.eval, "evaluate", fake_evaluate)
    assert main(["eval", str(tmp_path), "--verbose"]) == 0
    assert capsys.readouterr().out == "report verbose=True\n"
    assert seen[0] == tmp_path and callable(seen[1])
    assert main(["eval", str(tmp_path), "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == {"f1": 0.5}


def test_eval_progress_calls_the_extractor(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import eventwire.pipeline

    (tmp_path / "a.gold.json").write_text("{}")
    monkeypatch.setattr(eventwire.pipeline, "extract", lambda text, **kw: [])

    class Report:
        def format_text(self, verbose: bool = False) -> str:
            return "ok"

    def fake_evaluate(path: Path, fn) -> Report:
        assert fn("Some text.", "2024-01-01") == []
        return Report()

    monkeypatch.setattr(eventwire.eval, "evaluate", fake_evaluate)
    assert main(["eval", str(tmp_path)]) == 0
    captured = capsys.readouterr()
    assert captured.out == "ok\n"
    assert "eval: 1/1" in captured.err


@pytest.mark.parametrize("task", ["geo", "time", "attribution"])
def test_eval_task_wiring(
    task: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    calls: list[dict] = []

    class Report:
        def format_text(self, verbose: bool = False) -> str:
            return f"{task} verbose={verbose}"

        def summary(self) -> dict:
            return {"task": task}

    def fake(path: Path, *, model=None, limit=None, progress=None) -> Report:
        calls.append({"path": path, "limit": limit})
        progress("doc-1")
        return Report()

    module = SimpleNamespace(**{f"evaluate_{task}": fake})
    monkeypatch.setitem(sys.modules, f"eventwire.eval.{task}", module)
    assert main(["eval", "--task", task, str(tmp_path), "--limit", "3", "--verbose"]) == 0
    captured = capsys.readouterr()
    assert captured.out == f"{task} verbose=True\n"
    assert f"eval {task}: 1 doc-1" in captured.err
    assert calls == [{"path": tmp_path, "limit": 3}]
    assert main(["eval", "--task", task, str(tmp_path), "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == {"task": task}
    assert main(["eval", "--task", task, str(tmp_path / "nowhere")]) == 1
    assert "no such file or folder" in capsys.readouterr().err


def test_eval_missing_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["eval", str(tmp_path / "nowhere")]) == 1
    assert capsys.readouterr().err == f"eventwire: error: {tmp_path / 'nowhere'}: no such folder\n"


def test_demo_runs_every_sample(model_loaded: None, capsys: pytest.CaptureFixture[str]) -> None:
    from eventwire.ingest.samples import list_samples

    assert main(["demo"]) == 0
    captured = capsys.readouterr()
    for sample in list_samples():
        assert sample.title.split(":")[0] in captured.out
        assert sample.file in captured.err
