using System.Globalization;
using Bitten.Domain.Primitives;
using Bitten.Domain.Signals;
using Bitten.Domain.Trading;
using Bitten.Engine.Kernel;

namespace Bitten.Telegram.Commands;

/// <summary>
/// /stop, /resume, /pattern, /broadcast (ADMIN): each change is made as the Throne makes it (<see cref="AdminStep"/>) —
/// on the kernel thread, its AdminActed recorded in the same step, answered once stored.
/// </summary>
internal static class AdminCommands
{
    public static async Task<IReadOnlyList<BotMessage>> StopAsync(CommandRequest r)
    {
        if (r.Args.Count != 1 || r.Verb is not ("soft" or "hard") || !EmergencyStops.TryParse(r.Verb, out var stop))
        {
            return r.Reply("Use /stop soft (no new fires) or /stop hard (also close every position); /resume lifts it.");
        }

        var now = await SetStopAsync(r, stop);
        return r.Reply(now == EmergencyStop.Hard
            ? "Emergency stop <b>HARD</b>: no new fires, every open position closing."
            : $"Emergency stop <b>{now.WireName()}</b>: no new fires.");
    }

    public static async Task<IReadOnlyList<BotMessage>> ResumeAsync(CommandRequest r)
    {
        var now = await SetStopAsync(r, EmergencyStop.None);
        return r.Reply($"Emergency stop <b>{now.WireName()}</b>: fires are allowed again.");
    }

    /// <summary>/pattern on|off NAME: keeps the pattern on whatever its record, or switches it off whatever its record.</summary>
    public static async Task<IReadOnlyList<BotMessage>> PatternAsync(CommandRequest r)
    {
        if (r.Args.Count != 2 || BotFormat.Switch(r.Verb) is not { } on)
        {
            return r.Reply("Use /pattern on NAME or /pattern off NAME, e.g. /pattern off BB_SCALP.");
        }

        if (!PatternTypes.TryParse(r.Args[1].ToUpperInvariant(), out var pattern))
        {
            return r.Reply($"There is no pattern {BotText.Escape(r.Args[1])}. Patterns: {string.Join(", ", PatternTypes.All.Select(p => p.WireName()))}.");
        }

        if (r.Services.Switchboard is not { } board)
        {
            return r.Reply(BotFormat.NotAvailable);
        }

        var admin = r.Caller.UserId;
        var disabled = await Act(r, now => AdminStep.SwitchPattern(board, admin, pattern, on, now));
        return r.Reply($"Pattern <b>{pattern.WireName()}</b> switched {BotFormat.OnOff(on)}: it is {(disabled ? "off" : "on")} now.");
    }

    /// <summary>/broadcast TEXT: one message to every user through the outbox, keyed broadcast:{id}:{telegram_id}.</summary>
    public static Task<IReadOnlyList<BotMessage>> BroadcastAsync(CommandRequest r)
    {
        if (string.IsNullOrWhiteSpace(r.Rest))
        {
            return AccountCommands.Done(r.Reply("Use /broadcast TEXT."));
        }

        var id = UnixMs.Now(r.Services.Clock).ToString(CultureInfo.InvariantCulture);
        var text = "📣 " + BotText.Escape(r.Rest);
        var queued = r.Services.Users.List()
            .Count(u => r.Services.Outbox.Enqueue(string.Create(CultureInfo.InvariantCulture, $"broadcast:{id}:{u.TelegramId}"), new BotMessage(u.TelegramId, text)));
        return AccountCommands.Done(r.Reply($"Broadcast queued for {queued} user{(queued == 1 ? "" : "s")}."));
    }

    private static Task<EmergencyStop> SetStopAsync(CommandRequest r, EmergencyStop stop)
    {
        var (desk, admin) = (r.Services.Desk, r.Caller.UserId);
        return Act(r, now => AdminStep.SetEmergencyStop(desk, admin, stop, now));
    }

    private static Task<T> Act<T>(CommandRequest r, Func<long, (T, Bitten.Domain.Events.AdminActed?)> change) =>
        AdminStep.ActAsync(r.Services.Kernel, r.Services.Clock, r.Services.Record, r.Services.Stored, change);
}
