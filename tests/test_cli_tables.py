"""Tables from the command line: `--dataset csv --data-file F --target T` trains a classifier or a regression on a
generated CSV file (the task from the target, or --task), the last line and metrics.jsonl carry R² for a
regression, and every bad file ends in one line that names the problem and the fix."""

from __future__ import annotations

import json
import re

import numpy as np
import pytest

pd = pytest.importorskip("pandas")

from playground.cli import main  # noqa: E402

QUICK = ["--epochs", "4", "--device", "cpu", "--quiet"]


def people(n: int = 160, seed: int = 0) -> pd.DataFrame:
    """Numbers, a category, an identifier and a few missing values; 'label' follows from x1 + x2 and the colour,
    'price' is a linear function of them."""
    rng = np.random.default_rng(seed)
    x1, x2 = rng.normal(size=n), rng.normal(size=n)
    colour = rng.choice(["red", "green", "blue"], n)
    frame = pd.DataFrame({"id": np.arange(1000, 1000 + n), "x1": x1, "x2": x2, "colour": colour,
                          "label": np.where(x1 + x2 + (colour == "red") > 0.3, "yes", "no"),
                          "price": 3 * x1 - 2 * x2 + 2 * (colour == "red") + rng.normal(scale=0.05, size=n)})
    frame.loc[[1, 4, 9], "x1"] = np.nan
    return frame


def write(tmp_path, frame: pd.DataFrame, name: str = "table.csv") -> str:
    path = tmp_path / name
    frame.to_csv(path, index=False)
    return str(path)


def train(tmp_path, *args: str) -> int:
    return main(["train", "--dataset", "csv", *QUICK, "--out", str(tmp_path / "run"), *args])


def test_a_classification_table_trains_and_tells_its_notes_once(tmp_path, capsys):
    path = write(tmp_path, people().drop(columns="price"))
    assert train(tmp_path, "--data-file", path, "--target", "label", "--epochs", "12", "--lr", "0.01") == 0
    out, err = capsys.readouterr()
    last = out.strip().splitlines()[-1]
    match = re.fullmatch(r"test_accuracy=(\S+) epochs=12 seconds=\S+", last)
    assert match and float(match.group(1)) > 0.8, last
    assert err.count("left out 'id'") == 1 and err.count("filled 3 missing values in 'x1'") == 1
    rows = [json.loads(line) for line in (tmp_path / "run" / "metrics.jsonl").read_text().splitlines()]
    assert len(rows) == 12 and "test_accuracy" in rows[-1]


def test_a_regression_table_reports_r2_in_the_last_line_and_the_metrics(tmp_path, capsys):
    path = write(tmp_path, people().drop(columns="label"))
    assert train(tmp_path, "--data-file", path, "--target", "price", "--features", "x1,x2,colour",
                 "--epochs", "12", "--lr", "0.01") == 0
    last = capsys.readouterr().out.strip().splitlines()[-1]
    match = re.fullmatch(r"test_loss=(\S+) test_r2=(\S+) epochs=12 seconds=\S+", last)
    assert match and float(match.group(2)) > 0.8, last
    rows = [json.loads(line) for line in (tmp_path / "run" / "metrics.jsonl").read_text().splitlines()]
    assert rows[-1]["test_r2"] == pytest.approx(float(match.group(2)), abs=1e-4)


def test_task_overrides_the_target_and_linear_reads_tables(tmp_path, capsys):
    frame = people().drop(columns=["label", "price"]).assign(stars=np.arange(160) % 3)
    path = write(tmp_path, frame)  # whole numbers with 3 values: classes, unless --task says otherwise
    assert train(tmp_path, "--data-file", path, "--target", "stars", "--arch", "linear", "--task",
                 "regression") == 0
    assert "test_r2=" in capsys.readouterr().out.strip().splitlines()[-1]


def _ragged(tmp_path) -> str:
    text = "a,b,y\n" + "".join(f"{i},{i},{i % 2}\n" for i in range(20)) + "1,2,3,4\n"
    (tmp_path / "t.csv").write_text(text)
    return str(tmp_path / "t.csv")


