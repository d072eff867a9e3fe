"""The training part of an exported script: the run's optimizer and schedule, and a loop like the Trainer's (data
held as tensors, batches by a seeded per-epoch permutation, full batches only, one schedule step per step)."""

from __future__ import annotations

import inspect

from playground.core.config import TrainConfig
from playground.core.optimizer_settings import OptimizerSettings
from playground.core.training import augment


def optimizer_source(config: TrainConfig) -> str:
    s = OptimizerSettings.of_config(config)
    if s.optimizer == "muon":
        return _muon_source(s)
    args = {
        "sgd": f"momentum={s.momentum!r}, nesterov={s.nesterov}, weight_decay={s.weight_decay!r}",
        "adam": f"betas=({s.beta1!r}, {s.beta2!r}), weight_decay={s.weight_decay!r}",
        "adamw": f"betas=({s.beta1!r}, {s.beta2!r}), weight_decay={s.weight_decay!r}",
        "rmsprop": f"momentum={s.momentum!r}, weight_decay={s.weight_decay!r}",
        "adadelta": f"weight_decay={s.weight_decay!r}",
    }[s.optimizer]
    cls = {"sgd": "SGD", "adam": "Adam", "adamw": "AdamW", "rmsprop": "RMSprop", "adadelta": "Adadelta"}[s.optimizer]
    return (f"def make_optimizer(model):\n"
            f"    return torch.optim.{cls}(model.parameters(), lr=LR, {args})\n")


def _muon_source(s: OptimizerSettings) -> str:
    from playground.core.training import muon

    parts = [f"from typing import Any\n\nNS_COEFFICIENTS = {muon.NS_COEFFICIENTS!r}\nNS_STEPS = {muon.NS_STEPS}"]
    parts += [inspect.getsource(o) for o in (muon.hidden_matrices, muon.MuonAdamW, muon.orthogonalized)]
    parts.append(f'''def make_optimizer(model):
    """Muon for the hidden weight matrices, AdamW for the rest (one learning rate: see MuonAdamW)."""
    hidden = hidden_matrices(model)
    groups = [{{"params": [p for p in model.parameters() if id(p) in hidden], "use_muon": True}},
              {{"params": [p for p in model.parameters() if id(p) not in hidden]}}]
    return MuonAdamW([g for g in groups if g["params"]], lr=LR, betas=({s.beta1!r}, {s.beta2!r}),
                     weight_decay={s.weight_decay!r})
''')
    return "\n\n".join(p.strip() + "\n" for p in parts)


def schedule_source(config: TrainConfig) -> str:
    s = OptimizerSettings.of_config(config)
    doc = '    """The learning rate per step over the whole run (None: constant)."""\n'
    head = "def make_schedule(optimizer, steps_per_epoch, total_steps):\n" + doc
    S = "torch.optim.lr_scheduler"
    if s.schedule == "step":
        return head + f"    return {S}.StepLR(optimizer, {s.step_epochs} * steps_per_epoch, gamma={s.gamma!r})\n"
    if s.schedule == "cosine":
        return head + f"    return {S}.CosineAnnealingLR(optimizer, total_steps)\n"
    if s.schedule == "onecycle":
        # as playground does: momentum cycles where the optimizer has one
        cycle = s.optimizer in ("adam", "adamw") or (s.optimizer in ("sgd", "rmsprop") and s.momentum > 0)
        return head + f"    return {S}.OneCycleLR(optimizer, LR, total_steps=total_steps, cycle_momentum={cycle})\n"
    return head + "    return None\n"


