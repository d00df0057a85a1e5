"""The dcgan28 step of bench/throughput.py written in PyTorch eager, as a reference.

The same networks (DCGAN generator and discriminator at 28x28x1, width 64),
losses (non-saturating, or WGAN-GP with lambda = 10) and Adam(2e-4, beta1 =
0.5); timed from the end of the warm-up to the end of the last step, with a
CUDA synchronisation when PyTorch sees a GPU. Raises ImportError without torch.
"""

import os
import time


def time_torch(gp, x, latent, warmup, steps):
    import torch
    from torch import nn
    torch.manual_seed(0)
    torch.set_num_threads(os.cpu_count() or 1)
    dev = "cuda" if torch.cuda.is_available() else "cpu"
    batch = len(x)
    g = nn.Sequential(
        nn.Linear(latent, 7 * 7 * 128, bias=False), nn.BatchNorm1d(7 * 7 * 128), nn.ReLU(),
        nn.Unflatten(1, (128, 7, 7)),
        nn.ConvTranspose2d(128, 64, 4, 2, 1, bias=False), nn.BatchNorm2d(64), nn.ReLU(),
        nn.ConvTranspose2d(64, 1, 4, 2, 1), nn.Tanh())
    d = nn.Sequential(nn.Conv2d(1, 64, 4, 2, 1), nn.LeakyReLU(0.2),
                      nn.Conv2d(64, 128, 4, 2, 1), nn.LeakyReLU(0.2),
                      nn.Flatten(), nn.Linear(128 * 7 * 7, 1))
    g, d = g.to(dev), d.to(dev)
    go = torch.optim.Adam(g.parameters(), 2e-4, betas=(0.5, 0.999))
    do = torch.optim.Adam(d.parameters(), 2e-4, betas=(0.5, 0.999))
    x = torch.from_numpy(x).permute(0, 3, 1, 2).contiguous().to(dev)
    sp = nn.functional.softplus

    def step():
        fake = g(torch.randn(batch, latent, device=dev)).detach()
        r, f = d(x), d(fake)
        if gp:
            a = torch.rand(batch, 1, 1, 1, device=dev)
            xi = (a * x + (1 - a) * fake).requires_grad_(True)
            gr, = torch.autograd.grad(d(xi).sum(), xi, create_graph=True)
            n = (gr.pow(2).sum([1, 2, 3]) + 1e-12).sqrt()
            dl = f.mean() - r.mean() + 10 * ((n - 1) ** 2).mean()
        else:
            dl = sp(-r).mean() + sp(f).mean()
        do.zero_grad(); dl.backward(); do.step()
        f = d(g(torch.randn(batch, latent, device=dev)))
        gl = -f.mean() if gp else sp(-f).mean()
        go.zero_grad(); gl.backward(); go.step()

    sync = torch.cuda.synchronize if dev == "cuda" else (lambda: None)
    for _ in range(warmup):
        step()
    sync()
    t0 = time.perf_counter()
    for _ in range(steps):
        step()
    sync()
    return time.perf_counter() - t0, f"{torch.__version__} ({dev})"
