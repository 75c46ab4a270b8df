using System.Data.Common;

namespace Bitten.Persistence;

/// <summary>
/// One store, whichever provider: connections set up the provider's way, migrations already applied. Stores write
/// SQL both providers accept (named <c>@parameters</c>, TEXT for decimals, integer milliseconds for times).
/// <see cref="Database.Open"/> picks the provider from <see cref="StorageOptions"/>.
/// </summary>
public interface IDatabase : IDisposable
{
    /// <summary><c>sqlite</c> or <c>postgres</c>.</summary>
    string Provider { get; }

    /// <summary>An open connection; the caller disposes it (it goes back to the pool).</summary>
    DbConnection OpenConnection();

    /// <summary>The migration versions recorded as applied, in order.</summary>
    IReadOnlyList<int> AppliedMigrations();
}
