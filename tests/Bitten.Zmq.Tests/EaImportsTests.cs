using System.Reflection;
using System.Runtime.InteropServices;
using System.Text.RegularExpressions;

namespace Bitten.Zmq.Tests;

/// <summary>
/// The MT5 EA (ea/BITTEN_Bridge.mq5) declares libzmq by hand — its <c>#import "libzmq.dll"</c> block and its
/// <c>#define ZMQ_*</c> constants — and cannot be compiled here. These tests read those declarations and hold them
/// to this binding, which every other test here runs against the real libzmq: each constant must have the value
/// Bitten.Zmq passes for the same option, each imported function must exist in libzmq, and no socket or context
/// handle may be declared narrower than 64 bits (a terminal is x64; an int handle is a truncated pointer).
/// </summary>
public partial class EaImportsTests
{
    private static readonly string Ea = File.ReadAllText(Path.Combine(Bitten.Testing.Checkout.Root, "ea", "BITTEN_Bridge.mq5"));

    /// <summary>The EA's constant → the name of the same value in Bitten.Zmq (LibZmq's constant, or a socket type).</summary>
    private static readonly Dictionary<string, string> Counterparts = new(StringComparer.Ordinal)
    {
        ["ZMQ_DEALER"] = nameof(ZmqSocketType.Dealer),
        ["ZMQ_PUSH"] = nameof(ZmqSocketType.Push),
        ["ZMQ_IDENTITY"] = "RoutingId",
        ["ZMQ_LINGER"] = "Linger",
        ["ZMQ_SNDHWM"] = "SndHwm",
        ["ZMQ_IMMEDIATE"] = "Immediate",
        ["ZMQ_CURVE_PUBLICKEY"] = "CurvePublicKey",
        ["ZMQ_CURVE_SECRETKEY"] = "CurveSecretKey",
        ["ZMQ_CURVE_SERVERKEY"] = "CurveServerKey",
        ["ZMQ_DONTWAIT"] = "DontWait",
        ["ZMQ_HEARTBEAT_IVL"] = "HeartbeatIvl",
        ["ZMQ_HEARTBEAT_TTL"] = "HeartbeatTtl",
        ["ZMQ_HEARTBEAT_TIMEOUT"] = "HeartbeatTimeout",
        ["ZMQ_CONNECT_TIMEOUT"] = "ConnectTimeout",
    };

    [Fact]
    public void EveryZmqConstantOfTheEaHasTheValueThisBindingUses()
    {
        var defines = Define().Matches(Ea).ToDictionary(m => m.Groups[1].Value, m => int.Parse(m.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture));
        Assert.True(defines.Count >= Counterparts.Count, $"only {defines.Count} ZMQ_ constants read from the EA");
        var libZmq = typeof(ZmqSocket).Assembly.GetType("Bitten.Zmq.LibZmq", throwOnError: true)!;

        foreach (var (name, value) in defines)
        {
            Assert.True(Counterparts.TryGetValue(name, out var counterpart), $"the EA defines {name}: add its Bitten.Zmq counterpart to this test");
            var expected = Enum.TryParse<ZmqSocketType>(counterpart, out var socketType)
                ? (int)socketType
                : Convert.ToInt32(libZmq.GetField(counterpart, BindingFlags.Public | BindingFlags.Static)!.GetRawConstantValue(), System.Globalization.CultureInfo.InvariantCulture);
            Assert.True(expected == value, $"the EA's {name} is {value}; libzmq's is {expected}");
        }
    }

    [Fact]
    public void EveryFunctionTheEaImportsIsExportedByLibzmqWithHandlesOf64Bits()
    {
        var block = ImportBlock().Match(Ea);
        Assert.True(block.Success, "no #import \"libzmq.dll\" block in the EA");
        var declarations = Declaration().Matches(block.Groups[1].Value);
        Assert.True(declarations.Count >= 10, $"only {declarations.Count} imports read");
        var library = NativeLibrary.Load("libzmq.so.5");
        try
        {
            foreach (Match d in declarations)
            {
                var (returns, name, parameters) = (d.Groups[1].Value, d.Groups[2].Value, d.Groups[3].Value);
                Assert.True(NativeLibrary.TryGetExport(library, name, out _), $"libzmq exports no {name}");
                Assert.False(NarrowHandle().IsMatch(parameters), $"{name} takes a handle narrower than 64 bits: {parameters}");
                if (name is "zmq_ctx_new" or "zmq_socket")
                {
                    Assert.True(returns == "long", $"{name} returns a pointer; the EA declares {returns}");
                }
            }
        }
        finally
        {
            NativeLibrary.Free(library);
        }
    }


    [GeneratedRegex(@"^#define\s+(ZMQ_\w+)\s+(\d+)", RegexOptions.Multiline)]
    private static partial Regex Define();

    [GeneratedRegex(@"#import\s+""libzmq\.dll""(.*?)#import", RegexOptions.Singleline)]
    private static partial Regex ImportBlock();

    [GeneratedRegex(@"^\s*(\w+)\s+(zmq_\w+)\s*\(([^)]*)\)\s*;", RegexOptions.Multiline)]
    private static partial Regex Declaration();

    [GeneratedRegex(@"\b(?:int|uint|short|ushort)\s+(?:socket|context)\b")]
    private static partial Regex NarrowHandle();
}
