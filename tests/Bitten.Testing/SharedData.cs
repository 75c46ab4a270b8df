namespace Bitten.Testing;

/// <summary>
/// The project's real market data (<c>../shared/data</c>), found by walking up from the test binaries.
/// Missing data is a failure, never a skip: a test that silently stops checking is worse than a red one.
/// </summary>
public static class SharedData
{
    private static readonly Lazy<string> LazyRoot = new(FindRoot, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>The absolute path of <c>shared/data</c>.</summary>
    public static string Root => LazyRoot.Value;

    /// <summary>The absolute path of a file or folder under <c>shared/data</c>; throws when it does not exist.</summary>
    public static string Path(string relative)
    {
        var full = System.IO.Path.GetFullPath(System.IO.Path.Combine(Root, relative));
        if (!File.Exists(full) && !Directory.Exists(full))
        {
            throw new FileNotFoundException(
                $"shared data '{relative}' is missing: expected {full}. See shared/data/README.md for what should be there.", full);
        }

        return full;
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = System.IO.Path.Combine(dir.FullName, "shared", "data");
            if (Directory.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new DirectoryNotFoundException(
            $"no directory containing shared/data above {AppContext.BaseDirectory}: the real market data the tests need is missing "
            + "(expected the checkout to sit next to ../shared/data).");
    }
}
