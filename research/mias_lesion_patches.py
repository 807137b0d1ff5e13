#!/usr/bin/python3
# An experiment, not part of the product: can mini-MIAS's lesion centres
# (Info.txt) teach what 216 film-level labels do not? A network learns lesion
# patches against normal tissue, then scores each whole film by the highest
# patch score on its breast; 4 folds of women out of fold, test films never
# read. It also scores each film against the same woman's other film.
# docs/models.md (mammo_mias) has the figures. Debian's python3-torch and numpy.
#   radiolens-train train --task mammo_mias --members 4 --cross-fit --epochs 1 --run-dir runs/mias_split
#   research/mias_lesion_patches.py runs/mias_split/validation.csv [--epochs N] [--hard-negatives] [--seed N]
#     [--full SIZE --patch P]   (the same films from mammo_mias_full/ at SIZE px instead of mammo_mias/'s 256)
import argparse, collections, os, random, subprocess, sys, tempfile
import numpy as np, torch, torch.nn as nn, torch.nn.functional as F
from oof_scores import auc, group_interval

ap = argparse.ArgumentParser()
ap.add_argument('films', help="a cross-fitted run's validation.csv: the non-test films and their women")
ap.add_argument('--epochs', type=int, default=25)
ap.add_argument('--patch', type=int, default=48, help='patch side in px of the film')
ap.add_argument('--full', type=int, default=0, help="read mammo_mias_full/'s 1024 px films, scaled to this size")
ap.add_argument('--hard-negatives', action='store_true',
                help="from epoch 6, also train on each normal film's 6 highest-scoring spots")
ap.add_argument('--seed', type=int, default=1, help='another seed deals other folds and starts other networks')
ap.add_argument('--dump', default='build/native/tests/preprocess_dump')
a = ap.parse_args()
torch.set_num_threads(2)
P, S = a.patch, a.full or 256

rows = [l.split(',') for l in open(a.films).read().split('\n')[1:] if l]
files, group = [r[0] for r in rows], {r[0]: r[1] for r in rows}
info = os.path.join(os.path.dirname(files[0]), 'Info.txt')
kind, lesions = {}, collections.defaultdict(list)
for l in open(info):
    f = l.split()
    if len(f) >= 3 and f[0].startswith('mdb'):
        if f[2] != 'NORM' or f[0] not in kind: kind[f[0]] = f[2]
        if len(f) >= 7 and f[4].isdigit():  # 1024 px, origin bottom left -> row, column, radius at S px
            lesions[f[0]].append(((1023 - int(f[5])) * S / 1024, int(f[4]) * S / 1024, max(3.0, int(f[6]) * S / 1024)))
full = lambda f: f.replace('/mammo_mias/', '/mammo_mias_full/').rsplit('.', 1)[0] + '.png'
with tempfile.TemporaryDirectory() as d:  # the core's own preprocessing, as the shipped model's input
    subprocess.run([a.dump, d, str(S), str(S), 'stretch', 'full_range', '0', '1'] + [full(f) if a.full else f for f in files], check=True)
    imgs = np.stack([np.fromfile(f'{d}/{i}.f32', dtype=np.float32).reshape(S, S) for i in range(len(files))])
names = [os.path.basename(f)[:6] for f in files]
y = np.array([0 if kind[n] == 'NORM' else 1 for n in names])
print('films', len(files), 'abnormal', y.sum(), 'with centres', sum(1 for n in names if lesions[n]))

# Four folds of women, stratified by whether a woman has an abnormal film.
abnormal = collections.defaultdict(int)
for f, n in zip(files, names): abnormal[group[f]] |= int(kind[n] != 'NORM')
rng, fold = random.Random(6 + a.seed), {}
for lab in (0, 1):
    gs = sorted(g for g in abnormal if abnormal[g] == lab)
    rng.shuffle(gs)
    for i, g in enumerate(gs): fold[g] = i % 4