_LOOP = '''
def loss_of(outputs, targets, label_smoothing=0.0):
    if CLASSIFICATION:
        return F.cross_entropy(outputs, targets, label_smoothing=label_smoothing)
    return F.mse_loss(outputs.squeeze(1), targets)


@torch.no_grad()
def evaluate(model, x, y):
    """(mean loss, accuracy) over a whole split."""
    model.eval()
    total, correct = 0.0, 0
    for i in range(0, len(x), EVAL_BATCH_SIZE):
        outputs, targets = model(x[i:i + EVAL_BATCH_SIZE]), y[i:i + EVAL_BATCH_SIZE]
        total += loss_of(outputs, targets).item() * len(targets)
        if CLASSIFICATION:
            correct += (outputs.argmax(1) == targets).sum().item()
    model.train()
    return total / len(x), correct / len(x)


def train(data_dir, epochs, device, max_steps=None):
    train_x, train_y, test_x, test_y = load_data(data_dir)__HOLD_OUT__
    torch.manual_seed(SEED)
    model = build_model().to(device)
    train_x, train_y, test_x, test_y = (t.to(device) for t in (train_x, train_y, test_x, test_y))
    steps_per_epoch = max(1, len(train_x) // BATCH_SIZE)  # full batches only
    optimizer = make_optimizer(model)
    schedule = make_schedule(optimizer, steps_per_epoch, steps_per_epoch * epochs)
    generator = torch.Generator(device=device)
    for epoch in range(1, epochs + 1):
        generator.manual_seed(SEED + epoch - 1)  # each epoch's order follows from the seed and the epoch
        perm = torch.randperm(len(train_x), device=device, generator=generator)
        steps = steps_per_epoch if max_steps is None else min(steps_per_epoch, max_steps)
        total = torch.zeros((), device=device)
        model.train()
        for i in range(steps):
            idx = perm[i * BATCH_SIZE:(i + 1) * BATCH_SIZE]
            x, y = train_x[idx], train_y[idx]__AUGMENT__
            loss = loss_of(model(x), y, LABEL_SMOOTHING)__L1__
            optimizer.zero_grad(set_to_none=True)
            loss.backward()
            optimizer.step()
            if schedule is not None:
                schedule.step()
            total += loss.detach()
        test_loss, test_accuracy = evaluate(model, test_x, test_y)
        figures = f"test_loss={test_loss:.4f}" + (f" test_accuracy={test_accuracy:.4f}" if CLASSIFICATION else "")
        print(f"epoch {epoch}/{epochs} train_loss={total.item() / steps:.4f} {figures}", flush=True)
    return test_loss, test_accuracy


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0],
                                     formatter_class=argparse.ArgumentDefaultsHelpFormatter)
    parser.add_argument("--data-dir", default=__DATA_DIR__, help="folder with the dataset in torchvision's layout")
    parser.add_argument("--epochs", type=int, default=EPOCHS, help="passes over the training split")
    parser.add_argument("--device", default="cuda" if torch.cuda.is_available() else "cpu")
    parser.add_argument("--max-steps", type=int, default=None, help="at most this many steps per epoch (a quick try)")
    args = parser.parse_args()
    test_loss, test_accuracy = train(args.data_dir, args.epochs, torch.device(args.device), args.max_steps)
    print(f"test_accuracy={test_accuracy:.4f}" if CLASSIFICATION else f"test_loss={test_loss:.4f}")


if __name__ == "__main__":
    main()
'''

_HOLD_OUT = '''
    # the validation split playground held out: trained on by neither
    held_out = torch.randperm(len(train_x), generator=torch.Generator().manual_seed(SEED))
    keep = held_out[max(1, int(len(train_x) * VAL_FRACTION)):]
    train_x, train_y = train_x[keep], train_y[keep]'''


def training_source(config: TrainConfig) -> str:
    """The loop and main(), with only the steps this run takes (augmentation, L1, a validation split)."""
    pad = "\n" + " " * 12
    loop = (_LOOP.replace("__HOLD_OUT__", _HOLD_OUT if config.val_fraction > 0 else "")
            .replace("__AUGMENT__", pad + "x = random_shift(x, generator=generator)  # up to 2 pixels each way"
                     if config.augment else "")
            .replace("__L1__", pad + "loss = loss + L1 * sum(p.abs().sum() for p in model.parameters())"
                     if config.l1 > 0 else "")
            .replace("__DATA_DIR__", repr(config.data_dir or "data")))
    shift = inspect.getsource(augment.random_shift) + "\n\n" if config.augment else ""
    return shift + loop.lstrip("\n")
