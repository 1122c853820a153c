using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace AvDsl.Runtime.Data;

/// <summary>
/// Power spectrum of a real frame of power-of-two length N: one complex FFT of N/2 points over the even/odd
/// samples packed as real/imaginary parts, then the split that recovers the N/2+1 real-input bins. Twiddles
/// and the bit-reversal order are computed once; <see cref="PowerSpectrum"/> allocates nothing, so one
/// instance per thread can run a whole clip.
/// </summary>
public sealed class RealFft
{
    private readonly int _n;
    private readonly int _half;
    private readonly int[] _bitReverse;
    private readonly double[] _twiddleRe; // stage with half-size h uses entries [h, 2h): e^{-2πi k / 2h}
    private readonly double[] _twiddleIm;
    private readonly double[] _splitCos;  // e^{-2πi k / N}, k ≤ N/2: the real-split twiddles
    private readonly double[] _splitSin;
    private readonly double[] _re;
    private readonly double[] _im;

    public RealFft(int n)
    {
        if (n < 4 || (n & (n - 1)) != 0)
            throw new ArgumentOutOfRangeException(nameof(n), $"the FFT length must be a power of two ≥ 4, got {n}.");
        _n = n;
        _half = n / 2;
        _re = new double[_half];
        _im = new double[_half];
        _bitReverse = new int[_half];
        var bits = System.Numerics.BitOperations.Log2((uint)_half);
        for (var i = 0; i < _half; i++)
        {
            var r = 0;
            for (var b = 0; b < bits; b++)
                r |= ((i >> b) & 1) << (bits - 1 - b);
            _bitReverse[i] = r;
        }
        _twiddleRe = new double[Math.Max(2, _half)];
        _twiddleIm = new double[_twiddleRe.Length];
        for (var h = 1; h < _half; h <<= 1)
            for (var k = 0; k < h; k++)
            {
                _twiddleRe[h + k] = Math.Cos(-Math.PI * k / h);
                _twiddleIm[h + k] = Math.Sin(-Math.PI * k / h);
            }
        _splitCos = new double[_half + 1];
        _splitSin = new double[_half + 1];
        for (var k = 0; k <= _half; k++)
        {
            _splitCos[k] = Math.Cos(-2 * Math.PI * k / n);
            _splitSin[k] = Math.Sin(-2 * Math.PI * k / n);
        }
    }

    public int Length => _n;

    /// <summary>Number of output bins, N/2 + 1.</summary>
    public int Bins => _half + 1;

    /// <summary>|X[k]|² for k = 0..N/2 of the real input <paramref name="frame"/> (length N).</summary>
    public void PowerSpectrum(ReadOnlySpan<double> frame, Span<double> power)
    {
        if (frame.Length != _n || power.Length < _half + 1)
            throw new ArgumentException($"RealFft({_n}): need a frame of {_n} samples and room for {_half + 1} bins, got {frame.Length} and {power.Length}.");
        var re = _re;
        var im = _im;
        for (var i = 0; i < _half; i++)
        {
            var j = _bitReverse[i];
            re[j] = frame[2 * i];
            im[j] = frame[2 * i + 1];
        }

        Transform(re, im);

        // Split: X[k] = E[k] + W^k O[k], with E = (Z[k] + conj Z[M-k]) / 2, O = (Z[k] - conj Z[M-k]) / 2i.
        power[0] = Square(re[0] + im[0]);        // k = 0: Z[M-0] is Z[0]
        power[_half] = Square(re[0] - im[0]);    // k = M
        var k = 1;
        if (Vector256.IsHardwareAccelerated)
        {
            ref var reRef = ref MemoryMarshal.GetArrayDataReference(re);
            ref var imRef = ref MemoryMarshal.GetArrayDataReference(im);
            ref var cosRef = ref MemoryMarshal.GetArrayDataReference(_splitCos);
            ref var sinRef = ref MemoryMarshal.GetArrayDataReference(_splitSin);
            ref var powerRef = ref MemoryMarshal.GetReference(power);
            var reverse = Vector256.Create(3L, 2L, 1L, 0L);
            var half = Vector256.Create(0.5);
            for (; k + 4 <= _half; k += 4)
            {
                var zr = Vector256.LoadUnsafe(ref reRef, (nuint)k);
                var zi = Vector256.LoadUnsafe(ref imRef, (nuint)k);
                // Z[M-k], Z[M-k-1], ... loaded from M-k-3 and reversed.
                var cr = Vector256.Shuffle(Vector256.LoadUnsafe(ref reRef, (nuint)(_half - k - 3)), reverse);
                var ci = -Vector256.Shuffle(Vector256.LoadUnsafe(ref imRef, (nuint)(_half - k - 3)), reverse);
                var er = half * (zr + cr);
                var ei = half * (zi + ci);
                var or = half * (zi - ci);
                var oi = -half * (zr - cr);
                var wr = Vector256.LoadUnsafe(ref cosRef, (nuint)k);
                var wi = Vector256.LoadUnsafe(ref sinRef, (nuint)k);
                var xr = er + or * wr - oi * wi;
                var xi = ei + or * wi + oi * wr;
                (xr * xr + xi * xi).StoreUnsafe(ref powerRef, (nuint)k);
            }
        }
        for (; k < _half; k++)
        {
            var zr = re[k];
            var zi = im[k];
            var cr = re[_half - k];
            var ci = -im[_half - k];
            var er = 0.5 * (zr + cr);
            var ei = 0.5 * (zi + ci);
            // (z - c) / 2i = (zi - ci)/2 - i (zr - cr)/2
            var or = 0.5 * (zi - ci);
            var oi = -0.5 * (zr - cr);
            var wr = _splitCos[k];
            var wi = _splitSin[k];
            var xr = er + or * wr - oi * wi;
            var xi = ei + or * wi + oi * wr;
            power[k] = xr * xr + xi * xi;
        }
    }

