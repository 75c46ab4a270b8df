using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Scalar.AspNetCore;

namespace Bitten.Web.Api;

/// <summary>
/// The OpenAPI document at /openapi/v1.json and its browsable reference at /scalar, served from the package's bundled
/// script (no CDN at run time, the default fonts off as they come from one). Routes mapped without a summary get one
/// here, so the document names every route without each feature file having to.
/// </summary>
public static class OpenApiDocs
{
    private static readonly Dictionary<string, (string Id, string Summary)> Known = new(StringComparer.Ordinal)
    {
        ["POST api/signals"] = ("InjectSignal", "Inject a signal as if Elite Guard raised it (ADMIN)"),
        ["GET api/missions"] = ("ListMissions", "Your missions, newest first"),
        ["POST api/fire"] = ("Fire", "Fire one of your missions"),
        ["GET api/positions"] = ("ListPositions", "Your open positions"),
        ["POST api/close"] = ("Close", "Close a position by ticket or fire id, or all"),
        ["GET api/account"] = ("Account", "Your account as the desk sees it"),
        ["GET api/fire-mode"] = ("GetFireMode", "Your fire mode and auto-fire band"),
        ["PUT api/fire-mode"] = ("SetFireMode", "Change your fire mode or auto-fire band"),
        ["POST api/emergency-stop"] = ("EmergencyStop", "Set or lift the emergency stop (ADMIN)"),
        ["POST api/patterns/{pattern}"] = ("SwitchPattern", "Switch a pattern on or off, keep it on whatever its record, or hand it back to auto-disable (ADMIN)"),
        ["GET api/threshold"] = ("GetThreshold", "Elite Guard's confidence threshold and the tuner's range (ADMIN)"),
        ["POST api/threshold"] = ("SetThreshold", "Set the threshold and/or the tuner's range (ADMIN)"),
        ["GET api/users"] = ("ListUsers", "Every user as the desk trades for them (ADMIN)"),
        ["PUT api/users/{telegramId}"] = ("SetUser", "Change a user's tier, mode, band, slots or risk (ADMIN)"),
        ["GET api/throne"] = ("Throne", "Everything the Commander Throne shows (ADMIN)"),
    };

    public static IServiceCollection AddBittenOpenApi(this IServiceCollection services)
    {
        services.AddOpenApi(options => options.AddOperationTransformer((operation, context, _) =>
        {
            var key = $"{context.Description.HttpMethod} {context.Description.RelativePath}";
            if (Known.TryGetValue(key, out var known))
            {
                operation.OperationId ??= known.Id;
                operation.Summary ??= known.Summary;
            }

            return Task.CompletedTask;
        }));
        return services;
    }

    public static IEndpointRouteBuilder MapBittenOpenApi(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapOpenApi();
        endpoints.MapScalarApiReference("/scalar", options => options.WithTitle("BITTEN API").DisableDefaultFonts());
        return endpoints;
    }
}
