using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Runtime.Loader;
using AvDsl.Dsl;
using AvDsl.Runtime.Training;
using AvDsl.Specs;

namespace AvDsl.Cli.InProcess;

/// <summary>
/// Spec files compiled while avdsl runs. A file whose content matches no spec compiled into avdsl (it lies outside
/// specs/, or was edited since the build) is bound, generated and compiled here, once per content
/// (<see cref="SpecAssemblyKey"/>): the first run pays for the compiler, later runs load the cached assembly.
/// </summary>
/// <param name="log">Says when a compile starts and how long it took (the wait a user would otherwise not understand).</param>
public sealed class InProcessSpecs(SpecAssemblyCache cache, TextWriter log)
{
    // An assembly is loaded at most once per process, whichever cache folder it was found in.
    private static readonly ConcurrentDictionary<string, IReadOnlyList<CompiledSpec>> LoadedByKey = new(StringComparer.Ordinal);

    private readonly List<CompiledSpec> loaded = [];

    /// <summary>The specs this instance has loaded so far, imported files' included.</summary>
    public IReadOnlyList<CompiledSpec> Loaded => loaded;

    /// <summary>Loads the compiled assembly of a bound spec file, compiling it first when the cache lacks it. A file with
    /// errors stops here: they are in <see cref="InProcessBuild.File"/>, as <c>avdsl check</c> prints them.</summary>
    public InProcessBuild Build(SpecFile file)
    {
        if (file.HasErrors || file.Specs.Count == 0) return new InProcessBuild(file, [], null);
        var path = file.Source.Path;

        // Generated code names files relative to the spec's own folder, so the assembly does not depend on where that folder is.
        var folder = Path.GetDirectoryName(Path.GetFullPath(path))!;
        var root = folder.EndsWith('/') ? folder : folder + "/";
        var files = file.Sources.Files.Select(f => SpecSourceFile.Of(f.Path, f.Text, root)).ToList();
        var key = SpecAssemblyKey.Of(files);
        if (!LoadedByKey.TryGetValue(key, out var specs))
        {
            var assembly = cache.AssemblyPath(key);
            if (!File.Exists(assembly))
            {
                log.WriteLine($"avdsl: compiling {path} (it is not compiled into avdsl as it is now; the first compile takes a few seconds, later runs reuse it)");
                var clock = Stopwatch.StartNew();
                var image = SpecAssemblyCompiler.Compile($"AvDsl.Specs.{key[..16]}", root, files);
                if (image.Image is null)
                    return new InProcessBuild(file, [], new GeneratedCodeFailure(path, cache.StoreFailedSources(key, image.Sources), image.Errors));
                cache.Store(key, image.Image);
                log.WriteLine(string.Create(CultureInfo.InvariantCulture, $"avdsl: compiled {path} in {clock.Elapsed.TotalSeconds:F1} s ({assembly})"));
            }
            specs = LoadedByKey.GetOrAdd(key, _ => Load(assembly));
        }
        loaded.AddRange(specs.Where(s => !loaded.Contains(s)));
        return new InProcessBuild(file, specs, null);
    }

    private static IReadOnlyList<CompiledSpec> Load(string assembly)
    {
        // The default context resolves AvDsl.Runtime to the one avdsl runs on: the registry holds avdsl's own CompiledSpec type.
        var loaded = AssemblyLoadContext.Default.LoadFromAssemblyPath(assembly);
        var registry = loaded.GetType(typeof(CompiledSpecs).FullName!, throwOnError: true)!;
        return (IReadOnlyList<CompiledSpec>)registry.GetProperty(nameof(CompiledSpecs.All))!.GetValue(null)!;
    }
}
