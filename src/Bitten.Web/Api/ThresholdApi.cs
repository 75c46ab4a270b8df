using System.Globalization;
using System.Text.Json;
using Bitten.Domain.Events;
using Bitten.Engine.Signals;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Bitten.Web.Api;

public static class ThresholdApi
{
    /// <summary>
    /// GET /api/threshold (ADMIN): Elite Guard's live confidence threshold and the range the tuner keeps it in,
    /// <c>{threshold, min, max, auto_tune, moves, last_reason}</c>. POST /api/threshold <c>{threshold?, min?, max?}</c>
    /// sets any of them in the running tuner (0–100, min ≤ threshold ≤ max once applied; all or nothing) and answers the
    /// same shape. The tuner keeps retuning inside the range (min = max pins it); the setting is checkpointed before the
    /// answer, so a restart keeps it.
    /// </summary>
    public static IEndpointRouteBuilder MapThresholdApi(this IEndpointRouteBuilder endpoints, WebServices services)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        ArgumentNullException.ThrowIfNull(services);
        endpoints.MapGet("/api/threshold", Task<IResult> () => GetAsync(services)).RequireUser(services, adminOnly: true);
        endpoints.MapPost("/api/threshold", Task<IResult> (HttpContext http) => PostAsync(http, services)).RequireUser(services, adminOnly: true);
        return endpoints;
    }

    internal static ThresholdJson ToJson(ThresholdView view) =>
        new(view.Threshold, view.Min, view.Max, view.AutoTune, view.Moves, view.LastReason.WireName());

    private static async Task<IResult> GetAsync(WebServices services)
    {
        if (services.Tuner is not { } tuner)
        {
            return Unavailable();
        }

        return ApiJson.Ok(ToJson(await services.Kernel.AskAsync(() => tuner.View)));
    }

    private static async Task<IResult> PostAsync(HttpContext http, WebServices services)
    {
        if (services.Tuner is not { } tuner)
        {
            return Unavailable();
        }

        var (body, invalid) = await ApiJson.ReadObjectAsync(http.Request);
        if (invalid is not null)
        {
            return invalid;
        }

        double? threshold, min, max;
        try
        {
            (threshold, min, max) = (Optional(body, "threshold"), Optional(body, "min"), Optional(body, "max"));
        }
        catch (FormatException e)
        {
            return Invalid(e.Message);
        }

        if (threshold is null && min is null && max is null)
        {
            return Invalid("name at least one of threshold, min, max");
        }

        var admin = ApiAuth.CallerOf(http).UserId;
        var (view, problem) = await AdminApi.ActAsync(services, now =>
        {
            // Checked and applied in one kernel step: nothing can move the threshold between the two.
            if (tuner.Problem(threshold, min, max) is { } refused)
            {
                return ((tuner.View, refused), null);
            }

            var before = tuner.View;
            tuner.Set(threshold, min, max);
            return ((tuner.View, (string?)null), new AdminActed(now, admin, AdminActions.Threshold, "global", Describe(tuner.View), Describe(before)));
        });
        if (problem is not null)
        {
            return Invalid(problem);
        }

        if (services.Checkpoint is { } checkpoint)
        {
            await checkpoint();
        }

        return ApiJson.Ok(ToJson(view));
    }

    private static double? Optional(JsonElement body, string name) =>
        body.TryGetProperty(name, out var value) ? SettingsBody.Number(value, name) : null;

    private static string Describe(ThresholdView view) =>
        string.Create(CultureInfo.InvariantCulture, $"{view.Threshold} ({view.Min}-{view.Max})");

    private static IResult Invalid(string message) => ApiJson.Error(StatusCodes.Status400BadRequest, "invalid_threshold", message);

    private static IResult Unavailable() => ApiJson.Error(StatusCodes.Status503ServiceUnavailable, "unavailable", "the threshold tuner is not running");

    internal sealed record ThresholdJson(double Threshold, double Min, double Max, bool AutoTune, int Moves, string LastReason);
}
