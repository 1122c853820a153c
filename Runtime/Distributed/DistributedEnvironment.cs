using System.Globalization;
using System.Text.RegularExpressions;

namespace AvDsl.Runtime.Distributed;

/// <summary>
/// Where this process sits in a data-parallel run, read from what a launcher sets: torchrun's <c>RANK</c>,
/// <c>WORLD_SIZE</c>, <c>LOCAL_RANK</c>, <c>LOCAL_WORLD_SIZE</c>, <c>MASTER_ADDR</c>, <c>MASTER_PORT</c> (and
/// <c>TORCHELASTIC_USE_AGENT_STORE</c>: the agent serves the store, every rank is a client), or Slurm's
/// <c>SLURM_PROCID</c>, <c>SLURM_NTASKS</c>, <c>SLURM_LOCALID</c>, <c>SLURM_NTASKS_PER_NODE</c> with the master being
/// <c>MASTER_ADDR</c> or else the first host of <c>SLURM_JOB_NODELIST</c>. torchrun's variables win where both are set.
/// </summary>
/// <param name="Source">"torchrun" or "slurm": which launcher's variables were read.</param>
public sealed record DistributedEnvironment(int Rank, int WorldSize, int LocalRank, int LocalWorldSize, string MasterAddr, int MasterPort,
    bool AgentStore, string Source)
{
    /// <summary>torchrun's default port.</summary>
    public const int DefaultPort = 29500;

    /// <summary>Rank 0 serves the store unless a launcher's agent does.</summary>
    public bool ServesStore => Rank == 0 && !AgentStore;

    /// <summary>This process's environment.</summary>
    public static DistributedEnvironment? FromProcess() =>
        From(name => Environment.GetEnvironmentVariable(name));

    /// <summary>Null when no launcher's variables are set (one process); a <see cref="DistributedEnvironmentException"/>
    /// naming the variable when they are set but wrong.</summary>
    public static DistributedEnvironment? From(Func<string, string?> variable)
    {
        if (variable("WORLD_SIZE") is not null || variable("RANK") is not null)
        {
            var world = Integer(variable, "WORLD_SIZE", min: 1);
            var rank = Integer(variable, "RANK", min: 0);
            if (rank >= world) throw new DistributedEnvironmentException($"RANK={rank} is not below WORLD_SIZE={world}: ranks are 0 … WORLD_SIZE − 1.");
            var local = variable("LOCAL_RANK") is null ? rank : Integer(variable, "LOCAL_RANK", min: 0);
            var localWorld = variable("LOCAL_WORLD_SIZE") is null ? world : Integer(variable, "LOCAL_WORLD_SIZE", min: 1);
            return new DistributedEnvironment(rank, world, local, localWorld, Master(variable, world, null), Port(variable),
                variable("TORCHELASTIC_USE_AGENT_STORE") is "True" or "true" or "1", "torchrun");
        }
        if (variable("SLURM_PROCID") is not null)
        {
            var world = Integer(variable, "SLURM_NTASKS", min: 1);
            var rank = Integer(variable, "SLURM_PROCID", min: 0);
            if (rank >= world) throw new DistributedEnvironmentException($"SLURM_PROCID={rank} is not below SLURM_NTASKS={world}.");
            var local = variable("SLURM_LOCALID") is null ? 0 : Integer(variable, "SLURM_LOCALID", min: 0);
            var localWorld = variable("SLURM_NTASKS_PER_NODE") is { } perNode && int.TryParse(perNode.Split('(')[0], CultureInfo.InvariantCulture, out var n) ? n : 1;
            return new DistributedEnvironment(rank, world, local, localWorld, Master(variable, world, variable("SLURM_JOB_NODELIST")), Port(variable),
                AgentStore: false, "slurm");
        }
        return null;
    }

    /// <summary>The first host of a Slurm node list: <c>gpu[03-05,07],cpu1</c> → <c>gpu03</c>.</summary>
    public static string FirstHost(string nodeList)
    {
        var match = Regex.Match(nodeList.Trim(), @"^([^,\[]+)(?:\[([^,\]\-]+))?");
        if (!match.Success || match.Groups[1].Value.Length == 0)
            throw new DistributedEnvironmentException($"SLURM_JOB_NODELIST={nodeList} names no host; set MASTER_ADDR to the first node's address.");
        return match.Groups[1].Value + (match.Groups[2].Success ? match.Groups[2].Value : "");
    }

    private static string Master(Func<string, string?> variable, int world, string? nodeList)
    {
        if (variable("MASTER_ADDR") is { Length: > 0 } address) return address;
        if (nodeList is { Length: > 0 }) return FirstHost(nodeList);
        if (world == 1) return "127.0.0.1";
        throw new DistributedEnvironmentException($"MASTER_ADDR is not set: with WORLD_SIZE={world} every rank must know where rank 0 serves the store.");
    }

    private static int Port(Func<string, string?> variable)
    {
        if (variable("MASTER_PORT") is not { } text) return DefaultPort;
        if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port is < 1 or > 65535)
            throw new DistributedEnvironmentException($"MASTER_PORT={text} is not a port (1 … 65535).");
        return port;
    }

    private static int Integer(Func<string, string?> variable, string name, int min)
    {
        var text = variable(name);
        if (text is null) throw new DistributedEnvironmentException($"{name} is not set, though the launcher's other variables are.");
        if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) || value < min)
            throw new DistributedEnvironmentException($"{name}={text} is not a whole number of at least {min}.");
        return value;
    }
}

/// <summary>A launcher's variables are set but wrong; the message names the variable and what it should be.</summary>
public sealed class DistributedEnvironmentException(string message) : Exception(message);
