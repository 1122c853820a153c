using AvDsl.Runtime.Evaluation;

namespace AvDsl.Cli.Pictures;

/// <summary>The pictures written for one reconstruction loss.</summary>
/// <param name="Files">Every file written: the input's, the masked input's and the reconstruction's (per frame for video).</param>
/// <param name="Names">The three file names as ffmpeg reads them: <c>audio-recon.png</c>, or a frame pattern <c>video-recon-%02d.png</c>.</param>
/// <param name="Description">What the pictures show, for the user: sizes, axes, scale.</param>
/// <param name="SideBySide">An ffmpeg command line that puts input, masked input and reconstruction side by side in one
/// picture (a spectrogram) or one video (frames).</param>
public sealed record DrawnReconstruction(ReconstructedSample Sample, IReadOnlyList<string> Files, IReadOnlyList<string> Names, string Description,
    ShellCommand SideBySide);
