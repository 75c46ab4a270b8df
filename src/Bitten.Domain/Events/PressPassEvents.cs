namespace Bitten.Domain.Events;

/// <summary>A user took their press pass: PRESS_PASS until <see cref="ExpiresAtMs"/>, trading on the simulated account <see cref="EaUuid"/>.</summary>
public sealed record PressPassStarted(long TimeMs, long UserId, string EaUuid, long ExpiresAtMs) : TraderEvent(TimeMs, UserId);

/// <summary>A user's press pass ran out: a RECRUIT again, their simulated account stopped, their history kept.</summary>
public sealed record PressPassEnded(long TimeMs, long UserId, string? EaUuid) : TraderEvent(TimeMs, UserId);

/// <summary>The <c>action</c> of a press pass's user_action events.</summary>
public static class PressPassActions
{
    public const string Started = "press_pass_started";

    public const string Ended = "press_pass_ended";
}