    private static double Square(double x) => x * x;

    /// <summary>
    /// In-place iterative radix-2 decimation in time over bit-reversed input, re/im in separate arrays. The
    /// first two stages need no multiplications and run fused; later stages run 4 butterflies at a time in SIMD.
    /// </summary>
    private void Transform(double[] re, double[] im)
    {
        var n = _half;
        int firstStage;
        if (n >= 4)
        {
            // The first two stages fused: a radix-4 butterfly whose twiddles are 1 and -i (no multiplications).
            for (var a = 0; a < n; a += 4)
            {
                double b0r = re[a] + re[a + 1], b0i = im[a] + im[a + 1];
                double b1r = re[a] - re[a + 1], b1i = im[a] - im[a + 1];
                double b2r = re[a + 2] + re[a + 3], b2i = im[a + 2] + im[a + 3];
                double b3r = re[a + 2] - re[a + 3], b3i = im[a + 2] - im[a + 3];
                re[a] = b0r + b2r; im[a] = b0i + b2i;
                re[a + 2] = b0r - b2r; im[a + 2] = b0i - b2i;
                re[a + 1] = b1r + b3i; im[a + 1] = b1i - b3r;   // b1 + (-i) b3
                re[a + 3] = b1r - b3i; im[a + 3] = b1i + b3r;   // b1 - (-i) b3
            }
            firstStage = 4;
        }
        else
        {
            for (var a = 0; a < n; a += 2)
            {
                var (r0, i0, r1, i1) = (re[a], im[a], re[a + 1], im[a + 1]);
                re[a] = r0 + r1; im[a] = i0 + i1;
                re[a + 1] = r0 - r1; im[a + 1] = i0 - i1;
            }
            firstStage = 2;
        }
        ref var reRef = ref MemoryMarshal.GetArrayDataReference(re);
        ref var imRef = ref MemoryMarshal.GetArrayDataReference(im);
        ref var twRe = ref MemoryMarshal.GetArrayDataReference(_twiddleRe);
        ref var twIm = ref MemoryMarshal.GetArrayDataReference(_twiddleIm);
        for (var h = firstStage; h < n; h <<= 1)
        {
            if (h >= 4 && Vector256.IsHardwareAccelerated)
            {
                for (var start = 0; start < n; start += 2 * h)
                    for (var k = 0; k < h; k += 4)
                    {
                        var a = (nuint)(start + k);
                        var b = a + (nuint)h;
                        var wr = Vector256.LoadUnsafe(ref twRe, (nuint)(h + k));
                        var wi = Vector256.LoadUnsafe(ref twIm, (nuint)(h + k));
                        var br = Vector256.LoadUnsafe(ref reRef, b);
                        var bi = Vector256.LoadUnsafe(ref imRef, b);
                        var ar = Vector256.LoadUnsafe(ref reRef, a);
                        var ai = Vector256.LoadUnsafe(ref imRef, a);
                        var tr = br * wr - bi * wi;
                        var ti = br * wi + bi * wr;
                        (ar - tr).StoreUnsafe(ref reRef, b);
                        (ai - ti).StoreUnsafe(ref imRef, b);
                        (ar + tr).StoreUnsafe(ref reRef, a);
                        (ai + ti).StoreUnsafe(ref imRef, a);
                    }
                continue;
            }
            for (var start = 0; start < n; start += 2 * h)
                for (var k = 0; k < h; k++)
                {
                    var wr = _twiddleRe[h + k];
                    var wi = _twiddleIm[h + k];
                    var a = start + k;
                    var b = a + h;
                    var tr = re[b] * wr - im[b] * wi;
                    var ti = re[b] * wi + im[b] * wr;
                    re[b] = re[a] - tr;
                    im[b] = im[a] - ti;
                    re[a] += tr;
                    im[a] += ti;
                }
        }
    }
}
