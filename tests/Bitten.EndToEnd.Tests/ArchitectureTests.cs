using System.Reflection;

namespace Bitten.EndToEnd.Tests;

/// <summary>
/// Dependencies point inward (DESIGN.md): the domain knows nothing, the engine knows no adapter, the host composes the
/// adapters, and the CLI (assembly <c>bitten</c>) parses and prints on top of the host.
/// </summary>
public sealed class ArchitectureTests
{
    public static TheoryData<string, string[]> Allowed => new()
    {
        { "Bitten.Domain", [] },
        { "Bitten.Zmq", [] },
        { "Bitten.Indicators", ["Bitten.Domain"] },
        { "Bitten.Wire", ["Bitten.Domain"] },
        { "Bitten.Engine", ["Bitten.Domain", "Bitten.Indicators"] },
        { "Bitten.Gateway", ["Bitten.Domain", "Bitten.Wire", "Bitten.Zmq", "Bitten.Engine"] },
        { "Bitten.Simulation", ["Bitten.Domain", "Bitten.Wire", "Bitten.Zmq", "Bitten.Engine"] },
        { "Bitten.Persistence", ["Bitten.Domain"] },
        { "Bitten.Web", ["Bitten.Domain", "Bitten.Engine", "Bitten.Wire", "Bitten.Indicators"] },
        { "Bitten.Telegram", ["Bitten.Domain", "Bitten.Engine", "Bitten.Indicators"] },
        { "Bitten.Host", [.. Adapters, "Bitten.Domain", "Bitten.Engine", "Bitten.Wire", "Bitten.Zmq", "Bitten.Indicators"] },
        { "Bitten.Bench", [.. Adapters, "Bitten.Host", "Bitten.Domain", "Bitten.Engine", "Bitten.Wire", "Bitten.Zmq", "Bitten.Indicators"] },
        { "bitten", [.. Adapters, "Bitten.Host", "Bitten.Bench", "Bitten.Domain", "Bitten.Engine", "Bitten.Wire", "Bitten.Zmq", "Bitten.Indicators"] },
    };

    private static readonly string[] Adapters = ["Bitten.Gateway", "Bitten.Persistence", "Bitten.Simulation", "Bitten.Telegram", "Bitten.Web"];

    [Theory]
    [MemberData(nameof(Allowed))]
    public void ProjectReferencesOnlyWhatItMay(string assembly, string[] allowed)
    {
        var references = Assembly.Load(assembly).GetReferencedAssemblies()
            .Select(a => a.Name!)
            .Where(n => n.StartsWith("Bitten.", StringComparison.Ordinal) || n == "bitten")
            .Order()
            .ToArray();
        Assert.All(references, r => Assert.Contains(r, allowed));
    }

    /// <summary>
    /// References the design names, which must be really used: the compiler keeps an assembly reference only when a
    /// type from it is used, so a project reference nothing reads would not appear here.
    /// </summary>
    public static TheoryData<string, string> Required => new()
    {
        // The detectors read their indicators from the library that is tested against the LEAN and StockCharts files.
        { "Bitten.Engine", "Bitten.Indicators" },
        { "Bitten.Engine", "Bitten.Domain" },
    };

    [Theory]
    [MemberData(nameof(Required))]
    public void ProjectReallyUsesWhatTheDesignSaysItUses(string assembly, string used)
    {
        var references = Assembly.Load(assembly).GetReferencedAssemblies().Select(a => a.Name!);
        Assert.Contains(used, references);
    }

    [Fact]
    public void TheHostComposesEveryAdapterAndTheCliStandsOnTheHost()
    {
        // GetReferencedAssemblies lists only what the compiled code uses, so these are references really used.
        var host = References("Bitten.Host");
        Assert.All(Adapters, adapter => Assert.Contains(adapter, host));
        var cli = References("bitten");
        Assert.Contains("Bitten.Host", cli);
        Assert.Contains("Bitten.Bench", cli);
        Assert.DoesNotContain("bitten", host);
        Assert.DoesNotContain("bitten", References("Bitten.Bench"));
    }

    [Fact]
    public void DomainAndEngineReferenceNoPackagesOrIo()
    {
        foreach (var name in new[] { "Bitten.Domain", "Bitten.Indicators", "Bitten.Engine" })
        {
            var references = Assembly.Load(name).GetReferencedAssemblies().Select(a => a.Name!).ToArray();
            Assert.DoesNotContain(references, r => r.StartsWith("Microsoft.Extensions", StringComparison.Ordinal) || r.StartsWith("Bitten.Zmq", StringComparison.Ordinal));
        }
    }

    private static string[] References(string assembly) =>
        [.. Assembly.Load(assembly).GetReferencedAssemblies().Select(a => a.Name!)];
}
