using System.Globalization;
using Microsoft.AspNetCore.Http;

namespace Bitten.Web.Api;

/// <summary>Query-string parameters the list routes share, refused at the edge with a 400 that says what is allowed.</summary>
internal static class ApiQuery
{
    /// <summary><c>?limit=</c>: absent gives <paramref name="fallback"/>; otherwise a whole number 1..<paramref name="max"/>.</summary>
    public static bool TryLimit(IQueryCollection query, int fallback, int max, out int limit, out IResult invalid)
    {
        limit = fallback;
        invalid = Results.Empty;
        var text = query["limit"];
        if (text.Count == 0)
        {
            return true;
        }

        if (text.Count == 1 && int.TryParse(text[0], NumberStyles.None, CultureInfo.InvariantCulture, out limit) && limit >= 1 && limit <= max)
        {
            return true;
        }

        invalid = ApiJson.Error(StatusCodes.Status400BadRequest, "invalid_limit", $"limit must be a whole number from 1 to {max}");
        return false;
    }
}
