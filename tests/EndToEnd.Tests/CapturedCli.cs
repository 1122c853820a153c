using AvDsl.Cli;
using AvDsl.Cli.InProcess;
using AvDsl.Cli.Shell;
using AvDsl.Specs;

namespace AvDsl.EndToEnd.Tests;

/// <summary>The CLI in process with its output captured: what a user would see on stdout and stderr.</summary>
public sealed class CapturedCli
{
    private readonly StringWriter output = new();
    private readonly StringWriter error = new();

    public CapturedCli() => Output = CommandOutput.Captured(output, error);

    public CommandOutput Output { get; }

    public SpecResolver Specs => new(CompiledSpecs.All, new InProcessSpecs(SpecAssemblyCache.Default(), Output.Error), Output.Error, CompiledSpecFolder.Path);

    /// <summary>A resolver whose spec files compiled at run time are cached in <paramref name="cacheFolder"/>, and whose
    /// spec names stand for the files under <paramref name="specFolder"/> (default: the repository's, as avdsl's).</summary>
    public SpecResolver SpecsCachedIn(string cacheFolder, string? specFolder = null) =>
        new(CompiledSpecs.All, new InProcessSpecs(new SpecAssemblyCache(cacheFolder), Output.Error), Output.Error, specFolder ?? CompiledSpecFolder.Path);

    public string Out => output.ToString();

    public string Error => error.ToString();

    /// <summary>Runs <c>avdsl args…</c> through the shell edge, as <c>Main</c> does; returns the exit code.</summary>
    public static (int Exit, string Out, string Error) Run(params string[] args)
    {
        var cli = new CapturedCli();
        var exit = Program.Run(args, cli.Output);
        return (exit, cli.Out, cli.Error);
    }
}
