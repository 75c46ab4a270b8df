using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Bitten.Domain.Events;
using Bitten.Domain.Users;
using Bitten.Engine.Execution;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Bitten.Web.Api;

public static class UsersApi
{
    /// <summary>
    /// GET /api/users (ADMIN): every user as the desk trades for them, <c>[{user_id, telegram_id, tier, role, mode,
    /// min_confidence, max_confidence, max_slots, risk_percent, ea_uuid, slots:{used,max}, balance, open_positions, press_pass_expires_ms, mission_alerts, on_leaderboard}]</c>.
    /// PUT /api/users/{telegram_id} <c>{tier?, mode?, min_confidence?, max_confidence?, max_slots?, risk_percent?}</c>:
    /// stored through <see cref="IUserAdmin"/>, then given to the desk, answered with the user as now. AUTO is for
    /// COMMANDER and PRESS_PASS only (also when lowering the tier of an AUTO user: 400, nothing changes); 404 for an unknown user.
    /// </summary>
    public static IEndpointRouteBuilder MapUsersApi(this IEndpointRouteBuilder endpoints, WebServices services)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        ArgumentNullException.ThrowIfNull(services);
        endpoints.MapGet("/api/users", async Task<IResult> () =>
        {
            var desk = services.Desk;
            var traders = await services.Kernel.AskAsync(desk.Traders);
            return ApiJson.Ok(traders.Select(ToJson).ToList());
        }).RequireUser(services, adminOnly: true);
        endpoints.MapPut("/api/users/{telegramId}", Task<IResult> (string telegramId, HttpContext http) => PutAsync(telegramId, http, services))
            .RequireUser(services, adminOnly: true);
        return endpoints;
    }

    internal static UserJson ToJson(TraderView trader)
    {
        var (user, account) = (trader.User, trader.Account);
        return new UserJson(user.UserId, user.TelegramId, user.Tier.WireName(), user.Role.WireName(), user.Mode.WireName(), user.Auto.MinConfidence,
            user.Auto.MaxConfidence, user.Auto.MaxSlots, user.Auto.RiskPercent, user.EaUuid, new SlotsJson(account.SlotsUsed, account.SlotLimit),
            account.Balance, account.OpenPositions, user.PressPassExpiresMs, user.MissionAlerts, user.OnLeaderboard);
    }

    private static async Task<IResult> PutAsync(string id, HttpContext http, WebServices services)
    {
        if (!long.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out var telegramId))
        {
            return NotFound(id);
        }

        if (services.UserAdmin is not { } users)
        {
            return ApiJson.Error(StatusCodes.Status503ServiceUnavailable, "unavailable", "this server cannot change users");
        }

        var (body, invalid) = await ApiJson.ReadObjectAsync(http.Request);
        if (invalid is not null)
        {
            return invalid;
        }

        Tier? tier = null;
        if (body.TryGetProperty("tier", out var t))
        {
            if (t.ValueKind != JsonValueKind.String || !Tiers.TryParse(t.GetString(), out var parsed))
            {
                return Invalid("'tier' must be PRESS_PASS, NIBBLER, FANG or COMMANDER");
            }

            tier = parsed;
        }

        var desk = services.Desk;
        var before = await services.Kernel.AskAsync(() => desk.Traders().FirstOrDefault(v => v.User.TelegramId == telegramId)?.User);
        if (before is null)
        {
            return NotFound(id);
        }

        if (SettingsBody.Read(body, before, out var mode, out var auto) is { } problem)
        {
            return Invalid(problem);
        }

        if (tier is null && mode is null && auto is null)
        {
            return Invalid("name at least one of tier, mode, min_confidence, max_confidence, max_slots, risk_percent");
        }

        User? updated;
        try
        {
            updated = users.Update(telegramId, tier, mode, auto);
        }
        catch (ArgumentException e)
        {
            return Invalid(e.Message);
        }

        if (updated is null)
        {
            return NotFound(id);
        }

        var admin = ApiAuth.CallerOf(http).UserId;
        var now = await AdminApi.ActAsync(services, time =>
        {
            var previous = desk.TraderOf(updated.UserId)?.User ?? before;
            desk.UpsertUser(updated);
            return (desk.TraderOf(updated.UserId)!, new AdminActed(time, admin, AdminActions.UserSettings, id, Describe(updated), Describe(previous)));
        });
        return ApiJson.Ok(ToJson(now));
    }

    private static string Describe(User user) => string.Create(CultureInfo.InvariantCulture,
        $"{user.Tier.WireName()} {user.Mode.WireName()} band {user.Auto.MinConfidence}-{user.Auto.MaxConfidence} slots {user.Auto.MaxSlots} risk {user.Auto.RiskPercent}%");

    private static IResult Invalid(string message) => ApiJson.Error(StatusCodes.Status400BadRequest, "invalid_user_settings", message);

    private static IResult NotFound(string id) => ApiJson.Error(StatusCodes.Status404NotFound, "not_found", $"no user with telegram id '{id}'");

    internal sealed record SlotsJson(int Used, int Max);

    internal sealed record UserJson(long UserId, long TelegramId, string Tier, string Role, string Mode, double MinConfidence, double MaxConfidence,
        int MaxSlots, decimal RiskPercent, string? EaUuid, SlotsJson Slots, decimal? Balance, int OpenPositions, long? PressPassExpiresMs, bool MissionAlerts, bool OnLeaderboard,
        [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] long? Xp = null,
        [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int? Level = null);
}