film_fold = np.array([fold[group[f]] for f in files])
padded = np.pad(imgs, ((0, 0), (P // 2, P // 2), (P // 2, P // 2)))


class Net(nn.Module):  # the trainer's blocks (network.h), with the head as a 1x1 convolution: a score map
    def __init__(s, widths=(16, 32, 64, 128)):
        super().__init__()
        layers, c = [], 1
        for i, o in enumerate(widths):
            layers += [nn.Conv2d(c, o, 3, padding=1), nn.BatchNorm2d(o), nn.ReLU(), nn.Conv2d(o, o, 3, padding=1), nn.BatchNorm2d(o), nn.ReLU()]
            if i < len(widths) - 1: layers.append(nn.MaxPool2d(2))
            c = o
        s.f, s.head, s.drop = nn.Sequential(*layers), nn.Conv2d(c, 1, 1), nn.Dropout(0.2)

    def map(s, x): return s.head(s.drop(s.f(x)))
    def forward(s, x): return s.map(x).mean((2, 3)).squeeze(1)


def patches(idx, k, jitter):
    """k patches a film: around a lesion centre (abnormal films with centres) or anywhere on the breast (normal films)."""
    X, Y = [], []
    for i in idx:
        n = names[i]
        if y[i] == 1 and lesions[n]:
            for _ in range(k):
                r, c, rad = random.choice(lesions[n])
                t, d = random.uniform(0, 2 * np.pi), random.uniform(0, 0.5 * rad) if jitter else 0
                rr, cc = int(np.clip(r + d * np.sin(t), 0, S - 1)), int(np.clip(c + d * np.cos(t), 0, S - 1))
                X.append(padded[i, rr:rr + P, cc:cc + P]); Y.append(1)
        elif y[i] == 0:
            ys, xs = np.nonzero(imgs[i] > 0.15)
            for _ in range(k):
                j = random.randrange(len(ys))
                X.append(padded[i, ys[j]:ys[j] + P, xs[j]:xs[j] + P]); Y.append(0)
    return np.stack(X), np.array(Y)


def augment(x):  # any flip or quarter turn is a valid patch
    if random.random() < 0.5: x = x.flip(3)
    if random.random() < 0.5: x = x.flip(2)
    return torch.rot90(x, random.randrange(4), (2, 3)) * random.uniform(0.85, 1.15)


def patch_scores(net, idx):  # each spot's score averaged over a patch-sized window
    m = net.map(torch.tensor(imgs[idx])[:, None])
    w = m.shape[-1] * P // S
    return m, F.avg_pool2d(m, w, 1, padding=w // 2)[..., :m.shape[-2], :m.shape[-1]]


oof = np.zeros(len(files))
for k in range(4):
    random.seed(k + 100 * (a.seed - 1)); torch.manual_seed(k + 100 * (a.seed - 1))
    tr, va = np.nonzero(film_fold != k)[0], np.nonzero(film_fold == k)[0]
    with_centres = sum(1 for i in tr if y[i] == 1 and lesions[names[i]])
    normal = [i for i in tr if y[i] == 0]
    net = Net()
    opt = torch.optim.AdamW(net.parameters(), 2e-3, weight_decay=1e-4)
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, 2e-3, total_steps=a.epochs * 1000, pct_start=0.05)
    vx, vy = patches(va, 8, False)
    for ep in range(a.epochs):
        px, py = patches([i for i in tr if y[i] == 1], 24, True)
        nx, ny = patches(normal, max(1, (12 if a.hard_negatives else 24) * with_centres // len(normal)), True)
        if a.hard_negatives and ep >= 5:
            net.eval()
            with torch.no_grad(): m, s = patch_scores(net, normal)
            step, hard = S // m.shape[-1], []
            for j, i in enumerate(normal):
                for t in torch.topk(s[j, 0].flatten(), 6).indices.numpy():
                    r, c = divmod(int(t), m.shape[-1])
                    hard.append(padded[i, r * step + step // 2:r * step + step // 2 + P, c * step + step // 2:c * step + step // 2 + P])
            nx, ny = np.concatenate([nx, np.stack(hard)]), np.concatenate([ny, np.zeros(len(hard), dtype=ny.dtype)])
        X = torch.tensor(np.concatenate([px, nx]))[:, None]
        Y = torch.tensor(np.concatenate([py, ny]), dtype=torch.float32)
        order, total = torch.randperm(len(X)), 0.0
        net.train()
        for b in range(0, len(X), 32):
            j = order[b:b + 32]
            loss = F.binary_cross_entropy_with_logits(net(augment(X[j])), Y[j])
            opt.zero_grad(); loss.backward(); opt.step(); total += loss.item() * len(j)
            if sched.last_epoch < a.epochs * 1000 - 1: sched.step()
    net.eval()
    with torch.no_grad():
        patch_auc = auc(net(torch.tensor(vx)[:, None]).numpy(), vy)
        m = torch.cat([net.map(torch.tensor(imgs[va[b:b + 8]])[:, None]) for b in range(0, len(va), 8)])
        w = m.shape[-1] * P // S
        s = F.avg_pool2d(m, w, 1)
        breast = F.max_pool2d(torch.tensor(imgs[va] > 0.15, dtype=torch.float32)[:, None], S // m.shape[-1])
        oof[va] = (s - 1e4 * (1 - breast[..., :s.shape[-2], :s.shape[-1]])).amax((1, 2, 3)).numpy()
    print(f'fold {k + 1}: train loss {total / len(X):.3f}, patch AUC {patch_auc:.3f}, film AUC {auc(oof[va], y[va]):.3f}', flush=True)
print(f'out-of-fold film AUC, all folds pooled: {auc(oof, y):.3f}')

# Dense tissue mostly looks alike in both breasts, a lesion mostly does not: each film's score less its partner's.
pair = collections.defaultdict(list)
for i, f in enumerate(files): pair[group[f]].append(i)
if any(len(p) != 2 for p in pair.values()): sys.exit('the pair comparison needs both films of every woman')
diff = oof - oof[[sum(pair[group[f]]) - i for i, f in enumerate(files)]]
for k in range(4):
    m = film_fold == k
    print(f'fold {k + 1}: film AUC {auc(oof[m], y[m]):.3f}, film - partner {auc(diff[m], y[m]):.3f}')
low, high = group_interval([pair[w] for w in sorted(pair)], lambda idx: (auc(oof[idx], y[idx]), auc(diff[idx], y[idx])))
print(f'pooled, 95 % over {len(pair)} women: film {auc(oof, y):.3f} [{low[0]:.3f}, {high[0]:.3f}], '
      f'film - partner {auc(diff, y):.3f} [{low[1]:.3f}, {high[1]:.3f}]')
