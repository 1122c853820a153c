using System.Diagnostics;
using Xunit;

namespace AvDsl.EndToEnd.Tests;

/// <summary>The generator inside a real `dotnet build`: a bad spec fails the build with an error located in the .avml.</summary>
public class DotnetBuildTests
{
    private static readonly string Configuration = AppContext.BaseDirectory.Contains("/Release/", StringComparison.Ordinal) ? "Release" : "Debug";

    [Fact]
    public void Dotnet_build_reports_a_bad_spec_at_its_avml_location()
    {
        using var temp = new TempFolder();
        var spec = File.ReadAllText(Repository.Spec("tiny-mae.avml")).Replace("steps: 50", "stepz: 50");
        File.WriteAllText(Path.Combine(temp.Path, "broken.avml"), spec);
        File.WriteAllText(Path.Combine(temp.Path, "User.csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <TargetFramework>net10.0</TargetFramework>
                <Nullable>enable</Nullable>
              </PropertyGroup>
              <ItemGroup>
                <ProjectReference Include="{Repository.Root}/Runtime/Runtime.csproj" />
                <ProjectReference Include="{Repository.Root}/Dsl.Generator/Dsl.Generator.csproj" OutputItemType="Analyzer" ReferenceOutputAssembly="false" />
                <AdditionalFiles Include="*.avml" />
              </ItemGroup>
            </Project>
            """);

        // The referenced projects were built by the test run itself; do not rebuild them underneath it.
        var (exit, output) = Run("dotnet", "build", "-c", Configuration, "-p:BuildProjectReferences=false", "-nodeReuse:false", "-nologo", temp.Path);

        Assert.NotEqual(0, exit);
        var line = spec.Split('\n').ToList().FindIndex(l => l.Contains("stepz")) + 1;
        var column = spec.Split('\n')[line - 1].IndexOf("stepz", StringComparison.Ordinal) + 1;
        Assert.Contains($"broken.avml({line},{column}): error AV0011: `train` has no setting `stepz` (help: did you mean `steps`?)", output);
        Assert.DoesNotContain("error CS", output);
    }

    private static (int Exit, string Output) Run(string file, params string[] arguments)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        start.Environment["DOTNET_NOLOGO"] = "1";
        start.Environment["MSBUILDDISABLENODEREUSE"] = "1";
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(4)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException("dotnet build did not finish within 4 minutes");
        }
        return (process.ExitCode, stdout.Result + stderr.Result);
    }
}
