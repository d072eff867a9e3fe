"""Tables as datasets: reading CSV files (delimiters, encodings, every bad input), column kinds, the task, the
stratified split, encoding with training statistics, the Data view's preview and summaries, and a model that learns."""

from __future__ import annotations

import sys

import numpy as np
import pytest
import torch

pd = pytest.importorskip("pandas")

from playground.core.data.tables import column_summaries, load_table, preview  # noqa: E402
from playground.core.data.tables import read as table_read  # noqa: E402
from playground.core.data.tables.prepare import split_rows  # noqa: E402
from playground.core.data.tables.task import infer_task  # noqa: E402
from playground.core.errors import DatasetError  # noqa: E402


def write(tmp_path, frame, name="table.csv", **options):
    path = tmp_path / name
    frame.to_csv(path, index=False, **options)
    return path


def people(n=200, seed=0):
    """A table of every kind: numbers, categories, yes/no words, bools, 0/1, an ID, names, dates, a constant."""
    rng = np.random.default_rng(seed)
    age = rng.integers(18, 80, n).astype(float)
    frame = pd.DataFrame({
        "id": rng.permutation(np.arange(1, n + 1)), "age": age, "colour": rng.choice(["red", "green", "blue"], n),
        "member": rng.choice(["Yes", "no", "YES", "N"], n), "smoker": rng.choice([True, False], n),
        "flag": rng.integers(0, 2, n), "name": [f"person {i}" for i in range(n)],
        "joined": [f"2021-{1 + i % 12:02d}-{1 + i % 28:02d}" for i in range(n)], "country": "France",
        "label": np.where(age > 45, "old", "young")})
    frame.loc[[3, 5, 7], "age"] = np.nan
    frame.loc[[2, 9], "colour"] = np.nan
    return frame


# --- column kinds, notes and filled values ------------------------------------------------------------------


def test_every_kind_is_inferred_and_fills_are_reported(tmp_path):
    data = load_table(write(tmp_path, people()), "label")
    info = {c.name: c for c in data.columns}
    kinds = {name: c.kind for name, c in info.items()}
    assert kinds == {"id": "identifier", "age": "number", "colour": "category", "member": "boolean",
                     "smoker": "boolean", "flag": "boolean", "name": "identifier", "joined": "date",
                     "country": "constant", "label": "classification"}
    assert info["age"].role == "feature" and (info["age"].missing, info["age"].filled) == (3, 3)
    assert (info["colour"].missing, info["colour"].filled) == (2, 2)
    assert info["id"].role.startswith("left out") and "different" in info["id"].role
    assert "dates" in info["joined"].role and "same value" in info["country"].role
    assert info["label"].role == "target"
    assert data.feature_names == ("age", "colour=blue", "colour=green", "colour=red", "member", "smoker", "flag")
    notes = " | ".join(data.splits.notices)
    assert "filled 3 missing values in 'age' with the training median" in notes
    assert "filled 2 missing values in 'colour' with the most frequent training value" in notes
    for name in ("id", "name", "joined", "country"):
        assert f"left out {name!r}" in notes
    x = torch.cat([data.splits.train_x, data.splits.test_x])
    assert x.dtype == torch.float32 and torch.isfinite(x).all()
    assert set(x[:, 4:].unique().tolist()) == {0.0, 1.0}  # booleans are 0/1
    one_hot = x[:, 1:4]
    assert (one_hot.sum(1) == 1).all()  # every row one colour: missing ones filled


def test_booleans_read_from_yes_no_words_in_any_case(tmp_path):
    frame = people()
    frame["member"] = ["Y", "n", "True", "FALSE", "t", "f", "yes", "No"] * 25
    data = load_table(write(tmp_path, frame), "label", features=["member", "age"])
    column = data.encoders[0]
    assert column.kind == "boolean"
    member = torch.cat([data.splits.train_x[:, 0], data.splits.test_x[:, 0]])
    assert member.sum() == 100  # half of them say yes


def test_whole_numbers_all_different_are_an_id_only_when_they_count_rows_or_say_so(tmp_path):
    rng = np.random.default_rng(1)
    frame = people()
    prices = rng.choice(np.arange(100_000, 900_000), len(frame), replace=False)
    frame["price"] = prices
    frame["CustomerID"] = prices + 7
    data = load_table(write(tmp_path, frame), "label")
    kinds = {c.name: c.kind for c in data.columns}
    assert kinds["price"] == "number" and kinds["CustomerID"] == "identifier" and kinds["id"] == "identifier"


