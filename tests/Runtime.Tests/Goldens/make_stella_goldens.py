"""Makes the golden files for STELLA's components (run with Debian's python3-torch 1.13.1, the libtorch AvDsl binds):
    /usr/bin/python3 tests/Runtime.Tests/Goldens/make_stella_goldens.py [output directory]
Each file holds the inputs, the parameters under AvDsl's state-dict keys, the outputs, and where there are gradients
those of sum(output * probe) ("grad.<name>"). The references are written with plain PyTorch from STELLA's description
(arXiv 2310.08204 and the official code's method, G-JWLee/STELLA_code), independent of the C# implementation:
  - matching module: per-modality LayerNorm (eps 1e-5), bias-free q/k/v, audio->video and video->audio attention logits
    q k^T / sqrt(Dh); importance = softmax(logits / 0.4) over keys, averaged over heads and queries; the match logit
    from a tanh pooler and a linear layer over [mean attended video; mean attended audio] (heads merged after moving the
    head axis back); the matching loss: after manual_seed, labels = cat(ones(B//2), zeros)[randperm(B)], the negatives'
    videos permuted by randperm until no negative keeps its own, BCE with logits;
  - replay-guided correlation, one clip at a time: candidates = the int(N * keep) most important patches; a clip's
    summary = importance-weighted mean of its candidates' queries; past = candidate key . stored summary of the other
    modality * scale, current = the other modality's candidate rows of the logits, importance-weighted;
    r = softmax([past, current])[0] averaged over heads, 0 off the candidates;
  - selection: after manual_seed, without a past the int(N * keep) most important; with one, prune by bernoulli(r),
    multinomial sampling without replacement on the unpruned importance (video), or (audio) chunks of `chunk` time
    steps x `bands` ordered by multinomial on the chunk-averaged band-summed importance, taken whole less their pruned
    patches, the last cut on the side away from a taken neighbour (a coin from torch.rand(B) otherwise); then
    torch.rand(B, K) orders the kept patches, the first int(N * encode) are encoded and the rest are targets;
  - selection decoder: MAE's decoder over the visible tokens and a mask token per target, each with its patch's 2-D
    sin-cos position, pre-norm blocks with explicit attention, LayerNorm, prediction, the targets' rows kept;
  - shared layers: CAV-MAE's Block with joint norms and per-modality norms around one attention and one MLP, then
    norm, norm_a or norm_v."""
import math
import os
import sys

import torch
import torch.nn as nn
import torch.nn.functional as F

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(HERE, "..", "Scripts"))
import safetensors_io  # noqa: E402
from make_goldens import Block, attention  # noqa: E402
from make_mavil_goldens import sincos_2d  # noqa: E402


def perturb_norms(module):
    """Non-trivial LayerNorm parameters, so that each norm's gradient and the choice of norm show."""
    with torch.no_grad():
        for norm in [m for m in module.modules() if isinstance(m, nn.LayerNorm)]:
            norm.weight.add_(0.1 * torch.randn_like(norm.weight))
            norm.bias.add_(0.1 * torch.randn_like(norm.bias))


