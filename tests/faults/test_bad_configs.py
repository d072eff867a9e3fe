"""TOML configs with unknown keys, wrong types and out-of-range values, at the top and in every nested table
(arch_options, dataset_options, optimizers): one line that names the key, exit 2, nothing trained."""

from __future__ import annotations

import pytest
from faultkit import one_line_error

BAD = {  # file text -> words the one line must hold
    "unknown top-level key": ('epochz = 3\n', ["epochz", "unknown setting"]),
    "unknown key with a line break": ('"ep\\nochs" = 3\n', ["'ep\\nochs'", "unknown setting"]),
    "wrong type": ('batch_size = "64"\n', ["batch_size", "expected int"]),
    "bool for an int": ('epochs = true\n', ["epochs", "expected int"]),
    "out of range": ('val_fraction = 0.95\n', ["val_fraction", "below 0.9"]),
    "nan": ('lr = nan\n', ["lr", "positive"]),
    "int past any float": (f'lr = {10**400}\n', ["lr", "expected float", "..."]),
    "epochs past int32": (f'epochs = {2**31}\n', ["epochs", "at most"]),
    "epochs past any float": (f'epochs = {10**400}\n', ["epochs", "positive number"]),
    "table where a value goes": ('[lr]\nvalue = 1\n', ["lr", "expected float"]),
    "arch_options not a table": ('arch = "mlp"\narch_options = 5\n', ["arch_options", "expected dict"]),
    "arch_options unknown key": ('arch = "mlp"\n[arch_options]\nwidth = 8\n', ["arch_options", "'width'", "hidden"]),
    "arch_options wrong type": ('arch = "mlp"\n[arch_options]\ndropout = "high"\n', ["dropout", "float"]),
    "arch_options out of range": ('arch = "mlp"\n[arch_options]\ndropout = 1.5\n', ["dropout", "at most 0.95"]),
    "arch_options list of text": ('arch = "mlp"\n[arch_options]\nhidden = ["64"]\n', ["hidden", "whole numbers"]),
    "arch_options huge layer": ('arch = "mlp"\n[arch_options]\nhidden = [100000000]\n', ["hidden", "at most"]),
    "arch_options nested table": ('arch = "mlp"\n[arch_options.hidden]\nsize = 3\n', ["hidden", "list"]),
    "arch_options float past any float": (f'arch = "mlp"\n[arch_options]\ndropout = {10**400}\n',
                                          ["dropout", "finite"]),
    "dataset_options unknown key": ('dataset = "spiral"\n[dataset_options]\npoints = 9\n', ["'points'", "samples"]),
    "dataset_options wrong type": ('dataset = "spiral"\n[dataset_options]\nsamples = 1.5\n', ["samples", "int"]),
    "dataset_options out of range": ('dataset = "spiral"\n[dataset_options]\nnoise = -1\n', ["noise", "at least"]),
    "dataset_options of another set": ('dataset = "mnist"\n[dataset_options]\nsamples = 100\n',
                                       ["mnist has no option 'samples'"]),
    "optimizers not a table": ('arch = "gan"\noptimizers = "adam"\n', ["optimizers", "expected dict"]),
    "optimizers unknown network": ('arch = "gan"\n[optimizers.critic]\nlr = 0.001\n', ["'critic'", "generator"]),
    "optimizers for a one-network model": ('arch = "mlp"\n[optimizers.model]\nlr = 0.1\n', ["main settings"]),
    "optimizers network not a table": ('arch = "gan"\n[optimizers]\ngenerator = 0.001\n',
                                       ["generator", "table of settings"]),
    "optimizers unknown setting": ('arch = "gan"\n[optimizers.generator]\nlearning_rate = 1\n',
                                   ["generator.learning_rate", "unknown setting"]),
    "optimizers wrong type": ('arch = "gan"\n[optimizers.generator]\nlr = "fast"\n', ["generator.lr", "float"]),
    "optimizers out of range": ('arch = "gan"\n[optimizers.discriminator]\nbeta1 = 1.5\n',
                                ["discriminator.beta1", "below 1"]),
    "optimizers unknown optimizer": ('arch = "gan"\n[optimizers.generator]\noptimizer = "lbfgs"\n',
                                     ["generator.optimizer", "lbfgs", "adam"]),
    "optimizers lr past any float": (f'arch = "gan"\n[optimizers.generator]\nlr = {10**400}\n',
                                     ["generator.lr", "finite"]),
    "optimizers nan": ('arch = "gan"\n[optimizers.generator]\nmomentum = nan\n', ["generator.momentum", "finite"]),
    "not TOML": ('epochs = = 3\n', ["cannot read", "TOML syntax"]),
    "not UTF-8": (b'data_dir = "caf\xe9"\n', ["UTF-8"]),
}


@pytest.mark.parametrize("case", list(BAD))
def test_a_bad_config_is_one_line_naming_the_key(tmp_path, cli, case):
    text, words = BAD[case]
    path = tmp_path / "run.toml"
    path.write_bytes(text if isinstance(text, bytes) else text.encode())
    code, out, err = cli("train", "--config", path, "--out", tmp_path / "run")
    assert code == 2
    one_line_error(code, err, *words)
    assert not (tmp_path / "run").exists()  # refused before the run folder is made


def test_every_problem_of_a_file_is_named_at_once(tmp_path, cli):
    path = tmp_path / "run.toml"
    path.write_text('arch = "gan"\nepochs = 0\n[arch_options]\nlatent = 1\n[optimizers.generator]\nlr = -1\n')
    code, _, err = cli("train", "--config", path)
    one_line_error(code, err, "epochs", "latent", "generator.lr")
