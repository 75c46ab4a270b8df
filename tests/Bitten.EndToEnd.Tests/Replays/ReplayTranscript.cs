using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Bitten.Domain.Signals;
using Bitten.Engine.Execution;
using Bitten.Engine.Signals;
using Bitten.Engine.Tracking;
using Bitten.Simulation.Ea;
using Bitten.Simulation.Replay;
using Bitten.Wire.Ea;
using Bitten.Wire.Signals;

namespace Bitten.EndToEnd.Tests.Replays;

/// <summary>
/// A replay's results as canonical text, one line per thing that happened, in the order it happened: each signal as
/// published on 5557, each outcome, each fire with its EA's answer, each close, and the account at the end. Doubles
/// are written round-trip ("R"), so a change in the last bit shows. Its SHA-256 pins a replay.
/// </summary>
internal sealed class ReplayTranscript : ISignalSink, IOutcomeSink, IPaperAccountObserver
{
    private readonly List<string> _lines = [];

    public IReadOnlyList<string> Lines => _lines;

    /// <summary>Only the signal and outcome lines: what a replay without the clock must reproduce too.</summary>
    public IReadOnlyList<string> SignalLines => [.. _lines.Where(l => l.StartsWith("signal ", StringComparison.Ordinal) || l.StartsWith("outcome ", StringComparison.Ordinal))];

    public string Text => string.Concat(_lines.Select(l => l + "\n"));

    public static string Sha256(string text) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text)));

    public void OnSignal(Signal signal) => _lines.Add("signal " + Encoding.UTF8.GetString(SignalJson.Frame(signal)));

    public void OnResolved(in SignalOutcome o) => _lines.Add(Invariant(
        $"outcome {o.SignalId} {o.Outcome.WireName()} exit {o.ExitPrice:R} at {o.ExitTimeMs} pips {o.Pips:R} minutes {o.DurationMinutes:R} mfe {o.MaxFavourablePips:R} mae {o.MaxAdversePips:R}"));

    public void OnFire(FireOrder order, FireConfirmation answer, long timeMs) => _lines.Add(Invariant(
        $"fire {order.FireId} at {timeMs} {order.Symbol} {order.Direction.WireName()} lot {order.Lot} sl {order.StopLoss:R} tp {order.TakeProfit:R} -> ") + (answer.Success
            ? Invariant($"filled ticket {answer.Ticket} price {answer.Price:R} balance {answer.Account.Balance}")
            : $"failed {answer.Message}"));

    public void OnClose(CloseConfirmation close, long timeMs) => _lines.Add(Invariant(
        $"close {close.FireId} at {timeMs} ticket {close.Ticket} price {close.ClosePrice:R} profit {close.Profit} {close.Message} balance {close.Account.Balance}"));

    public void OnAccount(string eaUuid, AccountReport account, long timeMs)
    {
        // Heartbeats are every 30 s of replay time: thousands of lines that say nothing the closes do not.
    }

    public void End(ReplayResult result)
    {
        foreach (var a in result.Accounts)
        {
            _lines.Add(Invariant(
                $"account {a.User.EaUuid} start {a.StartBalance} end {a.EndBalance} equity {a.EndEquity} fires {a.Fires} fills {a.Fills} closes {a.Closes} open {a.OpenPositions} drawdown {a.MaxDrawdownPercent:R} refusals {string.Join(",", a.Refusals.Select(r => $"{r.Key}={r.Value}"))}"));
        }

        _lines.Add(Invariant($"end ticks {result.Ticks} faults {result.Faults} raised {result.Engine.Raised} evaluations {result.Engine.Evaluations}"));
    }

    /// <summary>The first line where two transcripts part, with its number, for a failure message.</summary>
    public static string FirstDifference(IReadOnlyList<string> expected, IReadOnlyList<string> actual)
    {
        for (var i = 0; i < Math.Max(expected.Count, actual.Count); i++)
        {
            var e = i < expected.Count ? expected[i] : "(end)";
            var a = i < actual.Count ? actual[i] : "(end)";
            if (e != a)
            {
                return $"line {i + 1}:\n  expected: {e}\n  actual:   {a}";
            }
        }

        return "no line differs";
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