def _colons(tmp_path) -> str:
    (tmp_path / "t.csv").write_text("a:b:y\n" + "".join(f"{i}:{i}:{i % 2}\n" for i in range(20)))
    return str(tmp_path / "t.csv")


def _mixed(tmp_path) -> str:
    (tmp_path / "t.csv").write_text("a;b;y\n" + "".join(f"{i},{i},{i % 2}\n" for i in range(20)))
    return str(tmp_path / "t.csv")


def _image(tmp_path) -> str:
    (tmp_path / "t.csv").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4)
    return str(tmp_path / "t.csv")


def _frame(tmp_path, **columns) -> str:
    return write(tmp_path, pd.DataFrame(columns), "t.csv")


BAD = {
    "ragged": (_ragged, "y", r"line 22 has 4 fields but the header has 3"),
    "colons": (_colons, "y", r"single column .*none of comma, semicolon, tab or pipe"),
    "mixed delimiters": (_mixed, "y", r"header split by the semicolon .* seem to use the comma"),
    "not text": (_image, "y", r"not a text table \(it is a PNG image\)"),
    "missing target": (lambda p: _frame(p, a=range(20), y=[0, 1] * 10), "colour",
                       r"no column 'colour' \(for the target\); its columns are 'a', 'y'"),
    "no target": (lambda p: _frame(p, a=range(20), y=[0, 1] * 10), "",
                  r"needs the column to learn: give it with --target COLUMN, one of 'a', 'y'"),
    "one value": (lambda p: _frame(p, a=range(20), y=[1] * 20), "y", r"same value \('1'\) in every row"),
    "few rows": (lambda p: _frame(p, a=range(6), y=[0, 1] * 3), "y", r"only 6 row\(s\) of data; .*at least 10"),
    "empty column": (lambda p: _frame(p, a=range(20), b=[None] * 20, y=[0, 1] * 10), "y",
                     r"column 'b' .* is empty .*--features a"),
}


@pytest.mark.parametrize("case", list(BAD))
def test_every_bad_table_ends_in_one_line_with_the_fix(tmp_path, capsys, case):
    make, target, message = BAD[case]
    path = make(tmp_path)
    assert train(tmp_path, "--data-file", path, *(["--target", target] if target else [])) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("playground: error: "), err
    assert re.search(message, err[0]), err[0]


def test_a_file_over_the_size_limit_is_refused_with_the_reason(tmp_path, capsys, monkeypatch):
    from playground.core.data.tables import read

    monkeypatch.setattr(read, "MAX_BYTES", 1000)  # a 500 MB file is too slow to write in a test
    path = write(tmp_path, people())
    assert train(tmp_path, "--data-file", path, "--target", "label") == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and re.search(r"over the 1000 bytes limit for tables; take a sample", err[0]), err


def test_a_table_run_has_a_confusion_matrix_and_a_boundary_only_for_two_inputs(tmp_path, capsys):
    from playground.core.analysis.applies import boundary_kind, boundary_problem
    from playground.core.analysis.evaluation import evaluate_checkpoint
    from playground.core.checkpoint import load_checkpoint

    path = write(tmp_path, people().drop(columns="price"))
    assert train(tmp_path, "--data-file", path, "--target", "label", "--features", "x1,x2") == 0
    two = load_checkpoint(tmp_path / "run" / "model.pt")
    assert boundary_kind(two.spec) == "regions" and boundary_problem(two.spec) is None
    matrix = evaluate_checkpoint(two)  # the test rows of the table, read as the run read them
    assert len(matrix.true) == len(matrix.predicted) == 32 and matrix.class_names == ("no", "yes")
    assert main(["train", "--dataset", "csv", *QUICK, "--out", str(tmp_path / "all"), "--data-file", path,
                 "--target", "label"]) == 0
    every = load_checkpoint(tmp_path / "all" / "model.pt")
    assert tuple(every.spec.input_shape) == (5,)  # x1, x2 and three colours; the id left out
    assert "2-D points" in boundary_problem(every.spec)
