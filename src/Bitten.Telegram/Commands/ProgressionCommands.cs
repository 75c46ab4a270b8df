using System.Text;

namespace Bitten.Telegram.Commands;

/// <summary>/presspass, /xp, /achievements, /leaderboard: progression, when this process runs it.</summary>
internal static class ProgressionCommands
{
    public const int LeadersShown = 10;

    public static async Task<IReadOnlyList<BotMessage>> PressPassAsync(CommandRequest r)
    {
        if (r.Services.PressPasses is not { } passes)
        {
            return r.Reply(BotFormat.NotAvailable);
        }

        var answer = await passes.ClaimAsync(r.Message.TelegramId);
        if (!answer.Granted)
        {
            return r.Reply(BotText.Escape(answer.Message));
        }

        // The claim changed the user in the store; the desk trades with the stored user from now on, as after any change.
        if (r.Services.Users.ByTelegramId(r.Message.TelegramId) is { } updated)
        {
            var desk = r.Services.Desk;
            await r.Services.Kernel.AskAsync(() =>
            {
                desk.UpsertUser(updated);
                return true;
            });
        }

        return r.Reply($"Press pass granted until {BotFormat.Date(answer.ExpiresMs)}. {BotText.Escape(answer.Message)}".TrimEnd());
    }

    public static async Task<IReadOnlyList<BotMessage>> XpAsync(CommandRequest r)
    {
        if (r.Services.Progression is not { } progression)
        {
            return r.Reply(BotFormat.NotAvailable);
        }

        if ((await progression.OfAsync(r.Caller.UserId)) is not { } p)
        {
            return r.Reply("No XP yet: your first closed trade earns some.");
        }

        var next = p.NextLevelXp is { } n ? $" (next level at {BotFormat.Whole(n)})" : " (top level)";
        return r.Reply(
            $"XP <b>{BotFormat.Whole(p.Xp)}</b> · level {p.Level}{next}\nTrades {p.Trades} · TP {p.TakeProfits} · SL {p.StopLosses} · win streak {p.WinStreak}");
    }

    public static async Task<IReadOnlyList<BotMessage>> AchievementsAsync(CommandRequest r)
    {
        if (r.Services.Progression is not { } progression)
        {
            return r.Reply(BotFormat.NotAvailable);
        }

        var unlocked = (await progression.OfAsync(r.Caller.UserId))?.Achievements ?? [];
        if (unlocked.Count == 0)
        {
            return r.Reply("No achievements yet.");
        }

        var text = new StringBuilder("<b>Achievements</b>");
        foreach (var (name, description, at) in unlocked)
        {
            text.Append("\n🏅 <b>").Append(BotText.Escape(name)).Append("</b> — ").Append(BotText.Escape(description))
                .Append(" (").Append(BotFormat.Date(at)).Append(')');
        }

        return r.Reply(text.ToString());
    }

    /// <summary>/leaderboard: the top traders as rank, masked name and XP; /leaderboard on|off: whether the caller is on it.</summary>
    public static async Task<IReadOnlyList<BotMessage>> LeaderboardAsync(CommandRequest r)
    {
        if (r.Args.Count > 0)
        {
            if (r.Args.Count > 1 || BotFormat.Switch(r.Verb) is not { } on)
            {
                return r.Reply("Use /leaderboard, /leaderboard on or /leaderboard off.");
            }

            r.Services.Users.SetPreferences(r.Message.TelegramId, null, on);
            return r.Reply(on ? "You are on the leaderboard." : "You are off the leaderboard.");
        }

        if (r.Services.Progression is not { } progression)
        {
            return r.Reply(BotFormat.NotAvailable);
        }

        var rows = await progression.LeaderboardAsync(LeadersShown);
        if (rows.Count == 0)
        {
            return r.Reply("The leaderboard is empty so far.");
        }

        var text = new StringBuilder("<b>Leaderboard</b>");
        foreach (var row in rows)
        {
            var who = row.TelegramId == r.Message.TelegramId ? "you" : BotFormat.Masked(row.TelegramId);
            text.Append('\n').Append(row.Rank).Append(". ").Append(who).Append(" — ").Append(BotFormat.Whole(row.Xp)).Append(" XP");
        }

        var mine = !r.Caller.OnLeaderboard ? "\nYou are off it: /leaderboard on to join." : "";
        return r.Reply(text + mine);
    }
}
