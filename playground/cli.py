"""The `playground` command: no subcommand starts the app; train, bench, list, runs and export run headless.

Imports only the standard library at module level so that `playground --help` answers at once;
the core (and torch) load inside the subcommands.
"""

from __future__ import annotations

import argparse
import os
import sys
from dataclasses import fields
from typing import Any, NoReturn

# TrainConfig fields with their own flags, and the help for each; names map to --kebab-case.
_FLAG_HELP = {
    "arch": "architecture (see `playground list`)", "dataset": "dataset (see `playground list`)",
    "data_dir": "folder with datasets in torchvision's layout (default: $PLAYGROUND_DATA_DIR, else a per-user folder)",
    "data_file": "your own file, for the datasets that read one (text: any UTF-8 text; csv: a table)",
    "target": "csv: the column to learn", "task": "csv: classification or regression (default: from the target)",
    "val_fraction": "fraction of the training split held out for validation",
    "epochs": "passes over the training split", "batch_size": "samples per step (per rank under torchrun)",
    "lr": "learning rate",
    "lr_scaling": "under torchrun, the learning rate times the world size (linear), its square root (sqrt), or none",
    "optimizer": "sgd, adam, adamw, rmsprop or adadelta", "momentum": "momentum (sgd, rmsprop)",
    "nesterov": "Nesterov momentum (sgd)", "weight_decay": "L2 penalty (weight decay)", "l1": "L1 penalty",
    "schedule": "learning-rate schedule: none, step, cosine or onecycle",
    "step_epochs": "step schedule: epochs between rate drops", "gamma": "step schedule: factor per drop",
    "augment": "random shifts of up to 2 px, on the device",
    "distort": "handwriting-like distortions on the device, 0 (off) to 1 (strong): rotation, size, slant, "
               "stroke thickness, a wobbly hand", "label_smoothing": "cross-entropy label smoothing",
    "seed": "random seed", "device": "auto, cpu, cuda, cuda:N or mps", "threads": "CPU threads (0 = all cores)",
    "amp": "bf16/fp16 autocast on CUDA",
    "cpu_amp": "bf16 autocast on a CPU that computes bf16 natively (AVX512-BF16, AMX); ignored elsewhere",
    "channels_last": "channels-last memory layout for conv nets",
    "compile": "torch.compile the model (falls back cleanly where unavailable)",
    "eval_batch_size": "batch size for evaluation",
}


