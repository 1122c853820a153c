using Xunit;

namespace AvDsl.EndToEnd.Tests;

/// <summary>The packages as a user gets them: packed into a local feed, referenced by a fresh console project with a
/// spec and a component of its own, built with warnings as errors, and run for one training step.</summary>
public class PackageTests
{
    [Fact]
    public void A_fresh_project_builds_a_spec_and_a_user_component_from_the_packages_and_trains_a_step()
    {
        using var temp = new TempFolder();
        var feed = Path.Combine(temp.Path, "feed");
        var app = Path.Combine(temp.Path, "app");
        // A private package cache: the packages are rebuilt on every run under the same version.
        var cache = new Dictionary<string, string> { ["NUGET_PACKAGES"] = Path.Combine(temp.Path, "nuget-packages") };
        Directory.CreateDirectory(Path.Combine(app, "specs"));

        // Packed from what the test run built; --no-build so nothing is rebuilt underneath the running tests.
        foreach (var project in new[] { "Runtime/Runtime.csproj", "Dsl.Generator/Dsl.Generator.csproj" })
        {
            var (code, output) = ProcessRunner.Run(temp.Path, "dotnet", cache, "pack", Path.Combine(Repository.Root, project), "-c", ProcessRunner.Configuration, "--no-build", "-o", feed);
            Assert.True(code == 0, output);
        }

        // The packages' own dependencies (AvDsl.Runtime needs NAudio.Core) come from the package folder that the
        // solution's restore filled, read as a folder feed: as a user gets them from their feed, and offline.
        var restored = Environment.GetEnvironmentVariable("NUGET_PACKAGES")
            ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        File.WriteAllText(Path.Combine(app, "nuget.config"), $$"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <clear />
                <add key="local" value="../feed" />
                <add key="restored" value="{{restored}}" />
              </packageSources>
            </configuration>
            """);
        File.WriteAllText(Path.Combine(app, "User.csproj"), """
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>net10.0</TargetFramework>
                <Nullable>enable</Nullable>
                <ImplicitUsings>enable</ImplicitUsings>
                <TreatWarningsAsErrors>true</TreatWarningsAsErrors>
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="AvDsl.Runtime" Version="0.1.0" />
                <PackageReference Include="AvDsl.Generator" Version="0.1.0" />
              </ItemGroup>
            </Project>
            """);
        File.WriteAllText(Path.Combine(app, "Scaled.cs"), """
            using AvDsl.Runtime;
            using AvDsl.Runtime.Nn;
            using AvDsl.Runtime.Torch;

            namespace User;

            [Component("scaled")]
            public sealed class Scaled(double factor = 2.0) : Module
            {
                [Shape("x: [*S] -> [*S]")]
                public Tensor Forward(Tensor x) => x * factor;
            }
            """);
        var spec = File.ReadAllText(Repository.Spec("tiny-mae.avml"))
            .Replace("spec TinyMae", "spec UserMae")
            .Replace("hidden = encoder(view.visible)", "hidden = scaled(encoder(view.visible), factor: 0.5)");
        File.WriteAllText(Path.Combine(app, "specs", "user-mae.avml"), spec);
        File.WriteAllText(Path.Combine(app, "Program.cs"), """
            using AvDsl.Runtime.Training;
            using AvDsl.Specs;

            var result = Trainer.Run(UserMaeSpec.Plan(), new RunOptions(RunRoot: args[0], Steps: 1));
            Console.WriteLine($"trained {result.Steps.Count} step, loss {result.Steps[0].Loss:F4}");
            """);

        var (exit, log) = ProcessRunner.Run(app, "dotnet", cache, "run", "-c", ProcessRunner.Configuration, "--", Path.Combine(temp.Path, "runs"));

        Assert.True(exit == 0, log);
        Assert.Matches(@"trained 1 step, loss \d+\.\d{4}", log);
    }
}