def test_stray_marks_in_a_number_column_count_as_missing(tmp_path):
    frame = people()
    frame["age"] = frame["age"].astype(object)
    frame.loc[[10, 11], "age"] = "?"
    data = load_table(write(tmp_path, frame), "label")
    info = {c.name: c for c in data.columns}
    assert info["age"].kind == "number" and info["age"].filled == 5
    assert any("not numbers" in n and "'?'" in n for n in data.splits.notices)


# --- the task -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("values", "task"), [
    (["cat", "dog"] * 10, "classification"),
    ([True, False] * 10, "classification"),
    (list(range(5)) * 4, "classification"),
    ([v / 3 for v in range(20)], "regression"),
    (list(range(40)), "regression"),
])
def test_task_is_inferred_from_the_target(values, task):
    assert infer_task(pd.Series(values)) == task


def sized(n=120, seed=0):
    rng = np.random.default_rng(seed)
    a, b = rng.normal(size=n), rng.normal(size=n)
    return pd.DataFrame({"a": a, "b": b, "stars": rng.integers(1, 6, n), "kind": rng.choice(["x", "y"], n)})


def test_an_explicit_task_overrides_the_inferred_one(tmp_path):
    path = write(tmp_path, sized())
    assert load_table(path, "stars").splits.task == "classification"
    data = load_table(path, "stars", task="regression")
    assert data.splits.task == "regression" and data.splits.num_classes == 1
    assert data.splits.train_y.dtype == torch.float32
    with pytest.raises(DatasetError, match=r"'a'.*120 different values, too many to be classes.*regression task"):
        load_table(path, "a", task="classification")


def test_regression_on_text_is_refused_with_the_reason(tmp_path):
    with pytest.raises(DatasetError, match=r"'kind'.*holds text.*classification"):
        load_table(write(tmp_path, sized()), "kind", task="regression")


def test_class_names_sort_numbers_by_value(tmp_path):
    frame = sized()
    frame["grade"] = np.tile([10, 2, 1], 40)
    data = load_table(write(tmp_path, frame), "grade")
    assert data.splits.class_names == ("1", "2", "10") and data.splits.num_classes == 3
    assert data.splits.train_y.dtype == torch.int64


# --- the split and the statistics ----------------------------------------------------------------------------


def test_stratified_split_keeps_class_shares_and_repeats_for_a_seed(tmp_path):
    frame = sized(200)
    frame["label"] = ["common"] * 150 + ["rare"] * 40 + ["tiny"] * 8 + ["pair"] * 2
    path = write(tmp_path, frame)
    data = load_table(path, "label", seed=3)
    names = data.splits.class_names
    train = np.bincount(data.splits.train_y.numpy(), minlength=len(names))
    test = np.bincount(data.splits.test_y.numpy(), minlength=len(names))
    shares = dict(zip(names, test / (train + test)))
    assert shares["common"] == pytest.approx(0.2) and shares["rare"] == pytest.approx(0.2)
    assert (train > 0).all() and (test > 0).all()  # even the class of two rows is in both
    again, other = load_table(path, "label", seed=3), load_table(path, "label", seed=4)
    assert torch.equal(again.splits.test_x, data.splits.test_x)
    assert not torch.equal(other.splits.test_x, data.splits.test_x)


def test_standardisation_and_filling_use_the_training_rows_only(tmp_path):
    frame = sized(100)
    frame.loc[::10, "a"] = np.nan
    frame["label"] = np.where(frame["b"] > 0, "up", "down")
    data = load_table(write(tmp_path, frame), "label", features=["a"], seed=5)
    codes = (frame["label"] == "up").to_numpy().astype(np.int64)  # classes sorted: down=0, up=1
    train, test = split_rows(codes, True, 5, 0.2)
    raw = frame["a"].to_numpy()
    median = np.nanmedian(raw[train])
    filled = np.where(np.isnan(raw), median, raw)
    encoder = data.encoders[0]
    assert encoder.fill == pytest.approx(median)
    assert encoder.mean == pytest.approx(filled[train].mean()) and encoder.std == pytest.approx(filled[train].std())
    assert encoder.mean != pytest.approx(np.nanmean(raw))
    expected = (filled[test] - filled[train].mean()) / filled[train].std()
    assert np.allclose(data.splits.test_x[:, 0].numpy(), expected, atol=1e-5)
    assert data.splits.train_x.mean().item() == pytest.approx(0, abs=1e-5)


