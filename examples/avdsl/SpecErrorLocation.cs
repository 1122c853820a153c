using System.Diagnostics;

namespace AvDsl.Cli;

/// <summary>Where in a spec a runtime error arose: generated code carries #line directives back to the .avml, so the
/// innermost stack frame in a spec file names the line that built or called the failing component.</summary>
public static class SpecErrorLocation
{
    public static string? Of(Exception error)
    {
        var frame = new StackTrace(error, fNeedFileInfo: true).GetFrames()
            .FirstOrDefault(f => f.GetFileName()?.EndsWith(".avml", StringComparison.Ordinal) == true);
        if (frame is null) return null;
        var file = frame.GetFileName()!;
        var at = file.IndexOf("specs/", StringComparison.Ordinal);
        return $"{(at >= 0 ? file[at..] : Path.GetFileName(file))}:{frame.GetFileLineNumber()}";
    }

    /// <summary>"specs/eat.avml:24: message" when the error came from a spec's code, else the message.</summary>
    public static string Describe(Exception error) => Of(error) is { } where ? $"{where}: {error.Message}" : error.Message;
}
