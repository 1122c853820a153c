using AvDsl.Runtime.Nn;
using AvDsl.Runtime.Torch;

namespace AvDsl.Runtime.Masking;

/// <summary>
/// EAT's inverse block masking (data2vec 2.0's <c>compute_block_mask_2d</c> with <c>inverse_mask</c>): per clip,
/// draw <c>int(L·(keep + adjust) / block²)</c> centres (with replacement), make a block×block square of patches
/// around each visible (clamped to the grid), then reveal or hide patches chosen uniformly at random until exactly
/// <c>int(L·keep)</c> are visible; everything else is masked. With <c>clones</c> &gt; 1 each clip is repeated that
/// many times, each copy with its own mask (EAT's multi-mask; the teacher runs once per clip).
/// Each copy draws from its own generator in training (<see cref="SampleRandom"/>), so a seed fixes the masks however the batch is split.
/// </summary>
[Constraint("0 < keep <= 1", "keep is the share of tokens kept: 0 < keep ≤ 1")]
[Constraint("len(grid) == 2 and grid[0] > 0 and grid[1] > 0", "grid is [rows, columns] of positive sizes")]
[Constraint("block >= 1", "block is a side length of at least 1")]
[Constraint("clones >= 1", "clones is at least 1")]
[Constraint("0 <= adjust < 1", "adjust is a share: 0 ≤ adjust < 1")]
[Component("inverse_block_mask")]
public sealed class InverseBlockMask : Nn.Module
{
    /// <param name="adjust">Extra share of centres drawn to make up for overlapping blocks (data2vec 2.0's
    /// <c>mask_prob_adjust</c>): <c>int(L·(keep + adjust) / block²)</c> centres, so that the blocks alone come close to
    /// <c>int(L·keep)</c> visible patches and few are revealed or hidden at random afterwards. 0 draws exactly enough
    /// centres for non-overlapping blocks.</param>
    public InverseBlockMask(double keep, int[] grid, int block = 5, double adjust = 0.07, int clones = 1)
    {
        if (keep is <= 0 or > 1)
            throw new ArgumentOutOfRangeException(nameof(keep), $"inverse_block_mask: keep must be in (0, 1], got {keep}.");
        if (grid.Length != 2 || grid[0] <= 0 || grid[1] <= 0)
            throw new ArgumentException($"inverse_block_mask: grid must be [rows, columns], got [{string.Join(", ", grid)}].");
        if (block < 1 || clones < 1)
            throw new ArgumentOutOfRangeException(nameof(block), $"inverse_block_mask: block and clones must be at least 1, got {block} and {clones}.");
        Keep = keep;
        Grid = grid;
        Block = block;
        Adjust = adjust;
        Clones = clones;
    }

    public double Keep { get; set; }
    public int[] Grid { get; }
    public int Block { get; }
    public double Adjust { get; }
    public int Clones { get; }

    /// <summary>tokens [B, N, D] → the B·clones masked copies: visible [B·clones, K, D], K = int(N·keep).</summary>
    [Constraint("N == grid[0] * grid[1]", "the tokens must be the grid's cells")]
    [Shape("tokens: [B, N, D] -> visible: [B * clones, K, D], masked: [B * clones, N], keep_indices: [B * clones, K], restore_indices: [B * clones, N]")]
    public MaskedView Forward(Tensor tokens)
    {
        var shape = tokens.Shape;
        var cells = (long)Grid[0] * Grid[1];
        if (shape.Length != 3 || shape[1] != cells)
            throw new ArgumentException($"inverse_block_mask: expected tokens [B, {cells}, D] for a {Grid[0]}x{Grid[1]} grid, got {tokens.Describe()}.");
        var (batch, dim) = (shape[0], shape[2]);
        var copies = batch * Clones;
        var keep = (long)(cells * Keep);

        var order = new long[copies * cells];
        var generators = SampleRandom.Rows(copies);
        for (var c = 0; c < copies; c++)
        {
            var visible = VisibleCells(keep, generators.For(c));
            // Visible cells first, then masked ones, each in grid order: the first K positions are what the student sees.
            var at = c * cells;
            for (var i = 0; i < cells; i++) if (visible[i]) order[at++] = i;
            for (var i = 0; i < cells; i++) if (!visible[i]) order[at++] = i;
        }

        Tensor view, masked, keepIndices, restore;
        using (var scope = new TensorScope())
        {
            var shuffle = Torch.Torch.FromArray(order, copies, cells).To(tokens.Device);   // [C, N]
            restore = shuffle.Argsort(1).MoveToOuterScope();                               // [C, N]
            keepIndices = shuffle.Narrow(1, 0, keep).MoveToOuterScope();                   // [C, K]
            var cloned = Clones == 1 ? tokens : tokens.RepeatInterleave(Clones, 0);        // [C, N, D]
            view = cloned.Gather(1, keepIndices.Unsqueeze(-1).Expand(-1, -1, dim)).MoveToOuterScope(); // [C, K, D]
            masked = restore.Ge(keep).MoveToOuterScope();                                  // [C, N]
        }
        return new MaskedView(view, masked, keepIndices, restore);
    }

    /// <summary>One clip's visible cells: blocks around random centres, then exactly <paramref name="keep"/> of them.</summary>
    private bool[] VisibleCells(long keep, Generator? generator)
    {
        var (rows, columns) = (Grid[0], Grid[1]);
        var cells = rows * columns;
        var visible = new bool[cells];
        var centres = (long)(cells * (Keep + Adjust) / (Block * Block));
        if (centres > 0)
        {
            var drawn = Torch.Torch.Randint(0, cells, [centres], generator);
            var offset = Block / 2;
            foreach (var centre in drawn.ToArray<long>())
            {
                var (r, c) = ((int)(centre / columns), (int)(centre % columns));
                for (var i = 0; i < Block; i++)
                    for (var j = 0; j < Block; j++)
                        visible[Math.Clamp(r + i - offset, 0, rows - 1) * columns + Math.Clamp(c + j - offset, 0, columns - 1)] = true;
            }
            drawn.Dispose();
        }
        var count = visible.Count(v => v);
        if (count != keep)
        {
            // Too many: hide a uniform choice of the visible ones; too few: reveal a uniform choice of the hidden ones.
            var candidates = Enumerable.Range(0, cells).Where(i => visible[i] == count > keep).ToArray();
            var permutation = Torch.Torch.Randperm(candidates.Length, generator);
            foreach (var pick in permutation.ToArray<long>().Take((int)Math.Abs(count - keep)))
                visible[candidates[pick]] = count < keep;
            permutation.Dispose();
        }
        return visible;
    }
}
