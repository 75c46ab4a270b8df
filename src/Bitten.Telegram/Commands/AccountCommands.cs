using System.Globalization;
using System.Text;
using Bitten.Domain.Primitives;
using Bitten.Domain.Signals;
using Bitten.Domain.Trading;
using Bitten.Domain.Users;
using Bitten.Telegram.Alerts;

namespace Bitten.Telegram.Commands;

/// <summary>/start, /help, /status, /tier, /connect, /alerts, /token, /login: who the caller is and how they reach BITTEN.</summary>
internal static class AccountCommands
{
    public static async Task<IReadOnlyList<BotMessage>> StartAsync(CommandRequest r)
    {
        if (r.User is { } known)
        {
            // The group's "Mission brief" deep link: t.me/bot?start=brief_{signal} lands here with the reader's own mission.
            if (r.Args is [var payload] && payload.StartsWith(AlertButtons.BriefPrefix, StringComparison.Ordinal))
            {
                return await BriefAsync(r, known, payload[AlertButtons.BriefPrefix.Length..]);
            }

            return r.Reply($"Welcome back — your account is linked ({known.Tier.WireName()}). /help lists what you can do.");
        }

        var (user, created) = r.Services.Users.Register(r.Message.TelegramId);
        return r.Reply(created
            ? "Welcome to BITTEN. You are registered as a RECRUIT: you get the group's alerts. /presspass starts a 7-day trial on a simulated account (10,000); a paid tier trades on your own EA (/connect). /help lists the rest."
            : $"Welcome back — your account is linked ({user.Tier.WireName()}). /help lists what you can do.");
    }

    private static async Task<IReadOnlyList<BotMessage>> BriefAsync(CommandRequest r, User user, string signalId)
    {
        var desk = r.Services.Desk;
        var missionId = MissionStatuses.MissionId(signalId, user.UserId);
        var mission = await r.Services.Kernel.AskAsync(() => desk.MissionOf(user.UserId, missionId));
        if (mission is null)
        {
            return r.Reply(user.Tier == Tier.Recruit
                ? "Recruits get the alerts only: /presspass starts a 7-day trial on a simulated account."
                : "You have no mission on that signal (your tier may not take its class, or it came before you joined).");
        }

        var buttons = new AlertButtons(r.Services.Options.WebAppUrl);
        IReadOnlyList<BotButton> row = buttons.MissionBrief(mission.MissionId) is { } brief ? [AlertButtons.Fire(mission.MissionId), brief] : [AlertButtons.Fire(mission.MissionId)];
        return r.Reply(AlertText.Mission(mission.Signal, mission.MissionId, SymbolCatalogue.Default, null) + $"\nStatus: {mission.Status.WireName()}", [row]);
    }

    public static Task<IReadOnlyList<BotMessage>> HelpAsync(CommandRequest r)
    {
        var text = new StringBuilder(r.User is null ? "Send /start to register. Until then:" : "What you can do:");
        foreach (var command in CommandCatalogue.For(r.User, r.Message.IsPrivateChat))
        {
            text.Append("\n/").Append(command.Name).Append(" — ").Append(BotText.Escape(command.Description));
        }

        return Done(r.Reply(text.ToString()));
    }

    public static async Task<IReadOnlyList<BotMessage>> StatusAsync(CommandRequest r)
    {
        var (desk, user) = (r.Services.Desk, r.Caller);
        var (account, eas, stop) = await r.Services.Kernel.AskAsync(() => (desk.AccountOf(user.UserId), desk.Counts.EasAlive, desk.EmergencyStop));
        var system = r.Services.Status?.Invoke() is { } status
            ? $"System: {status.EasOnline} EA{(status.EasOnline == 1 ? "" : "s")} online · {status.SignalsToday} signals today · emergency stop {status.EmergencyStop.WireName()}"
            : $"System: {eas} EA{(eas == 1 ? "" : "s")} online · emergency stop {stop.WireName()}";
        var you = $"You: <b>{user.Tier.WireName()}</b> · {user.Mode.WireName()}";
        you += account is null
            ? " · no EA connected yet (/connect)"
            : $" · EA {(account.EaAlive ? "online" : "offline")} · slots {account.SlotsUsed}/{account.SlotLimit} · balance {BotFormat.Money(account.Balance)}";
        return r.Reply($"{you}\n{system}");
    }

    public static Task<IReadOnlyList<BotMessage>> TierAsync(CommandRequest r)
    {
        var user = r.Caller;
        var classes = string.Join(", ", Enum.GetValues<SignalClass>().Where(c => user.Tier.Allows(c)).Select(c => c.WireName()));
        var text = string.Create(CultureInfo.InvariantCulture,
            $"Tier: <b>{user.Tier.WireName()}</b> · role {user.Role.WireName()}\nSignals: {classes}\nSlots: {user.Tier.Slots()} · daily loss limit {user.Tier.DailyLossLimitPercent():0.##}% · AUTO mode: {(user.Tier.AllowsAutoFire() ? "yes" : "no (COMMANDER and PRESS_PASS)")}");
        if (user.PressPassExpiresMs is { } expires)
        {
            text += $"\nPress pass until {BotFormat.Date(expires)}";
        }

        return Done(r.Reply(text));
    }

    public static Task<IReadOnlyList<BotMessage>> ConnectAsync(CommandRequest r)
    {
        var code = r.Services.Users.PairingCode(r.Caller.UserId);
        return Done(r.Reply($"Your EA pairing code: <code>{BotText.Escape(code)}</code>\nValid 10 minutes, once: enter it in the EA's inputs. " +
            "BITTEN never asks for your broker password."));
    }

    public static Task<IReadOnlyList<BotMessage>> AlertsAsync(CommandRequest r)
    {
        if (r.Args.Count == 0)
        {
            var state = BotFormat.OnOff(r.Caller.MissionAlerts);
            return Done(r.Reply($"Mission alerts are {state}. /alerts on sends each new mission as a DM with a FIRE button; /alerts off stops them."));
        }

        if (r.Args.Count > 1 || BotFormat.Switch(r.Verb) is not { } wanted)
        {
            return Done(r.Reply("Use /alerts on or /alerts off."));
        }

        r.Services.Users.SetPreferences(r.Message.TelegramId, wanted, null);
        return Done(r.Reply(wanted ? "Mission alerts on: each new mission comes as a DM with a FIRE button." : "Mission alerts off."));
    }

    public static Task<IReadOnlyList<BotMessage>> TokenAsync(CommandRequest r)
    {
        var token = r.Services.Users.NewToken(r.Message.TelegramId);
        return Done(r.Reply($"Your new API token (the old one stops working; keep it secret):\n<code>{BotText.Escape(token)}</code>"));
    }

    public static Task<IReadOnlyList<BotMessage>> LoginAsync(CommandRequest r)
    {
        var link = r.Services.Users.LoginLink(r.Caller.UserId);
        return Done(r.Reply($"Your one-time login link (10 minutes, once):\n{BotText.Escape(link)}"));
    }

    internal static Task<IReadOnlyList<BotMessage>> Done(IReadOnlyList<BotMessage> messages) => Task.FromResult(messages);
}