def test_regression_targets_are_standardised_with_training_statistics(tmp_path):
    frame = sized(100)
    frame["price"] = 1000 + 50 * frame["a"]
    data = load_table(write(tmp_path, frame), "price")
    assert data.splits.train_y.mean().item() == pytest.approx(0, abs=1e-5)
    back = data.in_target_units(torch.cat([data.splits.train_y, data.splits.test_y]))
    assert sorted(back.tolist()) == pytest.approx(sorted(frame["price"]), rel=1e-5)


def test_a_category_only_in_the_test_split_is_all_zeros(tmp_path):
    frame = sized(100, seed=2)
    frame["label"] = np.where(frame["a"] > 0, "up", "down")
    codes = (frame["label"] == "up").to_numpy().astype(np.int64)
    _, test = split_rows(codes, True, 0, 0.2)
    frame.loc[test[0], "kind"] = "purple"
    data = load_table(write(tmp_path, frame), "label", features="a,kind")
    assert data.feature_names == ("a", "kind=x", "kind=y")
    assert data.splits.test_x[0, 1:].tolist() == [0.0, 0.0]
    assert (data.splits.test_x[1:, 1:].sum(1) == 1).all()
    assert any("never saw" in n and "'purple'" in n for n in data.splits.notices)


def test_missing_targets_are_dropped_with_a_note(tmp_path):
    frame = sized(50)
    frame["kind"] = frame["kind"].astype(object)
    frame.loc[[1, 2, 3], "kind"] = np.nan
    data = load_table(write(tmp_path, frame), "kind")
    assert data.rows_read == 50 and data.rows_used == 47 and data.train_rows + data.test_rows == 47
    assert any("dropped 3 row(s)" in n and "'kind'" in n for n in data.splits.notices)


# --- reading: delimiters and encodings ---------------------------------------------------------------------


@pytest.mark.parametrize("delimiter", [",", ";", "\t", "|"])
def test_the_delimiter_is_found(tmp_path, delimiter):
    path = write(tmp_path, sized(), sep=delimiter)
    data = load_table(path, "kind")
    assert data.delimiter == delimiter and data.feature_names[:2] == ("a", "b")


def test_semicolons_with_decimal_commas_are_not_taken_for_commas(tmp_path):
    lines = ["width;height;depth;kind"] + [f"{i % 9},5;{i % 7},25;{i % 5}.5;{'xy'[i % 2]}" for i in range(30)]
    (tmp_path / "eu.csv").write_text("\n".join(lines) + "\n")
    data = load_table(tmp_path / "eu.csv", "kind")
    assert data.delimiter == ";" and [c.kind for c in data.columns[:3]] == ["number"] * 3
    for k in (0, 1, 2):  # 1,5 and 1.5 are both one and a half
        e = data.encoders[k]
        values = torch.cat([data.splits.train_x, data.splits.test_x])[:, k].double() * e.std + e.mean
        assert set(np.round(values.numpy() % 1, 6)) == {0.25 if k == 1 else 0.5}


def test_windows_1252_and_bom_and_utf16_files_are_read(tmp_path):
    frame = sized(30)
    frame["kind"] = np.tile(["café", "thé", "crème"], 10)
    frame.to_csv(tmp_path / "latin.csv", index=False, encoding="cp1252")
    data = load_table(tmp_path / "latin.csv", "kind")
    assert set(data.splits.class_names) == {"café", "thé", "crème"}
    assert any("Windows-1252" in n for n in data.splits.notices)
    frame.to_csv(tmp_path / "bom.csv", index=False, encoding="utf-8-sig")
    assert load_table(tmp_path / "bom.csv", "a", features="kind").feature_names[0] == "kind=café"
    frame.to_csv(tmp_path / "wide.csv", index=False, encoding="utf-16", sep="\t")
    assert load_table(tmp_path / "wide.csv", "kind").splits.class_names == ("café", "crème", "thé")


