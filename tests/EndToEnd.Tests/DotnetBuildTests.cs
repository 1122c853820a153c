using Xunit;

namespace AvDsl.EndToEnd.Tests;

/// <summary>The generator inside a real `dotnet build`: a bad spec fails the build with an error located in the .avml.</summary>
public class DotnetBuildTests
{
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
        var (exit, output) = ProcessRunner.Run(temp.Path, "dotnet", null, "build", "-c", ProcessRunner.Configuration, "-p:BuildProjectReferences=false", "-nodeReuse:false", "-nologo", temp.Path);

        Assert.NotEqual(0, exit);
        var line = spec.Split('\n').ToList().FindIndex(l => l.Contains("stepz")) + 1;
        var column = spec.Split('\n')[line - 1].IndexOf("stepz", StringComparison.Ordinal) + 1;
        Assert.Contains($"broken.avml({line},{column}): error AV0011: `train` has no setting `stepz` (help: did you mean `steps`?)", output);
        Assert.DoesNotContain("error CS", output);
    }
}
