"""`playground sweep` from the command line and a TOML file, and the messages for bad input: each one line that
names the problem and the fix, before any trial runs."""

from __future__ import annotations

import json
import sys

import pytest

from playground.cli import main
from playground.core.errors import ConfigError, PlaygroundError
from playground.core.sweeps import SweepSpec, parse_space, parse_vary, run_sweep
from playground.core.sweeps.storage import require_optuna
from tests.sweeps.conftest import tiny_config

TINY = ["--arch", "mlp", "-O", "hidden=16", "--dataset", "xor", "--dataset-option", "samples=400",
        "--batch-size", "32", "--device", "cpu", "--epochs", "1", "--threads", "1"]


def test_vary_and_toml_read_every_form():
    assert parse_vary("lr=log:1e-4:1e-1").to_dict() == {"path": "lr", "kind": "log_uniform", "low": 1e-4,
                                                         "high": 0.1}
    assert parse_vary("arch_options.dropout=0:0.5").kind == "uniform"
    assert parse_vary("epochs=int:1:4").grid() == [1, 2, 3, 4]
    assert parse_vary("batch_size=32,64,128").choices == (32, 64, 128)
    assert parse_vary("arch_options.hidden=[32],[64,64]").choices == ([32], [64, 64])
    assert parse_vary("arch_options.activation=relu,tanh").choices == ("relu", "tanh")
    space = parse_space({"lr": {"log_uniform": [1e-4, 1e-1]}, "arch_options": {"hidden": [[64], [128, 64]]},
                         "layers.2.out_features": {"int": [8, 32]}})
    assert [p.path for p in space] == ["lr", "arch_options.hidden", "layers.2.out_features"]


def test_a_toml_sweep_runs_from_the_command_line_and_shows_as_json(tmp_path, storage, capsys):
    config = tmp_path / "sweep.toml"
    config.write_text('arch = "mlp"\ndataset = "xor"\nepochs = 1\nbatch_size = 32\ndevice = "cpu"\nthreads = 1\n'
                      '[arch_options]\nhidden = [16]\n[dataset_options]\nsamples = 400\n'
                      '[sweep]\ntrials = 2\nstrategy = "grid"\nmetric = "test_accuracy"\n'
                      '[sweep.space]\n"arch_options.hidden" = [[8], [16]]\n')
    assert main(["sweep", "--config", str(config), "--name", "toml", "--storage", storage]) == 0
    assert "best: trial" in capsys.readouterr().out
    assert main(["sweep", "show", "toml", "--storage", storage, "--json"]) == 0
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [(t["number"], t["state"]) for t in lines] == [(0, "complete"), (1, "complete")]
    assert {tuple(t["params"]["arch_options.hidden"]) for t in lines} == {(8,), (16,)}
    assert all(t["run"] and 0 <= t["value"] <= 1 for t in lines)


@pytest.mark.parametrize("flags, words", [
    (["--vary", "lr=log:1e-1:1e-4"], ["reversed", "[0.0001, 0.1]"]),
    (["--vary", "lr=0.1:0.1"], ["empty"]),
    (["--vary", "batch_size="], ["NAME=VALUES"]),
    (["--vary", "learning_rate=0.1,0.2"], ["learning_rate is not a setting", "lr"]),
    (["--vary", "arch_options.width=8,16"], ["no arch option", "hidden"]),
    (["--vary", "layers.2.out_features=8,16"], ["layer"]),
    (["--vary", "arch_options.hidden=[0],[8]"], ["hidden"]),
    (["--vary", "lr=0.1,0.2", "--vary", "batch_size=8,16", "--strategy", "grid", "--trials", "3"],
     ["grid has 4 points", "raise trials to 4"]),
    (["--vary", "lr=log:1e-3:1e-1", "--strategy", "grid"], ["continuous range", "random or tpe"]),
    (["--vary", "lr=0.1,0.2", "--trials", "0"], ["at least 1"]),
    (["--vary", "lr=0.1,0.2", "--metric", "accuracy"], ["test_accuracy"]),
    ([], ["nothing varies", "--vary"]),
])
def test_bad_input_is_one_clear_line(storage, capsys, flags, words):
    assert main(["sweep", *TINY, "--storage", storage, *flags]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and err.startswith("playground: error:"), err
    for word in words:
        assert word in err


def test_a_metric_the_task_does_not_report_ends_the_sweep_naming_those_it_does(storage):
    spec = SweepSpec("no-metric", tiny_config(epochs=1), (parse_vary("lr=0.01,0.02"),), trials=2,
                     metric="test_r2")
    with pytest.raises(ConfigError, match="does not report test_r2; it reports .*test_accuracy"):
        run_sweep(spec, storage)


def test_an_unreachable_postgresql_says_how_to_start_one(capsys):
    url = "postgresql://nobody@127.0.0.1:9/none"  # port 9 (discard): nothing listens
    assert main(["sweep", "show", "any", "--storage", url]) == 2
    err = capsys.readouterr().err
    assert "cannot reach the sweep storage" in err and "start the server" in err and "createdb" in err


def test_an_unknown_sweep_and_a_taken_name_say_what_to_do(storage, capsys):
    assert main(["sweep", "show", "never-made", "--storage", storage]) == 2
    assert "no sweep named 'never-made'" in capsys.readouterr().err
    spec = SweepSpec("taken", tiny_config(epochs=1), (parse_vary("lr=0.01,0.02"),), trials=2, strategy="grid")
    run_sweep(spec, storage)
    with pytest.raises(PlaygroundError, match="--resume"):
        run_sweep(spec, storage)


def test_without_optuna_the_message_names_the_extra(monkeypatch):
    monkeypatch.setitem(sys.modules, "optuna", None)
    with pytest.raises(PlaygroundError, match=r"pip install 'playground\[sweeps\]'"):
        require_optuna()