def test_a_target_name_matches_whatever_its_case_and_spaces(tmp_path):
    assert load_table(write(tmp_path, sized()), " KIND ").target == "kind"


# --- every bad input ------------------------------------------------------------------------------------------


def test_a_ragged_row_names_its_line(tmp_path):
    lines = ["a,b,c"] + [f"{i},{i},x{i % 2}" for i in range(20)]
    lines[7] += ",surplus"
    (tmp_path / "ragged.csv").write_text("\n".join(lines) + "\n")
    with pytest.raises(DatasetError, match=r"ragged\.csv line 8 has 4 fields but the header has 3"):
        load_table(tmp_path / "ragged.csv", "c")


def test_an_unclosed_quote_names_its_line(tmp_path):
    lines = ["a,b,c"] + [f"{i},{i % 3},x{i % 2}" for i in range(20)] + ['1,2,"never closed', "3,4,5"]
    (tmp_path / "quote.csv").write_text("\n".join(lines) + "\n")
    with pytest.raises(DatasetError, match=r"quote\.csv has a quote .* never closed, from line 22"):
        load_table(tmp_path / "quote.csv", "c")


def test_text_that_changes_encoding_past_the_sample_is_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(table_read, "SAMPLE_BYTES", 64)
    head = "a,b,c\n" + "".join(f"{i},{i % 3},x{i % 2}\n" for i in range(20))
    (tmp_path / "mixed.csv").write_bytes(head.encode() + "1,2,caf\xe9\n".encode("cp1252"))
    with pytest.raises(DatasetError, match=r"mixed\.csv is not valid utf-8 text past its first megabyte"):
        load_table(tmp_path / "mixed.csv", "c")


def test_a_table_without_usable_features_is_refused(tmp_path):
    (tmp_path / "one.csv").write_text("y\n" + "".join(f"{i % 2}\n" for i in range(20)))
    with pytest.raises(DatasetError, match=r"one\.csv has a single column, 'y'"):
        load_table(tmp_path / "one.csv", "y")
    (tmp_path / "names.csv").write_text("name,y\n" + "".join(f"n{i},{i % 2}\n" for i in range(20)))
    with pytest.raises(DatasetError, match=r"names\.csv has no column that can be a feature.*'name': every value"):
        load_table(tmp_path / "names.csv", "y")


def test_features_a_missing_feature_and_a_target_among_them(tmp_path):
    path = write(tmp_path, sized())
    assert load_table(path, "kind", features="b, a").feature_names == ("b", "a")
    with pytest.raises(DatasetError, match=r"no column 'depth' \(for the features\).*'a', 'b'"):
        load_table(path, "kind", features=["a", "depth"])
    with pytest.raises(DatasetError, match=r"target 'kind' is also among the features"):
        load_table(path, "kind", features="a,kind")


def test_a_class_of_one_row_stays_in_training_with_a_note(tmp_path):
    frame = sized(60)
    frame.loc[0, "kind"] = "solo"
    data = load_table(write(tmp_path, frame), "kind")
    assert data.splits.class_names == ("solo", "x", "y")
    assert 0 in data.splits.train_y.tolist() and 0 not in data.splits.test_y.tolist()
    assert any("'solo'" in n and "single row" in n for n in data.splits.notices)


def test_a_wrong_delimiter_says_which_one_the_file_uses(tmp_path):
    path = write(tmp_path, sized(), sep=";")
    with pytest.raises(DatasetError, match=r"table\.csv reads as a single column.*semicolon ';'"):
        load_table(path, "kind", delimiter=",")
    assert load_table(path, "kind", delimiter="semicolon").delimiter == ";"
    with pytest.raises(DatasetError, match=r"delimiter '::' must be one character"):
        load_table(path, "kind", delimiter="::")


@pytest.mark.parametrize(("content", "what"), [
    (np.random.default_rng(0).bytes(5000), "binary data"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(100), "PNG image"),
    (b"PK\x03\x04" + b"a,b\n" * 50, "Excel"),
])
def test_a_file_that_is_not_text_is_refused(tmp_path, content, what):
    (tmp_path / "data.csv").write_bytes(content)
    with pytest.raises(DatasetError, match=rf"data\.csv is not a text table.*{what}.*save the spreadsheet as CSV"):
        load_table(tmp_path / "data.csv", "a")


