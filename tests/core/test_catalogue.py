"""The torch-free catalogues agree with the registries, and listing them does not import torch."""

import subprocess
import sys

from playground.core.data import synthetic
from playground.core.data.catalogue import CLASSIFICATION_POINTS, DATASET_CATALOGUE, REGRESSION_POINTS
from playground.core.data.registry import DATASETS
from playground.core.models.catalogue import ACTIVATION_NAMES, ARCH_CATALOGUE
from playground.core.models.layers import ACTIVATIONS
from playground.core.models.registry import ARCHITECTURES


def test_catalogues_match_registries():
    assert list(ARCHITECTURES) == list(ARCH_CATALOGUE)
    assert list(DATASETS) == list(DATASET_CATALOGUE)
    assert set(ACTIVATION_NAMES) == set(ACTIVATIONS)
    assert set(CLASSIFICATION_POINTS) == set(synthetic.CLASSIFICATION)
    assert set(REGRESSION_POINTS) == set(synthetic.REGRESSION)
    assert ARCHITECTURES["mlp"].description == ARCH_CATALOGUE["mlp"].description


def test_catalogues_and_validation_need_no_torch():
    code = ("import sys; import playground.core.models.catalogue, playground.core.data.catalogue;"
            "from playground.core.config import TrainConfig, validate; assert validate(TrainConfig()) == [];"
            "assert 'torch' not in sys.modules, 'torch was imported'")
    subprocess.run([sys.executable, "-c", code], check=True)
