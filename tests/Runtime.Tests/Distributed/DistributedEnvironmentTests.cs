using AvDsl.Runtime.Distributed;
using Xunit;

namespace AvDsl.Runtime.Tests.Distributed;

/// <summary>What torchrun and Slurm set, read into one record; wrong values are errors naming the variable.</summary>
public sealed class DistributedEnvironmentTests
{
    private static DistributedEnvironment? Read(params (string Name, string Value)[] variables)
    {
        var map = variables.ToDictionary(v => v.Name, v => v.Value);
        return DistributedEnvironment.From(name => map.GetValueOrDefault(name));
    }

    [Fact]
    public void No_launcher_is_one_process()
    {
        Assert.Null(Read());
        Assert.Null(Read(("SLURM_JOB_NODELIST", "gpu01"))); // inside an allocation but not launched by srun
    }

    [Fact]
    public void Torchrun_s_variables_give_rank_world_and_master()
    {
        var env = Read(("RANK", "3"), ("WORLD_SIZE", "8"), ("LOCAL_RANK", "1"), ("LOCAL_WORLD_SIZE", "2"), ("MASTER_ADDR", "10.0.0.5"), ("MASTER_PORT", "29600"),
            ("SLURM_PROCID", "0"), ("SLURM_NTASKS", "2"));
        Assert.Equal(new DistributedEnvironment(3, 8, 1, 2, "10.0.0.5", 29600, AgentStore: false, "torchrun"), env);
        Assert.False(env!.ServesStore);

        var agent = Read(("RANK", "0"), ("WORLD_SIZE", "2"), ("MASTER_ADDR", "h"), ("TORCHELASTIC_USE_AGENT_STORE", "True"))!;
        Assert.True(agent.AgentStore);
        Assert.False(agent.ServesStore); // the agent serves it; rank 0 is a client too
        Assert.Equal((0, 2, DistributedEnvironment.DefaultPort), (agent.LocalRank, agent.LocalWorldSize, agent.MasterPort));
    }

    [Fact]
    public void Slurm_s_variables_give_rank_world_and_the_first_node_as_master()
    {
        var env = Read(("SLURM_PROCID", "5"), ("SLURM_NTASKS", "8"), ("SLURM_LOCALID", "1"), ("SLURM_NTASKS_PER_NODE", "4(x2)"),
            ("SLURM_JOB_NODELIST", "gpu[03-05,07]"));
        Assert.Equal(new DistributedEnvironment(5, 8, 1, 4, "gpu03", 29500, AgentStore: false, "slurm"), env);
        Assert.Equal("node1", DistributedEnvironment.FirstHost("node1,node2"));
        Assert.Equal("a-b", DistributedEnvironment.FirstHost("a-b"));
    }

    [Theory]
    [InlineData("RANK", "2", "WORLD_SIZE", "2", "RANK=2 is not below WORLD_SIZE=2")]
    [InlineData("RANK", "x", "WORLD_SIZE", "2", "RANK=x is not a whole number of at least 0")]
    [InlineData("RANK", "0", "WORLD_SIZE", "0", "WORLD_SIZE=0 is not a whole number of at least 1")]
    [InlineData("RANK", "1", "MASTER_ADDR", "h", "WORLD_SIZE is not set")]
    [InlineData("RANK", "1", "WORLD_SIZE", "2", "MASTER_ADDR is not set: with WORLD_SIZE=2")]
    public void Wrong_variables_are_errors_that_name_them(string name1, string value1, string name2, string value2, string message)
    {
        var error = Assert.Throws<DistributedEnvironmentException>(() => Read((name1, value1), (name2, value2)));
        Assert.Contains(message, error.Message);
    }

    [Fact]
    public void A_bad_port_is_an_error()
    {
        var error = Assert.Throws<DistributedEnvironmentException>(() => Read(("RANK", "0"), ("WORLD_SIZE", "1"), ("MASTER_PORT", "70000")));
        Assert.Equal("MASTER_PORT=70000 is not a port (1 … 65535).", error.Message);
    }
}