class Matching(nn.Module):
    def __init__(self, dim, heads, temperature):
        super().__init__()
        self.heads, self.temperature = heads, temperature
        self.norm_a, self.norm_v = nn.LayerNorm(dim), nn.LayerNorm(dim)
        self.q_a, self.k_a, self.v_a = (nn.Linear(dim, dim, bias=False) for _ in range(3))
        self.q_v, self.k_v, self.v_v = (nn.Linear(dim, dim, bias=False) for _ in range(3))
        self.pooler = nn.Linear(2 * dim, 2 * dim)
        self.fc = nn.Linear(2 * dim, 1)
        perturb_norms(self)

    def split(self, x):
        b, n, d = x.shape
        return x.reshape(b, n, self.heads, d // self.heads).permute(0, 2, 1, 3)

    def merge(self, x):
        b, h, n, dh = x.shape
        return x.permute(0, 2, 1, 3).reshape(b, n, h * dh)

    def forward(self, audio, video):
        a, v = self.norm_a(audio), self.norm_v(video)
        qa, ka, va = self.split(self.q_a(a)), self.split(self.k_a(a)), self.split(self.v_a(a))
        qv, kv, vv = self.split(self.q_v(v)), self.split(self.k_v(v)), self.split(self.v_v(v))
        scale = (qa.shape[-1]) ** -0.5
        a2v = (qa @ kv.transpose(-2, -1)) * scale
        v2a = (qv @ ka.transpose(-2, -1)) * scale
        attended_a = self.merge(a2v.softmax(-1) @ vv)
        attended_v = self.merge(v2a.softmax(-1) @ va)
        logit = self.fc(torch.tanh(self.pooler(torch.cat([attended_v.mean(1), attended_a.mean(1)], dim=1)))).squeeze(-1)
        with torch.no_grad():
            importance_v = (a2v / self.temperature).softmax(-1).mean(1).mean(1)
            importance_a = (v2a / self.temperature).softmax(-1).mean(1).mean(1)
        return logit, importance_a, importance_v, a2v.detach(), v2a.detach(), qa.detach(), ka.detach(), qv.detach(), kv.detach()

    def avdsl_state(self):
        names = {"norm_a": "norm_a", "norm_v": "norm_v", "q_a": "audio_query", "k_a": "audio_key", "v_a": "audio_value",
                 "q_v": "video_query", "k_v": "video_key", "v_v": "video_value", "pooler": "head.pooler", "fc": "head.fc"}
        return {f"{names[k.split('.')[0]]}.{k.split('.')[1]}": p for k, p in self.named_parameters()}


def draw_pairs(batch):
    if batch <= 2:
        return torch.ones(batch), torch.arange(batch)
    labels = torch.cat([torch.ones(batch // 2), torch.zeros(batch - batch // 2)])[torch.randperm(batch)]
    negatives = (labels == 0).nonzero().view(-1)
    shuffled = negatives.clone()
    while True:
        shuffled = shuffled[torch.randperm(len(shuffled))]
        if not bool((shuffled == negatives).any()):
            break
    videos = torch.arange(batch)
    videos[negatives] = shuffled
    return labels, videos


def matching_golden(path):
    batch, na, nv, dim, heads, seed = 6, 5, 7, 24, 4, 77
    module = Matching(dim, heads, 0.4)
    audio = torch.randn(batch, na, dim, requires_grad=True)
    video = torch.randn(batch, nv, dim, requires_grad=True)
    logit, imp_a, imp_v, a2v, v2a, qa, ka, qv, kv = module(audio, video)
    probe = torch.randn_like(logit)
    (logit * probe).sum().backward()
    tensors = {"audio": audio, "video": video, "logit": logit, "probe": probe, "audio_importance": imp_a,
               "video_importance": imp_v, "audio_to_video": a2v, "video_to_audio": v2a, "audio_queries": qa, "audio_keys": ka,
               "video_queries": qv, "video_keys": kv, "grad.audio": audio.grad, "grad.video": video.grad}
    state = module.avdsl_state()
    for key, p in state.items():
        tensors[key] = p
        tensors["grad." + key] = p.grad
        p.grad = None
    torch.manual_seed(seed)
    labels, videos = draw_pairs(batch)
    loss = F.binary_cross_entropy_with_logits(module(audio.detach(), video.detach()[videos])[0], labels)
    loss.backward()
    tensors.update({"pairs.labels": labels, "pairs.video_indices": videos, "matching_loss": loss})
    for key, p in state.items():
        tensors["grad.loss." + key] = p.grad
    safetensors_io.write(path, tensors, {"torch": torch.__version__, "dim": dim, "heads": heads, "temperature": 0.4, "seed": seed})


def correlation(imp_a, imp_v, a2v, v2a, qa, ka, qv, kv, past_a, past_v, keep):
    batch, heads, na, dh = ka.shape
    nv = kv.shape[2]
    scale = dh ** -0.5
    cand_a = imp_a.argsort(1, descending=True)[:, :int(na * keep)]
    cand_v = imp_v.argsort(1, descending=True)[:, :int(nv * keep)]
    r_a, r_v = torch.zeros(batch, na), torch.zeros(batch, nv)
    sum_a, sum_v = torch.zeros(batch, heads, dh), torch.zeros(batch, heads, dh)
    for b in range(batch):
        ca, cv = cand_a[b], cand_v[b]
        wa, wv = imp_a[b, ca], imp_v[b, cv]
        sum_a[b] = (qa[b][:, ca] * wa[None, :, None]).sum(1) / wa.sum()
        sum_v[b] = (qv[b][:, cv] * wv[None, :, None]).sum(1) / wv.sum()
        if past_a.shape[0] == 0:
            continue
        past = (kv[b][:, cv] @ past_a[b][:, :, None]).squeeze(-1) * scale                # [H, Kv]
        current = (a2v[b][:, ca][:, :, cv] * wa[None, :, None]).sum(1) / wa.sum()           # [H, Kv]
        r_v[b, cv] = torch.stack([past, current], -1).softmax(-1)[..., 0].mean(0)
        past = (ka[b][:, ca] @ past_v[b][:, :, None]).squeeze(-1) * scale
        current = (v2a[b][:, cv][:, :, ca] * wv[None, :, None]).sum(1) / wv.sum()
        r_a[b, ca] = torch.stack([past, current], -1).softmax(-1)[..., 0].mean(0)
    return r_a, r_v, sum_a, sum_v


def correlation_golden(path):
    batch, heads, na, nv, dh, stored, keep = 3, 2, 6, 8, 4, 5, 0.5
    imp_a = torch.randn(batch, na).softmax(1)
    imp_v = torch.randn(batch, nv).softmax(1)
    a2v, v2a = torch.randn(batch, heads, na, nv), torch.randn(batch, heads, nv, na)
    qa, ka = torch.randn(batch, heads, na, dh), torch.randn(batch, heads, na, dh)
    qv, kv = torch.randn(batch, heads, nv, dh), torch.randn(batch, heads, nv, dh)
    past_a, past_v = torch.randn(stored, heads, dh), torch.randn(stored, heads, dh)
    r_a, r_v, sum_a, sum_v = correlation(imp_a, imp_v, a2v, v2a, qa, ka, qv, kv, past_a, past_v, keep)
    safetensors_io.write(path, {"audio_importance": imp_a, "video_importance": imp_v, "audio_to_video": a2v, "video_to_audio": v2a,
                                "audio_queries": qa, "audio_keys": ka, "video_queries": qv, "video_keys": kv,
                                "past_audio": past_a, "past_video": past_v, "audio": r_a, "video": r_v,
                                "audio_summary": sum_a, "video_summary": sum_v},
                         {"torch": torch.__version__, "keep": keep})


def split_kept(kept, encode_count):
    order = torch.rand(kept.shape).argsort(1)
    shuffled = torch.gather(kept, 1, order)
    return shuffled[:, :encode_count], shuffled[:, encode_count:]


def chunk_kept(importance, probability, keep_count, chunk, bands):
    batch, n = importance.shape
    size, chunks = chunk * bands, n // (chunk * bands)
    pruned = torch.bernoulli(probability).bool()
    scores = F.avg_pool1d(importance.reshape(batch, -1, bands).sum(-1).unsqueeze(1), kernel_size=chunk).squeeze(1)
    order = torch.multinomial(scores, chunks, replacement=False)
    coins = torch.rand(batch)
    rows = []
    for b in range(batch):
        kept, spare, taken, budget = [], [], set(), keep_count
        for c in order[b].tolist():
            positions = list(range(c * size, (c + 1) * size))
            free = [p for p in positions if not pruned[b, p] and budget > 0]
            spare += [p for p in positions if p not in free]
            if len(free) > budget:
                before, after = (c - 1) in taken, (c + 1) in taken
                start = before if before != after else bool(coins[b] < 0.5)
                cut = free[:budget] if start else free[len(free) - budget:]
                spare += [p for p in free if p not in cut]
                free = cut
            kept += free
            budget -= len(free)
            taken.add(c)
        rows.append(kept + spare[:keep_count - len(kept)])
    return torch.tensor(rows)


def selection_golden(path):
    batch, n, dim, keep, encode, seed = 3, 20, 4, 0.5, 0.2, 4242
    tokens = torch.randn(batch, n, dim)
    importance = torch.rand(batch, n).softmax(1)
    probability = torch.rand(batch, n) * 0.6
    probability[:, ::3] = 0.0
    k, e = int(n * keep), int(n * encode)
    torch.manual_seed(seed)
    top_visible, top_targets = split_kept(importance.argsort(1, descending=True)[:, :k], e)
    torch.manual_seed(seed)
    pruned = torch.bernoulli(probability).bool()
    weights = importance.masked_fill(pruned, 0.0)
    sampled = torch.multinomial(weights, n, replacement=False)[:, :k]
    past_visible, past_targets = split_kept(sampled, e)

    # audio: 16 time steps x 4 bands, chunks of 2 steps (8 chunks of 8 patches), keep 24 of 64
    audio_n, chunk, bands, audio_keep = 64, 2, 4, 0.375
    audio_importance = torch.rand(batch, audio_n).softmax(1)
    audio_probability = torch.rand(batch, audio_n) * 0.5
    ak, ae = int(audio_n * audio_keep), int(audio_n * encode)
    torch.manual_seed(seed)
    chunk_visible, chunk_targets = split_kept(chunk_kept(audio_importance, audio_probability, ak, chunk, bands), ae)
    safetensors_io.write(path, {"tokens": tokens, "importance": importance, "probability": probability,
                                "top.visible_indices": top_visible, "top.target_indices": top_targets,
                                "past.visible_indices": past_visible, "past.target_indices": past_targets,
                                "audio.importance": audio_importance, "audio.probability": audio_probability,
                                "chunk.visible_indices": chunk_visible, "chunk.target_indices": chunk_targets},
                         {"torch": torch.__version__, "seed": seed, "keep": keep, "encode": encode, "audio_keep": audio_keep,
                          "chunk": chunk, "bands": bands})


class SelectionDecoder(nn.Module):
    def __init__(self, inputs, dim, depth, heads, outputs, table):
        super().__init__()
        self.embed = nn.Linear(inputs, dim)
        self.mask_token = nn.Parameter(0.02 * torch.randn(1, 1, dim))
        self.blocks = nn.ModuleList([Block(dim, heads, mlp=4, pre=True) for _ in range(depth)])
        self.norm = nn.LayerNorm(dim, eps=1e-6)
        self.pred = nn.Linear(dim, outputs)
        self.register_buffer("pos", table.float())
        perturb_norms(self)

    def forward(self, visible, visible_indices, target_indices):
        b, e = visible_indices.shape
        t = target_indices.shape[1]
        x = torch.cat([self.embed(visible), self.mask_token.expand(b, t, -1)], dim=1)
        x = x + self.pos[torch.cat([visible_indices, target_indices], dim=1)]
        for block in self.blocks:
            x = block(x)
        return self.pred(self.norm(x)[:, e:])

    def avdsl_state(self):
        state = {"embed.weight": self.embed.weight, "embed.bias": self.embed.bias, "mask_token": self.mask_token}
        for i, block in enumerate(self.blocks):
            state.update({f"transformer.blocks.{i}.{k}": v for k, v in block.avdsl_state().items()})
        state.update({"transformer.norm.weight": self.norm.weight, "transformer.norm.bias": self.norm.bias,
                      "pred.weight": self.pred.weight, "pred.bias": self.pred.bias})
        return state


def decoder_golden(path):
    batch, inputs, dim, depth, heads, outputs, rows, cols, e, t = 2, 12, 16, 2, 2, 6, 3, 4, 3, 4
    decoder = SelectionDecoder(inputs, dim, depth, heads, outputs, sincos_2d(dim, rows, cols))
    order = torch.stack([torch.randperm(rows * cols) for _ in range(batch)])
    visible_indices, target_indices = order[:, :e], order[:, e:e + t]
    visible = torch.randn(batch, e, inputs, requires_grad=True)
    y = decoder(visible, visible_indices, target_indices)
    probe = torch.randn_like(y)
    (y * probe).sum().backward()
    tensors = {"visible": visible, "visible_indices": visible_indices, "target_indices": target_indices, "table": decoder.pos,
               "output": y, "probe": probe, "grad.visible": visible.grad}
    for key, p in decoder.avdsl_state().items():
        tensors[key] = p
        tensors["grad." + key] = p.grad
    safetensors_io.write(path, tensors, {"torch": torch.__version__, "inputs": inputs, "dim": dim, "depth": depth, "heads": heads,
                                         "outputs": outputs, "grid": f"{rows},{cols}"})


class SharedBlock(nn.Module):
    """CAV-MAE's Block with shared and separate norms: pre-norm, one attention and one MLP for all modalities."""

    def __init__(self, dim, heads, mlp):
        super().__init__()
        self.heads = heads
        self.norm1, self.norm1_a, self.norm1_v = (nn.LayerNorm(dim, eps=1e-6) for _ in range(3))
        self.qkv = nn.Linear(dim, 3 * dim)
        self.proj = nn.Linear(dim, dim)
        self.norm2, self.norm2_a, self.norm2_v = (nn.LayerNorm(dim, eps=1e-6) for _ in range(3))
        self.fc1 = nn.Linear(dim, dim * mlp)
        self.fc2 = nn.Linear(dim * mlp, dim)

    def forward(self, x, modality):
        n1, n2 = {"joint": (self.norm1, self.norm2), "audio": (self.norm1_a, self.norm2_a), "video": (self.norm1_v, self.norm2_v)}[modality]
        b, n, d = x.shape
        qkv = self.qkv(n1(x)).reshape(b, n, 3, self.heads, d // self.heads).permute(2, 0, 3, 1, 4)
        x = x + self.proj(attention(qkv[0], qkv[1], qkv[2]).transpose(1, 2).reshape(b, n, d))
        return x + self.fc2(F.gelu(self.fc1(n2(x))))

    def avdsl_state(self):
        names = {"qkv": "attn.qkv", "proj": "attn.proj", "fc1": "mlp.fc1", "fc2": "mlp.fc2"}
        return {f"{names.get(k.split('.')[0], k.split('.')[0])}.{k.split('.')[1]}": v for k, v in self.named_parameters()}


def shared_golden(path):
    batch, tokens, dim, depth, heads = 2, 5, 16, 2, 2
    blocks = nn.ModuleList([SharedBlock(dim, heads, 4) for _ in range(depth)])
    norms = nn.ModuleDict({"joint": nn.LayerNorm(dim, eps=1e-6), "audio": nn.LayerNorm(dim, eps=1e-6), "video": nn.LayerNorm(dim, eps=1e-6)})
    perturb_norms(blocks)
    perturb_norms(norms)
    x = torch.randn(batch, tokens, dim, requires_grad=True)
    tensors, total = {"x": x}, 0
    for modality in ("joint", "audio", "video"):
        h = x
        for block in blocks:
            h = block(h, modality)
        y = norms[modality](h)
        probe = torch.randn_like(y)
        total = total + (y * probe).sum()
        tensors[f"output.{modality}"], tensors[f"probe.{modality}"] = y, probe
    total.backward()
    tensors["grad.x"] = x.grad
    state = {}
    for i, block in enumerate(blocks):
        state.update({f"blocks.{i}.{k}": v for k, v in block.avdsl_state().items()})
    for modality, key in (("joint", "norm"), ("audio", "norm_a"), ("video", "norm_v")):
        state.update({f"{key}.weight": norms[modality].weight, f"{key}.bias": norms[modality].bias})
    for key, p in state.items():
        tensors[key] = p
        tensors["grad." + key] = p.grad
    safetensors_io.write(path, tensors, {"torch": torch.__version__, "dim": dim, "depth": depth, "heads": heads})


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else HERE
    torch.manual_seed(20261231)
    matching_golden(os.path.join(out, "stella_matching.safetensors"))
    torch.manual_seed(20270101)
    correlation_golden(os.path.join(out, "stella_correlation.safetensors"))
    torch.manual_seed(20270102)
    selection_golden(os.path.join(out, "stella_selection.safetensors"))
    torch.manual_seed(20270103)
    decoder_golden(os.path.join(out, "selection_decoder.safetensors"))
    torch.manual_seed(20270104)
    shared_golden(os.path.join(out, "shared_transformer.safetensors"))


if __name__ == "__main__":
    main()
