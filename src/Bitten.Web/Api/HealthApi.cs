using Bitten.Engine.Kernel;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Bitten.Web.Api;

public static class HealthApi
{
    /// <summary>
    /// GET /healthz (no auth, for probes): "ok" when every component is running, "degraded" otherwise, with each
    /// component's state. Without a <see cref="ComponentHealth"/> the kernel is the one component shown.
    /// </summary>
    public static IEndpointRouteBuilder MapHealthApi(this IEndpointRouteBuilder endpoints, WebServices services)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        ArgumentNullException.ThrowIfNull(services);
        endpoints.MapGet("/healthz", () =>
        {
            IReadOnlyList<(string Component, ComponentState State, string Detail)> snapshot =
                services.Health?.Snapshot() ?? [(TradingKernel.ComponentName, services.Kernel.State, "")];
            var components = snapshot.ToDictionary(c => c.Component, c => c.State.ToString().ToLowerInvariant(), StringComparer.Ordinal);
            var ok = snapshot.All(c => c.State == ComponentState.Running);
            return ApiJson.Ok(new { Status = ok ? "ok" : "degraded", Components = components });
        });
        return endpoints;
    }
}