class _Parser(argparse.ArgumentParser):
    """Usage errors in one line like every other error: the train usage alone is a screenful."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: error: {message}; see {self.prog} --help\n")


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.command is None:
        from playground.gui.app import main as app_main

        return app_main()
    from playground.core.errors import PlaygroundError

    try:
        return args.run(args)
    except PlaygroundError as e:
        print(f"playground: error: {e}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("playground: interrupted", file=sys.stderr)
        return 130


def entry() -> NoReturn:
    """The console command. A run that a signal stopped, once it has saved and said so, leaves through os._exit:
    the interpreter takes half a second to unload torch, and a second Ctrl+C landing there printed a traceback."""
    status = main()
    if status in (130, 143):  # 128 + SIGINT, 128 + SIGTERM
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(status)
    sys.exit(status)


def _parser() -> argparse.ArgumentParser:
    p = _Parser(prog="playground", description="Learn and try out deep learning with PyTorch. "
                                "Without a command, opens the desktop app.")
    sub = p.add_subparsers(dest="command", metavar="{train,sweep,bench,list,generate,runs,export}")
    train = sub.add_parser("train", help="train a model headless, recorded in the run store",
                           formatter_class=argparse.ArgumentDefaultsHelpFormatter)
    _add_config_flags(train)
    train.add_argument("--config", metavar="FILE.toml", help="settings file (flags override it)")
    train.add_argument("--preset", metavar="NAME", help="named settings, e.g. mnist-in-a-minute")
    train.add_argument("--out", metavar="RUN_DIR", help="run folder for config.toml, metrics.jsonl, model.pt "
                       "(default: a new folder in the runs folder, $PLAYGROUND_RUNS_DIR or a per-user one)")
    train.add_argument("--resume", metavar="RUN", help="continue a run up to --epochs, with its settings (flags "
                       "override them, a new --lr too), in its folder and record unless --out says otherwise; RUN is "
                       "a run's id, name or folder, or a model.pt")
    train.add_argument("--name", metavar="NAME", help="the run's name in the store (default: its folder's name)")
    train.add_argument("--tensorboard", metavar="DIR", help="also write TensorBoard event files, into DIR/<run name> "
                       "(needs pip install 'playground[tensorboard]')")
    train.add_argument("--no-optimizer-state", action="store_true", help="leave the optimizer state out of model.pt")
    train.add_argument("--quiet", action="store_true", help="no progress bar")
    train.set_defaults(run=_run_train)
    bench = sub.add_parser("bench", help="time training steps of the Trainer the app uses",
                           formatter_class=argparse.ArgumentDefaultsHelpFormatter)
    _add_config_flags(bench)
    bench.add_argument("--steps", type=int, default=200, help="timed steps")
    bench.add_argument("--warmup", type=int, default=10, help="untimed steps first")
    bench.set_defaults(run=_run_bench)
    sub.add_parser("list", help="architectures, datasets and presets").set_defaults(run=_run_list)
    generate = sub.add_parser("generate", help="make something with a trained model: text from a language model "
                              "(printed), digits from a GAN or VAE (PNG files)",
                              formatter_class=argparse.ArgumentDefaultsHelpFormatter)
    generate.add_argument("ref", metavar="RUN", help="a run's id, name or folder, or a model.pt")
    generate.add_argument("--prompt", default="", help="text: what the model goes on from")
    generate.add_argument("--length", type=int, default=500, help="text: characters to write")
    generate.add_argument("--temperature", type=float, default=0.8,
                          help="text: below 1 sharper and safer, above 1 wilder; 0 takes the likeliest character")
    generate.add_argument("--top-k", type=int, default=0, help="text: draw from the k likeliest characters (0: all)")
    generate.add_argument("--count", type=int, default=16, help="images: how many")
    generate.add_argument("--out", metavar="DIR", help="images: folder for sample-0000.png, ...")
    generate.add_argument("--seed", type=int, default=0, help="random seed")
    generate.set_defaults(run=_run_generate)
    from playground.cli_export import add_export_parser
    from playground.cli_runs import add_runs_parser
    from playground.cli_sweep import add_sweep_parser

    add_sweep_parser(sub)

    add_runs_parser(sub)
    add_export_parser(sub)
    return p


def _add_config_flags(p: argparse.ArgumentParser) -> None:
    from playground.core.config import TrainConfig  # torch-free

    defaults = TrainConfig()
    for f in fields(TrainConfig):
        if f.name not in _FLAG_HELP:
            continue
        flag = "--" + f.name.replace("_", "-")
        default = getattr(defaults, f.name)
        shown = f"{_FLAG_HELP[f.name]} [{default!r}]" if default != "" else _FLAG_HELP[f.name]
        if isinstance(default, bool):
            p.add_argument(flag, action=argparse.BooleanOptionalAction, default=None, help=shown)
        else:
            p.add_argument(flag, type=type(default), default=None, metavar=f.name.upper(), help=shown)
    p.add_argument("--features", metavar="A,B,C", help="csv: the columns to learn from (default: every other one)")
    p.add_argument("--option", "-O", action="append", default=[], metavar="NAME=VALUE",
                   help="architecture option, e.g. -O hidden=256,128 -O dropout=0.2 (see `playground list`)")
    p.add_argument("--dataset-option", action="append", default=[], metavar="NAME=VALUE",
                   help="dataset option, e.g. --dataset-option noise=0.2")
    p.add_argument("--optim", action="append", default=[], metavar="NETWORK.SETTING=VALUE",
                   help="optimizer setting of one network of a model that has several (a gan's generator and "
                        "discriminator), e.g. --optim generator.lr=0.0002 --optim discriminator.beta1=0.5")


def build_config(args: argparse.Namespace) -> Any:
    """Defaults < the resumed checkpoint's settings < preset < config file < flags."""
    from playground.core.config import TrainConfig, check, read_toml
    from playground.core.presets import load_preset

    values: dict[str, Any] = {}
    for layer in (_checkpoint_settings(args.resume) if getattr(args, "resume", None) else {},
                  load_preset(args.preset) if getattr(args, "preset", None) else {},
                  read_toml(args.config, skip=getattr(args, "config_skip", ())) if getattr(args, "config", None)
                  else {}):
        values = _merge(values, layer)
    flags = {k: getattr(args, k) for k in _FLAG_HELP if getattr(args, k, None) is not None}
    if getattr(args, "features", None):
        flags["features"] = [c.strip() for c in args.features.split(",") if c.strip()]
    values = _saved_network(_merge(values, flags))
    defaults = TrainConfig()
    dataset = values.get("dataset", defaults.dataset)
    if "arch" not in values and _dataset_info(dataset) is not None and _dataset_info(dataset).arch:
        values["arch"] = _dataset_info(dataset).arch  # a table's default is mlp: seed-cnn cannot read one
    values = {**_arch_run_defaults(values.get("arch", defaults.arch), dataset), **values}
    config = TrainConfig.from_dict(values)
    config = config.replace(
        arch_options={**config.arch_options, **_parse_options(args.option, "arch", config.arch)},
        dataset_options={**config.dataset_options, **_parse_options(args.dataset_option, "dataset", config.dataset)},
        optimizers=_merge_optim(config.optimizers, getattr(args, "optim", [])))
    return check(config)