@pytest.mark.parametrize("content", ["", "\n\n  \n"])
def test_an_empty_file_is_refused(tmp_path, content):
    (tmp_path / "empty.csv").write_text(content)
    with pytest.raises(DatasetError, match=r"empty\.csv is empty"):
        load_table(tmp_path / "empty.csv", "a")


def test_too_few_rows_are_refused(tmp_path):
    path = write(tmp_path, sized(6))
    with pytest.raises(DatasetError, match=r"table\.csv has only 6 row\(s\).*at least 10"):
        load_table(path, "kind")
    (tmp_path / "header.csv").write_text("a,b\n")
    with pytest.raises(DatasetError, match=r"header\.csv has only 0 row"):
        load_table(tmp_path / "header.csv", "a")


def test_a_missing_target_lists_the_columns(tmp_path):
    with pytest.raises(DatasetError, match=r"table\.csv has no column 'colour'.*'a', 'b', 'stars', 'kind'"):
        load_table(write(tmp_path, sized()), "colour")


def test_a_target_with_one_value_is_refused(tmp_path):
    frame = sized()
    frame["kind"] = "x"
    with pytest.raises(DatasetError, match=r"target 'kind'.*same value \('x'\) in every row"):
        load_table(write(tmp_path, frame), "kind")


def test_an_empty_column_is_refused_with_the_fix(tmp_path):
    frame = sized()
    frame["notes"] = np.nan
    with pytest.raises(DatasetError, match=r"column 'notes' in .*table\.csv is empty.*--features a,b,stars"):
        load_table(write(tmp_path, frame), "kind")
    with pytest.raises(DatasetError, match=r"target column 'notes' .* is empty"):
        load_table(write(tmp_path, frame), "notes")
    assert load_table(write(tmp_path, frame), "kind", features=["a", "b"]).feature_names == ("a", "b")


def test_a_trailing_delimiter_column_is_left_out(tmp_path):
    lines = ["a,b,kind,"] + [f"{i * 7 % 5},{i % 3},{'xy'[i % 2]}," for i in range(20)]
    (tmp_path / "trailing.csv").write_text("\n".join(lines) + "\n")
    data = load_table(tmp_path / "trailing.csv", "kind")
    assert data.feature_names == ("a", "b") and data.columns[2].kind == "empty"


def test_a_file_over_the_size_limit_is_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(table_read, "MAX_BYTES", 1000)
    with pytest.raises(DatasetError, match=r"table\.csv is .*KB, over the 1000 bytes limit.*sample of the rows"):
        load_table(write(tmp_path, sized()), "kind")


def test_a_file_over_the_row_limit_is_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(table_read, "MAX_ROWS", 50)
    monkeypatch.setattr(table_read, "CHUNK_ROWS", 20)
    with pytest.raises(DatasetError, match=r"table\.csv has more than 50 rows.*sample of the rows"):
        load_table(write(tmp_path, sized()), "kind")


def test_a_header_of_numbers_is_refused(tmp_path):
    (tmp_path / "bare.csv").write_text("".join(f"{i}.5,{i},{i % 2}\n" for i in range(20)))
    with pytest.raises(DatasetError, match=r"bare\.csv has no header line"):
        load_table(tmp_path / "bare.csv", "0")


def test_a_missing_file_and_a_missing_pandas_are_explained(tmp_path, monkeypatch):
    with pytest.raises(DatasetError, match=r"'nowhere\.csv' does not exist"):
        load_table("nowhere.csv", "a")
    with pytest.raises(DatasetError, match=r"is a folder, not a table file"):
        load_table(tmp_path, "a")
    monkeypatch.setitem(sys.modules, "pandas", None)  # import pandas now raises ImportError
    with pytest.raises(DatasetError, match=r"needs pandas, which is not installed; pip install 'playground\[tables\]'"):
        load_table(tmp_path / "any.csv", "a")


def test_progress_is_reported_in_chunks_and_can_stop_the_read(tmp_path, monkeypatch):
    monkeypatch.setattr(table_read, "CHUNK_ROWS", 25)
    path = write(tmp_path, sized(100))
    calls = []
    load_table(path, "kind", progress=lambda message, done, total: calls.append((message, done, total)))
    reads = [c for c in calls if c[0].startswith("Reading")]
    assert len(reads) == 4 and reads[-1][1] == reads[-1][2] == path.stat().st_size

    class Stop(Exception):
        pass

    def stop(message, done, total):
        raise Stop

    with pytest.raises(Stop):
        load_table(path, "kind", progress=stop)


