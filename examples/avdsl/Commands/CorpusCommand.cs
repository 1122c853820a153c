using System.CommandLine;
using AvDsl.Cli.Shell;
using AvDsl.Demo;
using AvDsl.Runtime.Data;

namespace AvDsl.Cli.Commands;

/// <summary><c>avdsl corpus</c>: build (when missing) and describe the demo corpus.</summary>
public sealed class CorpusCommand : ICliCommand
{
    private readonly DemoCorpusFolder corpus;
    private readonly Option<string> folder = new("--out") { Description = "The corpus folder.", DefaultValueFactory = _ => DemoCorpusFolder.DefaultRoot };
    private readonly Option<long> seed = new("--seed") { Description = "Fixes every synthesised clip.", DefaultValueFactory = _ => DemoCorpusFolder.DefaultSeed };
    private readonly Option<bool> rebuild = new("--rebuild") { Description = "Delete an existing corpus at --out and build it again." };
    private readonly Option<string?> soundFont = new("--soundfont") { Description = $"A General MIDI .sf2 file (default {DemoCorpusFolder.DefaultSoundFont}, or AVDSL_SOUNDFONT)." };

    public CorpusCommand(DemoCorpusFolder corpus)
    {
        this.corpus = corpus;
        Syntax = new Command("corpus", "Build the demo corpus (spoken keywords from espeak-ng, instrument notes from fluidsynth, each an mp4 whose video follows the sound) and show what it holds, with the continual benchmark's four tasks.")
        {
            folder, seed, rebuild, soundFont,
        };
    }

    public Command Syntax { get; }

    public CommandResult Invoke(ParseResult parsed, CancellationToken cancel) =>
        Run(new CorpusOptions(parsed.GetValue(folder)!, parsed.GetValue(seed), parsed.GetValue(rebuild), parsed.GetValue(soundFont)), cancel);

    public CommandResult Run(CorpusOptions options, CancellationToken cancel)
    {
        if (options.Rebuild && corpus.Remove(options.Folder) is { Succeeded: false } removed) return removed;
        var built = corpus.Ensure(options.Folder, options.Seed, options.SoundFont, cancel);
        if (!built.Succeeded) return built;
        corpus.Describe(options.Folder);
        return CommandResult.Ok;
    }
}
