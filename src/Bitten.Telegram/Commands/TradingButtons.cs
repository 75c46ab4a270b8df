using System.Globalization;
using System.Text;
using Bitten.Domain.Signals;
using Bitten.Domain.Users;

namespace Bitten.Telegram.Commands;

/// <summary>
/// The inline buttons: <c>fire:{mission_id}</c> fires (the mission alerts' FIRE and /fire's confirm), <c>close:{ticket}</c>
/// closes, <c>cancel</c> drops a confirm. Each acts for the presser only, on their own missions and positions. The
/// messages go to the presser's private chat (a button in a group must not show their account there).
/// </summary>
internal static class TradingButtons
{
    public const string Cancel = "cancel";

    private const string FirePrefix = "fire:";
    private const string ClosePrefix = "close:";

    /// <summary>Telegram's limit on callback data.</summary>
    private const int MaxCallbackBytes = 64;

    /// <summary>A FIRE button for the mission, or null when its id is too long for callback data.</summary>
    public static BotButton? Fire(string text, string missionId) =>
        Encoding.UTF8.GetByteCount(FirePrefix + missionId) <= MaxCallbackBytes ? BotButton.Callback(text, FirePrefix + missionId) : null;

    public static string CloseData(long ticket) => ClosePrefix + ticket.ToString(CultureInfo.InvariantCulture);

    public static async Task<CallbackAnswer> OnPressAsync(BotServices services, User user, string? data)
    {
        if (data == Cancel)
        {
            return new CallbackAnswer("Cancelled.", []);
        }

        if (data is not null && data.StartsWith(FirePrefix, StringComparison.Ordinal) && data.Length > FirePrefix.Length)
        {
            var text = await FireNowAsync(services, user.UserId, data[FirePrefix.Length..]);
            return new CallbackAnswer(Toast(text), [new BotMessage(user.TelegramId, text)]);
        }

        if (data is not null && data.StartsWith(ClosePrefix, StringComparison.Ordinal)
            && long.TryParse(data.AsSpan(ClosePrefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out var ticket))
        {
            var text = await CloseTicketAsync(services, user.UserId, ticket);
            return new CallbackAnswer(Toast(text), [new BotMessage(user.TelegramId, text)]);
        }

        return new CallbackAnswer("That button no longer works.", []);
    }

    /// <summary>Fires the user's mission now and says what happened (HTML).</summary>
    public static async Task<string> FireNowAsync(BotServices services, long userId, string missionId)
    {
        var desk = services.Desk;
        var (result, mission) = await services.Kernel.AskAsync(() => (desk.Fire(userId, missionId), desk.MissionOf(userId, missionId)));
        if (!result.MissionFound || mission is null)
        {
            return NoMission(missionId);
        }

        var s = mission.Signal;
        return result.Verdict.Fires
            ? $"🔥 Fired <b>{s.Symbol} {s.Direction.WireName()}</b>, {BotFormat.Lot(result.Verdict.Lot)} lot. Fire <code>{BotText.Escape(result.FireId)}</code>: the fill follows."
            : $"Not fired ({s.Symbol}): {BotText.Escape(result.Verdict.Message)}";
    }

    public static async Task<string> CloseTicketAsync(BotServices services, long userId, long ticket)
    {
        var desk = services.Desk;
        var closing = await services.Kernel.AskAsync(() => desk.Close(userId, ticket, null, all: false));
        return closing < 0
            ? string.Create(CultureInfo.InvariantCulture, $"You have no open position with ticket {ticket}.")
            : string.Create(CultureInfo.InvariantCulture, $"Closing #{ticket}; your EA confirms it.");
    }

    public static string NoMission(string missionId) => $"You have no mission {BotText.Escape(missionId)}.";

    /// <summary>A toast is plain text of at most 200 characters: the message's first line without its tags.</summary>
    private static string Toast(string html)
    {
        var plain = BotHtml.ToPlainText(html.Split('\n')[0]);
        return plain.Length <= 200 ? plain : plain[..199] + "…";
    }
}