# --- the Data view ----------------------------------------------------------------------------------------------


def test_preview_shows_the_first_rows_as_written_with_kinds(tmp_path):
    path = write(tmp_path, people(), sep="|")
    shown = preview(path, rows=5)
    assert shown.delimiter == "|" and len(shown.rows) == 5 and shown.rows_seen == 200
    assert shown.columns[:3] == ("id", "age", "colour") and shown.rows[2][2] == ""  # a missing colour
    assert dict(zip(shown.columns, shown.kinds)) == {
        "id": "identifier", "age": "number", "colour": "category", "member": "boolean", "smoker": "boolean",
        "flag": "boolean", "name": "identifier", "joined": "date", "country": "constant", "label": "category"}


def test_column_summaries_give_numbers_a_histogram_and_categories_counts(tmp_path):
    frame = people()
    summaries = {s.name: s for s in column_summaries(write(tmp_path, frame))}
    age = summaries["age"]
    assert (age.count, age.missing) == (197, 3) and len(age.histogram) == 20 and len(age.bin_edges) == 21
    assert sum(age.histogram) == 197 and age.minimum == frame["age"].min() and age.maximum == frame["age"].max()
    assert age.mean == pytest.approx(frame["age"].mean())
    colour = summaries["colour"]
    assert colour.minimum is None and dict(colour.top) == frame["colour"].value_counts().to_dict()
    assert column_summaries(frame)[0].name == "id"


# --- a model learns from it ---------------------------------------------------------------------------------------


def fit(x, y, outputs, loss_fn, steps=300, lr=0.5):
    """Full-batch gradient descent by hand (torch.optim's first use costs seconds of imports)."""
    torch.manual_seed(0)
    model = torch.nn.Linear(x.shape[1], outputs)
    for _ in range(steps):
        model.zero_grad()
        loss_fn(model(x), y).backward()
        with torch.no_grad():
            for p in model.parameters():
                p -= lr * p.grad
    return model


def test_logistic_regression_separates_a_generated_table(tmp_path):
    rng = np.random.default_rng(7)
    frame = pd.DataFrame({"height": rng.normal(170, 10, 400), "weight": rng.normal(70, 15, 400),
                          "shop": rng.choice(["north", "south", "east"], 400)})
    score = (frame["height"] - 170) / 10 + (frame["weight"] - 70) / 15 + (frame["shop"] == "north") * 2 - 0.7
    frame["buys"] = np.where(score > 0, "yes", "no")
    data = load_table(write(tmp_path, frame), "buys").splits
    assert data.task == "classification" and data.class_names == ("no", "yes")
    model = fit(data.train_x, data.train_y, 2, torch.nn.functional.cross_entropy)
    with torch.no_grad():
        accuracy = (model(data.test_x).argmax(1) == data.test_y).float().mean().item()
    assert accuracy > 0.93


def test_linear_regression_fits_a_generated_linear_table(tmp_path):
    rng = np.random.default_rng(8)
    frame = pd.DataFrame({"rooms": rng.integers(1, 8, 300), "area": rng.normal(80, 25, 300),
                          "city": rng.choice(["Lyon", "Paris"], 300)})
    frame["price"] = 20_000 * frame["rooms"] + 3_000 * frame["area"] + np.where(frame["city"] == "Paris", 90_000, 0)
    frame["price"] += rng.normal(0, 10_000, 300)
    table = load_table(write(tmp_path, frame), "price")
    data = table.splits
    assert data.task == "regression" and table.feature_names == ("rooms", "area", "city=Lyon", "city=Paris")
    model = fit(data.train_x, data.train_y[:, None], 1, torch.nn.functional.mse_loss)
    with torch.no_grad():
        predicted = table.in_target_units(model(data.test_x)[:, 0])
    truth = table.in_target_units(data.test_y)
    r2 = 1 - ((predicted - truth) ** 2).sum() / ((truth - truth.mean()) ** 2).sum()
    assert r2.item() > 0.9