def _saved_network(values: dict[str, Any]) -> dict[str, Any]:
    """--arch NAME of a network saved in the layer editor: a custom network with its layers."""
    from playground.core.models.catalogue import ARCH_CATALOGUE
    from playground.core.models.custom.saved import load_network, saved_networks

    name = values.get("arch")
    if not name or name in ARCH_CATALOGUE or name not in saved_networks():
        return values
    return {**values, "arch": "custom", "arch_options": {"name": name}, "layers": load_network(name)}


def _arch_run_defaults(arch: str, dataset: str) -> dict[str, Any]:
    """What an architecture trains best with on this kind of data (a gan's epochs, an lstm's on text), under
    every setting the user gave."""
    from playground.core.models.catalogue import ARCH_CATALOGUE

    info = _dataset_info(dataset)
    if arch not in ARCH_CATALOGUE:
        return {}
    own = dict(info.run_defaults) if info is not None else {}  # a table's epochs, under the arch's own
    return {**own, **ARCH_CATALOGUE[arch].run_defaults_for(info.inputs if info is not None else "")}


def _dataset_info(dataset: str) -> Any:
    """The catalogue's entry for this dataset, or None for a name it lacks (validate says so)."""
    from playground.core.data.catalogue import DATASET_CATALOGUE

    return DATASET_CATALOGUE.get(dataset)


def _merge_optim(base: dict[str, Any], items: list[str]) -> dict[str, Any]:
    """--optim generator.lr=0.0002 over the config's optimizers table."""
    from playground.core.errors import ConfigError
    from playground.core.optimizer_settings import OptimizerSettings

    merged = {k: dict(v) if isinstance(v, dict) else v for k, v in base.items()}
    defaults = OptimizerSettings()
    for item in items:
        target, sep, text = item.partition("=")
        network, dot, key = target.strip().partition(".")
        if not sep or not dot or not hasattr(defaults, key):
            raise ConfigError([("optim", f"{item!r} is not NETWORK.SETTING=VALUE, e.g. generator.lr=0.0002, "
                                         f"with SETTING one of {', '.join(defaults.__dataclass_fields__)}")])
        kind = type(getattr(defaults, key))
        try:
            value = (text.strip().lower() in ("true", "1", "yes")) if kind is bool else kind(text.strip())
        except ValueError:
            raise ConfigError([(f"optim {target}", f"cannot read {text!r} as a {kind.__name__}")]) from None
        merged.setdefault(network, {})[key] = value
    return merged


def _checkpoint_settings(ref: str) -> dict[str, Any]:
    """The settings of the run to resume (an id, a name, a folder or a model.pt): `--resume RUN --epochs 3` needs
    no others."""
    from playground.core.checkpoint import load_checkpoint  # torch: resuming trains anyway
    from playground.core.store import RunStore, resume_target

    with RunStore.open() as store:
        checkpoint = resume_target(ref, store).checkpoint
    return load_checkpoint(checkpoint).config.to_dict()


_OPTION_OWNERS = {"arch_options": "arch", "dataset_options": "dataset"}


