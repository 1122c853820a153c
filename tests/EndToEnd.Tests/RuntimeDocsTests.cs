using System.Xml.Linq;
using AvDsl.Cli;
using Xunit;

namespace AvDsl.EndToEnd.Tests;

/// <summary>Runtime's doc comments as <c>avdsl describe</c> reads them from AvDsl.Runtime.xml.</summary>
public class RuntimeDocsTests
{
    private static readonly RuntimeDocs Docs = RuntimeDocs.Parse(XDocument.Parse("""
        <doc><members>
          <member name="T:N.Ops"><summary>Ops on tokens.</summary></member>
          <member name="M:N.Ops.Drop(N.Tensor,System.Int32)">
            <summary>Drops the first <paramref name="skipCount"/> tokens of a
              <see cref="T:N.Tensor"/> (see <see cref="M:N.Block.Forward(N.Tensor)"/>); <c>null</c> is <see langword="null"/>.</summary>
            <param name="skipCount">How many to drop.</param>
          </member>
          <member name="T:N.Plain"><summary>Only a class summary.</summary></member>
          <member name="T:N.Settings"><summary>A record.</summary><param name="weightDecay">From the record.</param></member>
          <member name="M:N.Mask.#ctor(System.Double,System.Double)"><param name="adjust">From the constructor.</param></member>
        </members></doc>
        """));

    [Fact]
    public void An_ops_summary_is_its_methods_found_by_name_with_references_as_plain_text()
    {
        Assert.Equal("Drops the first `skip_count` tokens of a Tensor (see Block.Forward); `null` is null.",
            Docs.Summary("N.Ops", "Drop", name => name == "skipCount" ? "skip_count" : name));
        Assert.Equal("How many to drop.", Docs.Parameter("N.Ops", "Drop", "skipCount"));
    }

    [Fact]
    public void Argument_docs_come_from_a_records_type_or_a_classs_constructor()
    {
        Assert.Equal("From the record.", Docs.Parameter("N.Settings", null, "weightDecay"));
        Assert.Equal("From the constructor.", Docs.Parameter("N.Mask", null, "adjust"));
        Assert.Null(Docs.Parameter("N.Mask", null, "keep"));
    }

    [Fact]
    public void An_op_without_its_own_summary_falls_back_to_its_class()
    {
        Assert.Equal("Only a class summary.", Docs.Summary("N.Plain", "Missing"));
        Assert.Null(Docs.Summary("N.Absent"));
    }

    [Fact]
    public void The_cli_finds_runtimes_documentation_beside_its_assembly()
    {
        Assert.NotNull(RuntimeDocs.Load().Summary("AvDsl.Runtime.Nn.Transformer"));
    }
}
