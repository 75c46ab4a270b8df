using System.Globalization;
using System.Threading.RateLimiting;
using Bitten.Web.Api;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.DependencyInjection;

namespace Bitten.Web.Auth;

/// <summary>
/// ASP.NET Core's rate limiter, one token bucket per user (per remote address when anonymous), answering 429 in the
/// API's JSON with Retry-After. /healthz is exempt: probes and benchmarks must measure the endpoint, not the limiter.
/// </summary>
internal static class WebRateLimits
{
    public static void AddWebRateLimits(this IServiceCollection services, WebRateLimitOptions options)
    {
        if (!options.Enabled)
        {
            return;
        }

        var bucket = Bucket(options);
        services.AddRateLimiter(limiter =>
        {
            limiter.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(http =>
                http.Request.Path.StartsWithSegments("/healthz", StringComparison.OrdinalIgnoreCase)
                    ? RateLimitPartition.GetNoLimiter("healthz")
                    : RateLimitPartition.GetTokenBucketLimiter(PartitionOf(http), _ => bucket));
            limiter.OnRejected = async (context, cancellation) =>
            {
                var retry = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var after) ? after : bucket.ReplenishmentPeriod;
                var seconds = Math.Max(1, (long)Math.Ceiling(retry.TotalSeconds));
                context.HttpContext.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
                await ApiJson.Error(StatusCodes.Status429TooManyRequests, "rate_limited",
                    $"too many requests: {options.PermitsPerMinute} a minute (bursts of {options.Burst}); retry in {seconds} s").ExecuteAsync(context.HttpContext);
            };
        });
    }

    /// <summary>The user's id once authenticated (so one user cannot dodge the limit by changing address), else the address.</summary>
    private static string PartitionOf(HttpContext http) => WebAuth.UserOf(http) is { } user
        ? "user:" + user.UserId.ToString(CultureInfo.InvariantCulture)
        : "ip:" + (http.Connection.RemoteIpAddress?.ToString() ?? "unknown");

    /// <summary>
    /// Refills a token at a time where the rate allows (under 60 a minute), else a second's worth each second: the
    /// partitioned limiter replenishes its buckets on a 100 ms timer, so finer periods would buy nothing.
    /// </summary>
    private static TokenBucketRateLimiterOptions Bucket(WebRateLimitOptions options)
    {
        var perSecond = options.PermitsPerMinute >= 60;
        return new TokenBucketRateLimiterOptions
        {
            TokenLimit = options.Burst,
            TokensPerPeriod = perSecond ? (int)Math.Ceiling(options.PermitsPerMinute / 60.0) : 1,
            ReplenishmentPeriod = perSecond ? TimeSpan.FromSeconds(1) : TimeSpan.FromMinutes(1.0 / options.PermitsPerMinute),
            QueueLimit = 0,
            AutoReplenishment = true,
        };
    }
}