def _merge(base: dict, layer: dict) -> dict:
    """`layer` over `base`; options merge while their architecture (dataset) stays and are dropped when it changes."""
    from playground.core.config import TrainConfig

    merged = {**base, **layer}
    for options, owner in _OPTION_OWNERS.items():
        before = base.get(owner, getattr(TrainConfig(), owner))
        if layer.get(owner, before) == before:
            if options in base and options in layer:
                merged[options] = {**base[options], **layer[options]}
        elif options not in layer:
            merged.pop(options, None)  # options of another architecture (dataset) do not carry over
    return merged


def _parse_options(items: list[str], what: str, name: str) -> dict[str, Any]:
    from playground.core.errors import ConfigError

    if not items:
        return {}
    if what == "arch":  # the catalogues need no torch: a mistake is reported at once
        from playground.core.models.catalogue import ARCH_CATALOGUE as registry
    else:
        from playground.core.data.catalogue import DATASET_CATALOGUE as registry
    if name not in registry:
        return {}  # check() reports the unknown name
    specs = {o.name: o for o in registry[name].options}
    parsed = {}
    for item in items:
        key, sep, text = item.partition("=")
        key = key.strip().replace("-", "_")
        if not sep or key not in specs:
            known = ", ".join(specs) or "none"
            raise ConfigError([(f"{what} option", f"{item!r} is not NAME=VALUE with NAME one of {known}")])
        try:
            parsed[key] = specs[key].parse(text.strip())
        except ValueError as e:
            raise ConfigError([(f"{what} option {key}", f"cannot read {text!r}: {e}")]) from None
    return parsed


def _run_train(args: argparse.Namespace) -> int:
    config = build_config(args)  # before cli_train imports torch: a bad setting is reported at once
    from playground.cli_train import run_train

    return run_train(args, config)


def _run_bench(args: argparse.Namespace) -> int:
    from playground.core.errors import ConfigError

    if args.steps < 1 or args.warmup < 0:
        raise ConfigError([("steps", "--steps must be at least 1 and --warmup at least 0")])
    config = build_config(args)  # before torch loads: a bad setting is reported at once
    from playground.core.training.benchmark import benchmark
    from playground.core.training.ranks import join_ranks

    with join_ranks(config.device) as ranks:  # under torchrun: every rank's step, DDP included
        rate = benchmark(config, args.steps, args.warmup, ranks)
    if not ranks.is_zero:
        return 0
    print(f"arch={config.arch} dataset={config.dataset} batch_size={config.batch_size} steps={args.steps}")
    print(f"samples_per_s={rate:.1f}")
    if ranks.distributed:
        print(f"world_size={ranks.world_size} backend={ranks.backend} "
              f"samples_per_s_per_rank={rate / ranks.world_size:.1f}")
    return 0


def _run_generate(args: argparse.Namespace) -> int:
    from playground.core.errors import ConfigError

    if args.count < 1 or args.length < 0 or args.temperature < 0 or args.top_k < 0:
        raise ConfigError([("generate", "--count must be at least 1, and --length, --temperature and --top-k at "
                                        "least 0")])
    from playground.core.checkpoint import load_checkpoint
    from playground.core.kinds import GenerateRequest
    from playground.core.store import RunStore, resume_target

    with RunStore.open() as store:
        checkpoint = load_checkpoint(resume_target(args.ref, store).checkpoint)
    request = GenerateRequest(args.count, args.seed, args.out or "", args.prompt, args.length, args.temperature,
                              args.top_k)
    print(checkpoint.spec.kind.generate(checkpoint, request))
    return 0


def _run_list(args: argparse.Namespace) -> int:
    from playground.core.data.catalogue import DATASET_CATALOGUE as DATASETS  # no torch: answers at once
    from playground.core.models.catalogue import ARCH_CATALOGUE as ARCHITECTURES
    from playground.core.presets import preset_description, preset_names

    print("Architectures:")
    for a in ARCHITECTURES.values():
        opts = ", ".join(f"{o.name}={o.default}" for o in a.options)
        print(f"  {a.name:14} {a.description}" + (f"  [options: {opts}]" if opts else ""))
    print("Datasets:")
    for d in DATASETS.values():
        print(f"  {d.name:14} {d.description}" + ("" if d.needs_download else "  (no download)"))
    from playground.core.models.custom.saved import saved_networks

    for name, path in saved_networks().items():
        print(f"  {name:14} Your network (saved in {path}): playground train --arch {name}")
    print("Presets:")
    for name in preset_names():
        print(f"  {name:18} {preset_description(name)}")
    return 0
